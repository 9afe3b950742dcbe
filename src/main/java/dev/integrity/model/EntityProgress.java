package dev.integrity.model;

import java.util.List;

/**
 * Progress of one entity within a run: status, records and pages fetched so far, duration once
 * done, error if any, whether the run checked it, and the time one page request took. Immutable and
 * thread-safe.
 *
 * @param table the Airtable table name or id
 * @param durationMs null until the fetch ended
 * @param checked whether this run checked the entity, so its issues are stored and count for
 *     new/resolved; an entity can be {@code fetched} and still unchecked (the run ended first)
 * @param issues the entity's open issues in this run (0 while unchecked)
 * @param pageLatencyMs the typical time of one page request (the median the client's page events
 *     measured), null until known; the fetch planner reads it from the last run
 * @param partialChecks the ids of the checks that did not run whole when the run checked the entity
 *     (a link whose target was not fetched); their earlier issues stay open
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
    long issues,
    Long pageLatencyMs,
    List<String> partialChecks) {
  public EntityProgress {
    partialChecks = partialChecks == null ? List.of() : List.copyOf(partialChecks);
  }

  /** Progress whose checks, if checked, all ran whole. */
  public EntityProgress(
      String runId,
      String name,
      String table,
      EntityStatus status,
      long records,
      int pages,
      Long durationMs,
      String error,
      boolean checked,
      long issues,
      Long pageLatencyMs) {
    this(
        runId,
        name,
        table,
        status,
        records,
        pages,
        durationMs,
        error,
        checked,
        issues,
        pageLatencyMs,
        List.of());
  }

  /** Progress of an entity not checked (yet), without a page latency. */
  public EntityProgress(
      String runId,
      String name,
      String table,
      EntityStatus status,
      long records,
      int pages,
      Long durationMs,
      String error) {
    this(runId, name, table, status, records, pages, durationMs, error, false, 0, null);
  }

  /** Progress without a page latency (not measured, or not yet). */
  public EntityProgress(
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
    this(runId, name, table, status, records, pages, durationMs, error, checked, issues, null);
  }

  /** The initial row of an entity not started yet. */
  public static EntityProgress pending(String runId, String name, String table) {
    return new EntityProgress(runId, name, table, EntityStatus.PENDING, 0, 0, null, null);
  }

  /** The same progress, checked with {@code issues} open issues. */
  public EntityProgress checkedWith(long issues) {
    return checkedWith(issues, List.of());
  }

  /** The same progress, checked with {@code issues} open issues and these partial checks. */
  public EntityProgress checkedWith(long issues, List<String> partialChecks) {
    return new EntityProgress(
        runId,
        name,
        table,
        status,
        records,
        pages,
        durationMs,
        error,
        true,
        issues,
        pageLatencyMs,
        partialChecks);
  }

  /** This progress with the page latency set. */
  public EntityProgress withPageLatencyMs(Long latencyMs) {
    return new EntityProgress(
        runId,
        name,
        table,
        status,
        records,
        pages,
        durationMs,
        error,
        checked,
        issues,
        latencyMs,
        partialChecks);
  }
}
