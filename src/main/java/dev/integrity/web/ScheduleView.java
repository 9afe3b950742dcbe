package dev.integrity.web;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as the API and dashboard show it. Immutable and thread-safe.
 *
 * @param entities the entities it runs; empty means all
 * @param mode how its fires run: {@code full} or {@code incremental}
 * @param lastRunId the run its last fire created, or null
 * @param lastRunStatus that run's status (wire name), or null
 * @param nextFireAt the next fire, or null when disabled
 * @param consecutiveSkips fires skipped in a row because the base had an active run
 * @param lastFire the latest fire, started or skipped with its reason; null before the first
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

  /** One fire: {@code outcome} is {@code started} or {@code skipped}, {@code reason} says why. */
  public record LastFire(Instant at, String outcome, String runId, String reason) {}
}
