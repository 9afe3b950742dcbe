package dev.integrity.airtable;

/** Airtable rejected the token (401). Immutable once thrown. */
public final class AirtableAuthException extends AirtableException {
  AirtableAuthException(String message, String baseId, String table, int page) {
    super(message, baseId, table, page, null);
  }
}
