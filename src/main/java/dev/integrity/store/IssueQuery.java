package dev.integrity.store;

import java.util.Objects;

/**
 * A slice of a run's issues: each non-null criterion must match exactly; {@code state} always
 * applies. Immutable and thread-safe.
 *
 * @param entity an entity name, or null for every entity
 * @param check a check id, or null for every check
 * @param severity {@code fail} or {@code warn}, or null for both
 * @param ack by acknowledgement
 * @param alerting only the open unacknowledged issues that alert: new, or acknowledged in the
 *     previous run and not any more
 */
public record IssueQuery(
    String entity,
    String check,
    String severity,
    IssueFilter state,
    AckFilter ack,
    boolean alerting) {
  public IssueQuery {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ack, "ack");
    entity = blankToNull(entity);
    check = blankToNull(check);
    severity = blankToNull(severity);
  }

  /** A slice whatever the acknowledgements. */
  public IssueQuery(String entity, String check, String severity, IssueFilter state) {
    this(entity, check, severity, state, AckFilter.ALL, false);
  }

  /** Every issue of the given state. */
  public static IssueQuery of(IssueFilter state) {
    return new IssueQuery(null, null, null, state);
  }

  /** The open unacknowledged issues of the severity that alert, of one entity or (null) all. */
  public static IssueQuery alerting(String entity, String severity) {
    return new IssueQuery(entity, null, severity, IssueFilter.OPEN, AckFilter.NO, true);
  }

  /** This slice, by acknowledgement. */
  public IssueQuery withAck(AckFilter filter) {
    return new IssueQuery(entity, check, severity, state, filter, alerting);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
