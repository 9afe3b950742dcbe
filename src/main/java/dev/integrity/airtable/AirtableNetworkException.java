package dev.integrity.airtable;

/**
 * The connection failed (refused, reset, cut mid-body, unknown host) until the retries ran out.
 * Immutable once thrown.
 */
public final class AirtableNetworkException extends AirtableException {
  private final int attempts;

  AirtableNetworkException(
      String message, String baseId, String table, int page, int attempts, Throwable cause) {
    super(message, baseId, table, page, cause);
    this.attempts = attempts;
  }

  public int attempts() {
    return attempts;
  }
}
