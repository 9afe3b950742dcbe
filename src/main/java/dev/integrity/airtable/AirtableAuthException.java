package dev.integrity.airtable;

/**
 * Airtable rejected the token (401), with Airtable's error type and message. Immutable once thrown.
 */
public final class AirtableAuthException extends AirtableException {
  private final String errorType;
  private final String errorMessage;

  AirtableAuthException(
      String message,
      String baseId,
      String table,
      int page,
      String errorType,
      String errorMessage) {
    super(message, baseId, table, page, null);
    this.errorType = errorType;
    this.errorMessage = errorMessage;
  }

  /** Always 401. */
  public int status() {
    return 401;
  }

  /** Airtable's error type, e.g. {@code AUTHENTICATION_REQUIRED}, or null. */
  public String errorType() {
    return errorType;
  }

  /** Airtable's error message (printable, bounded, token masked), or null. */
  public String errorMessage() {
    return errorMessage;
  }
}
