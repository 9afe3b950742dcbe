package dev.integrity.model;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as the API and dashboard show it, made in one place by the schedule service from the
 * stored schedule, its latest fires and its last run. Immutable and thread-safe.
 *
 * <p>It is flat and holds only wire values (strings, instants, a nested record) so that it lives
 * here, in the values every layer shares: the schedule service produces it and the web layer
 * serializes it as is, with no copy between a service shape and an API shape, and without the web
 * layer depending on the store's rows or this package depending on the store or the scheduler. Its
 * components, in this order, are the JSON the API returns for a schedule (docs/openapi.json).
 *
 * @param name the schedule's unique name
 * @param baseId the Airtable base it runs
 * @param cron its cron pattern (5 fields, or 6 with seconds first)
 * @param timezone the time zone its cron is read in, e.g. {@code UTC} or {@code Europe/Paris}
 * @param entities the entities it runs; empty means all
 * @param enabled whether it fires; a disabled schedule stays stored but never fires
 * @param mode how its fires run: {@code full} or {@code incremental}
 * @param lastRunId the run its latest started fire created, or null when it never started one
 * @param lastRunStatus that run's status now (wire name, e.g. {@code queued}), or null
 * @param nextFireAt when it fires next, or null when disabled or not scheduled
 * @param consecutiveSkips fires skipped in a row (the base had an active run, or no run could be
 *     started) since it last started a run
 * @param lastFire its latest fire, started or skipped with the reason; null before the first
 */
public record ScheduleView(
    String name,
    String baseId,
    String cron,
    String timezone,
    List<String> entities,
    boolean enabled,
    String mode,
    String lastRunId,
    String lastRunStatus,
    Instant nextFireAt,
    int consecutiveSkips,
    LastFire lastFire) {
  public ScheduleView {
    entities = entities == null ? List.of() : List.copyOf(entities);
  }

  /**
   * One fire of a schedule.
   *
   * @param at when it fired
   * @param outcome {@code started} or {@code skipped}
   * @param runId the run it started, or null when skipped
   * @param reason why it was skipped (e.g. the base's active run), or null when started
   */
  public record LastFire(Instant at, String outcome, String runId, String reason) {}
}
