package dev.integrity.config;

import java.util.List;
import java.util.Objects;

/**
 * One entity: its name (the key used everywhere else), the Airtable table (name or id) it reads,
 * and its checks in file order. Immutable and thread-safe.
 */
public record EntityConfig(String name, String table, List<CheckSpec> checks) {
  public EntityConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(table, "table");
    checks = List.copyOf(checks);
  }
}
