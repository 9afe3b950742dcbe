package dev.integrity.airtable;

/**
 * Airtable answered 200 with a body that is not the JSON we expect; names table and page. Immutable
 * once thrown.
 */
public final class AirtableResponseException extends AirtableException {
  AirtableResponseException(
      String message, String baseId, String table, int page, Throwable cause) {
    super(message, baseId, table, page, cause);
  }
}
