package dev.integrity.store;

import dev.integrity.model.RunMode;
import java.time.Instant;
import java.util.List;

/**
 * A stored schedule: cron (5 fields, as in the config) in a time zone, the entities it runs (empty
 * = all), where it came from ({@code config} or {@code api}) and the mode its fires run in.
 * Immutable and thread-safe.
 */
public record ScheduleRow(
    String name,
    String baseId,
    String cron,
    String timezone,
    List<String> entities,
    boolean enabled,
    String source,
    Instant createdAt,
    Instant updatedAt,
    RunMode mode) {
  public ScheduleRow {
    entities = List.copyOf(entities);
    // A row from before schedules had a mode (or a caller that names none) runs full scans.
    mode = mode == null ? RunMode.FULL : mode;
  }

  /** A schedule of full runs. */
  public ScheduleRow(
      String name,
      String baseId,
      String cron,
      String timezone,
      List<String> entities,
      boolean enabled,
      String source,
      Instant createdAt,
      Instant updatedAt) {
    this(
        name,
        baseId,
        cron,
        timezone,
        entities,
        enabled,
        source,
        createdAt,
        updatedAt,
        RunMode.FULL);
  }
}
