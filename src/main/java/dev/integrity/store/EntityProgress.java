package dev.integrity.store;

/**
 * Progress of one entity within a run: status, records and pages fetched so far, duration once
 * done, error if any, and whether the run checked it. Immutable and thread-safe.
 *
 * @param table the Airtable table name or id
 * @param durationMs null until the fetch ended
 * @param checked whether this run checked the entity, so its issues are stored and count for
 *     new/resolved; an entity can be {@code fetched} and still unchecked (the run ended first)
 * @param issues the entity's open issues in this run (0 while unchecked)
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
    boolean checked,
    long issues) {

  /** Progress of an entity not checked (yet). */
  public EntityProgress(
      String runId,
      String name,
      String table,
      EntityStatus status,
      long records,
      int pages,
      Long durationMs,
      String error) {
    this(runId, name, table, status, records, pages, durationMs, error, false, 0);
  }

  /** The initial row of an entity not started yet. */
  public static EntityProgress pending(String runId, String name, String table) {
    return new EntityProgress(runId, name, table, EntityStatus.PENDING, 0, 0, null, null);
  }

  /** The same progress, checked with {@code issues} open issues. */
  public EntityProgress checkedWith(long issues) {
    return new EntityProgress(
        runId, name, table, status, records, pages, durationMs, error, true, issues);
  }
}
