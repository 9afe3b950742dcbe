package dev.integrity.store;

/**
 * Progress of one entity within a run: status, records and pages fetched so far, duration once
 * done, error if any, and the time one page request took. Immutable and thread-safe.
 *
 * @param table the Airtable table name or id
 * @param durationMs null until the fetch ended
 * @param pageLatencyMs the typical time of one page request (the median the client's page events
 *     measured), null until known; the fetch planner reads it from the last run
 */
public record EntityProgress(
    String runId,
    String name,
    String table,
    EntityStatus status,
    long records,
    int pages,
    Long durationMs,
    String error,
    Long pageLatencyMs) {

  /** Progress without a page latency (not measured, or not yet). */
  public EntityProgress(
      String runId,
      String name,
      String table,
      EntityStatus status,
      long records,
      int pages,
      Long durationMs,
      String error) {
    this(runId, name, table, status, records, pages, durationMs, error, null);
  }

  /** The initial row of an entity not started yet. */
  public static EntityProgress pending(String runId, String name, String table) {
    return new EntityProgress(runId, name, table, EntityStatus.PENDING, 0, 0, null, null);
  }

  /** This progress with the page latency set. */
  public EntityProgress withPageLatencyMs(Long latencyMs) {
    return new EntityProgress(
        runId, name, table, status, records, pages, durationMs, error, latencyMs);
  }
}
