package dev.integrity.store;

/**
 * Progress of one entity within a run: status, records and pages fetched so far, duration once
 * done, error if any. Immutable and thread-safe.
 *
 * @param table the Airtable table name or id
 * @param durationMs null until the fetch ended
 */
public record EntityProgress(
    String runId,
    String name,
    String table,
    EntityStatus status,
    long records,
    int pages,
    Long durationMs,
    String error) {

  /** The initial row of an entity not started yet. */
  public static EntityProgress pending(String runId, String name, String table) {
    return new EntityProgress(runId, name, table, EntityStatus.PENDING, 0, 0, null, null);
  }
}
