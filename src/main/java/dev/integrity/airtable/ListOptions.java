package dev.integrity.airtable;

import java.util.List;

/**
 * What to list from a table: only these fields (empty = all), through a view, filtered by a formula
 * (null = none). Immutable and thread-safe.
 */
public record ListOptions(List<String> fields, String view, String filterByFormula) {
  public ListOptions {
    fields = fields == null ? List.of() : List.copyOf(fields);
    view = view == null || view.isEmpty() ? null : view;
    filterByFormula = filterByFormula == null || filterByFormula.isEmpty() ? null : filterByFormula;
  }

  /** Every field of every record, in the table's default order. */
  public static ListOptions all() {
    return new ListOptions(List.of(), null, null);
  }
}
