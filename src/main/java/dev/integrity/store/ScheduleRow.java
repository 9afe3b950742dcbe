package dev.integrity.store;

import java.time.Instant;
import java.util.List;

/**
 * A stored schedule: cron (5 fields, as in the config) in a time zone, the entities it runs (empty
 * = all) and where it came from ({@code config} or {@code api}). Immutable and thread-safe.
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
    Instant updatedAt) {
  public ScheduleRow {
    entities = List.copyOf(entities);
  }
}
