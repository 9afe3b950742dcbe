package dev.integrity.schedule;

import dev.integrity.model.RunStatus;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import java.time.Instant;

/**
 * A schedule as the API shows it. Immutable and thread-safe.
 *
 * @param lastRunId the run its latest started fire created, or null when it never started one
 * @param lastRunStatus that run's status now, or null
 * @param nextFireAt when it fires next, or null when disabled or not scheduled
 * @param consecutiveSkips fires skipped since it last started a run
 * @param lastFire its latest fire, started or skipped (with the reason), or null when none yet
 */
public record ScheduleView(
    ScheduleRow schedule,
    String lastRunId,
    RunStatus lastRunStatus,
    Instant nextFireAt,
    int consecutiveSkips,
    FireRow lastFire) {}
