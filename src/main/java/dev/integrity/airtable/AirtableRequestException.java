package dev.integrity.airtable;

/**
 * Airtable refused the request as invalid (422 or another 4xx), with Airtable's error type and
 * message; never retried. Immutable once thrown.
 */
public final class AirtableRequestException extends AirtableException {
  static final String ITERATOR_EXPIRED = "LIST_RECORDS_ITERATOR_NOT_AVAILABLE";

  private final int status;
  private final String errorType;
  private final String errorMessage;

  AirtableRequestException(
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

  public int status() {
    return status;
  }

  /** Airtable's error type, e.g. {@code INVALID_FILTER_BY_FORMULA}, or null for a non-JSON body. */
  public String errorType() {
    return errorType;
  }

  /** Airtable's error message (or an excerpt of a non-JSON body), possibly null. */
  public String errorMessage() {
    return errorMessage;
  }

  boolean isIteratorExpired() {
    return status == 422 && ITERATOR_EXPIRED.equals(errorType);
  }
}
