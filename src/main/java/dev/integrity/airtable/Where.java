package dev.integrity.airtable;

/**
 * Where a request went, for messages and events: the base, the table (null for the Meta API), the
 * page from 1 (0 when not paging) and the offset that page was asked with (null for the first page
 * or when not paging). Immutable.
 */
record Where(String baseId, String table, int page, String offset) {

  static Where base(String baseId) {
    return new Where(baseId, null, 0, null);
  }

  static Where page(String baseId, String table, int page, String offset) {
    return new Where(baseId, table, page, offset);
  }

  /** "table 'Classes' of base appX, page 3". */
  @Override
  public String toString() {
    return Texts.where(baseId, table, page);
  }

  /** As {@link #toString()}, plus the offset: "…, page 3 (offset itr…/rec…)". */
  String withOffset() {
    return offset == null ? toString() : toString() + " (offset " + offset + ")";
  }
}
