package dev.integrity.airtable;

/**
 * The token may not read the base or table, or it does not exist (403 or 404). Immutable once
 * thrown.
 */
public final class AirtableAccessException extends AirtableException {
  private final int status;

  AirtableAccessException(String message, String baseId, String table, int page, int status) {
    super(message, baseId, table, page, null);
    this.status = status;
  }

  /** 403 or 404. */
  public int status() {
    return status;
  }
}
