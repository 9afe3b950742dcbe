package dev.integrity.airtable;

/**
 * Airtable answered with a server error (5xx; the retryable ones after the retries ran out), or an
 * unexpected status. Immutable once thrown.
 */
public final class AirtableServerException extends AirtableException {
  private final int status;
  private final int attempts;

  AirtableServerException(
      String message, String baseId, String table, int page, int status, int attempts) {
    super(message, baseId, table, page, null);
    this.status = status;
    this.attempts = attempts;
  }

  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }
}
