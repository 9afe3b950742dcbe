package dev.integrity.web;

import java.util.List;

/**
 * A schedule to create or replace, as the API receives it (already checked for shape: name and cron
 * present, time zone known). Immutable and thread-safe.
 *
 * @param baseId the base, or null when the service serves one base
 * @param cron five fields, as in the config
 * @param timezone an IANA zone id; null means UTC
 * @param entities the entities to run; empty means all
 * @param mode {@code full} or {@code incremental} (already checked); null means full
 */
public record ScheduleInput(
    String name,
    String baseId,
    String cron,
    String timezone,
    List<String> entities,
    boolean enabled,
    String mode) {
  public ScheduleInput {
    entities = entities == null ? List.of() : List.copyOf(entities);
    mode = mode == null ? "full" : mode;
  }
}
