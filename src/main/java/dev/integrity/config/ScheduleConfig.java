package dev.integrity.config;

import dev.integrity.common.ScheduleSpec;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A named schedule: a five-field cron pattern as written (minute hour day-of-month month
 * day-of-week), its time zone and the entities it runs (all of the config's when the file names
 * none), and whether its runs are incremental ({@code mode: incremental}; default {@code full}).
 * Immutable and thread-safe.
 */
public record ScheduleConfig(
    String name, String cron, ZoneId timezone, List<String> entities, boolean incremental) {
  public ScheduleConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cron, "cron");
    Objects.requireNonNull(timezone, "timezone");
    entities = List.copyOf(entities);
  }

  /** A schedule of full runs ({@code mode: full}, the default). */
  public ScheduleConfig(String name, String cron, ZoneId timezone, List<String> entities) {
    this(name, cron, timezone, entities, false);
  }

  /** The config's {@code mode}: {@code full} or {@code incremental}. */
  public String mode() {
    return incremental ? "incremental" : "full";
  }

  /** The same pattern in db-scheduler's Spring style: six fields, seconds first ("0 …"). */
  public String springCron() {
    return ScheduleSpec.springCron(cron);
  }
}
