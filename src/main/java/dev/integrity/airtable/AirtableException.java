package dev.integrity.airtable;

import dev.integrity.IntegrityException;

/**
 * A failure talking to Airtable, naming the base, the table (null for the Meta API) and the page (0
 * when not paging). Immutable once thrown.
 */
public abstract class AirtableException extends IntegrityException {
  private final String baseId;
  private final String table;
  private final int page;

  AirtableException(String message, String baseId, String table, int page, Throwable cause) {
    super(message, cause);
    this.baseId = baseId;
    this.table = table;
    this.page = page;
  }

  public String baseId() {
    return baseId;
  }

  /** The table name or id as requested, or null for the Meta API. */
  public String table() {
    return table;
  }

  /** The page (from 1) that failed, or 0 when not paging. */
  public int page() {
    return page;
  }
}
