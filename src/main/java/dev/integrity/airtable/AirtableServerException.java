package dev.integrity.airtable;

/**
 * Airtable answered with a server error (5xx; the retryable ones after the retries ran out), or an
 * unexpected status. Immutable once thrown.
 */
public final class AirtableServerException extends AirtableException {
  private final int status;
  private final int attempts;
  private final String errorType;
  private final String errorMessage;

  AirtableServerException(
      String message,
      String baseId,
      String table,
      int page,
      int status,
      int attempts,
      String errorType,
      String errorMessage) {
    super(message, baseId, table, page, null);
    this.status = status;
    this.attempts = attempts;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }

  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  /** Airtable's error type from the last answer, or null. */
  public String errorType() {
    return errorType;
  }

  /** Airtable's error message (or an excerpt of a non-JSON body) from the last answer, or null. */
  public String errorMessage() {
    return errorMessage;
  }
}
