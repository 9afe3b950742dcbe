package dev.integrity.store;

import java.util.Objects;

/**
 * A slice of a run's issues: each non-null criterion must match exactly; {@code state} always
 * applies. Immutable and thread-safe.
 *
 * @param entity an entity name, or null for every entity
 * @param check a check id, or null for every check
 * @param severity {@code fail} or {@code warn}, or null for both
 */
public record IssueQuery(String entity, String check, String severity, IssueFilter state) {
  public IssueQuery {
    Objects.requireNonNull(state, "state");
    entity = blankToNull(entity);
    check = blankToNull(check);
    severity = blankToNull(severity);
  }

  /** Every issue of the given state. */
  public static IssueQuery of(IssueFilter state) {
    return new IssueQuery(null, null, null, state);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
