package dev.integrity.airtable;

/** Airtable kept answering 429 until the retries ran out. Immutable once thrown. */
public final class AirtableRateLimitException extends AirtableException {
  private final int attempts;

  AirtableRateLimitException(String message, String baseId, String table, int page, int attempts) {
    super(message, baseId, table, page, null);
    this.attempts = attempts;
  }

  public int attempts() {
    return attempts;
  }
}
