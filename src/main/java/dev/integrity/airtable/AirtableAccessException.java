package dev.integrity.airtable;

/**
 * The token may not read the base or table, or it does not exist (403 or 404), with Airtable's
 * error type and message. Immutable once thrown.
 */
public final class AirtableAccessException extends AirtableException {
  private final int status;
  private final String errorType;
  private final String errorMessage;

  AirtableAccessException(
      String message,
      String baseId,
      String table,
      int page,
      int status,
      String errorType,
      String errorMessage) {
    super(message, baseId, table, page, null);
    this.status = status;
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }

  /** 403 or 404. */
  public int status() {
    return status;
  }

  /**
   * Airtable's error type ({@code INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND}, or {@code NOT_FOUND} of
   * the {@code {"error": "NOT_FOUND"}} envelope), or null.
   */
  public String errorType() {
    return errorType;
  }

  /** Airtable's error message (printable, bounded, token masked), or null. */
  public String errorMessage() {
    return errorMessage;
  }
}
