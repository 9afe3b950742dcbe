package dev.integrity.store;

import java.util.Objects;
import java.util.Set;

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
 * @param entities the entities to include (an owner's, say), or null for every entity; empty
 *     matches nothing. Applies on top of {@code entity}.
 */
public record IssueQuery(
    String entity,
    String check,
    String severity,
    IssueFilter state,
    AckFilter ack,
    boolean alerting,
    Set<String> entities) {
  public IssueQuery {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(ack, "ack");
    entity = blankToNull(entity);
    check = blankToNull(check);
    severity = blankToNull(severity);
    entities = entities == null ? null : Set.copyOf(entities);
  }

  /** A slice of every entity or one. */
  public IssueQuery(
      String entity,
      String check,
      String severity,
      IssueFilter state,
      AckFilter ack,
      boolean alerting) {
    this(entity, check, severity, state, ack, alerting, null);
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
    return new IssueQuery(entity, check, severity, state, filter, alerting, entities);
  }

  /** This slice, within these entities (null: every entity). */
  public IssueQuery withEntities(Set<String> within) {
    return new IssueQuery(entity, check, severity, state, ack, alerting, within);
  }

  /** Whether an issue of {@code name} can be in this slice, by its entity alone. */
  public boolean includesEntity(String name) {
    return (entity == null || entity.equals(name)) && (entities == null || entities.contains(name));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
