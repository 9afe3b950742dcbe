package dev.integrity.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated configuration: one base, its entities in file order, schedules and alerts, with the
 * environment's overrides applied; the process-wide limits live in {@link Settings}. Immutable and
 * thread-safe.
 */
public record IntegrityConfig(
    Path source,
    AirtableConfig airtable,
    Map<String, EntityConfig> entities,
    List<ScheduleConfig> schedules,
    AlertsConfig alerts) {
  public IntegrityConfig {
    Objects.requireNonNull(airtable, "airtable");
    // Map.copyOf would lose the file order, which output and runs follow.
    entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    schedules = List.copyOf(schedules);
    alerts = alerts == null ? AlertsConfig.none() : alerts;
  }

  /**
   * The entity of that name.
   *
   * @throws ConfigException naming the entities that exist when there is none of that name
   */
  public EntityConfig entity(String name) {
    EntityConfig entity = entities.get(name);
    if (entity == null) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  source,
                  0,
                  0,
                  "entities",
                  "no entity '" + name + "'; the config defines " + entities.keySet())));
    }
    return entity;
  }
}
