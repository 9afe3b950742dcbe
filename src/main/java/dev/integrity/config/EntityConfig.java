package dev.integrity.config;

import java.util.List;
import java.util.Objects;

/**
 * One entity: its name (the key used everywhere else), the Airtable table (name or id) it reads,
 * its checks in file order, and how it is listed: through a {@code view} and a {@code filter}
 * (Airtable's {@code filterByFormula}), both null when not set, and whether it asks for every field
 * ({@code fields: all}) rather than only those its checks name; its {@code owner}, or null when its
 * alerts go to the base's channels. Immutable and thread-safe.
 */
public record EntityConfig(
    String name,
    String table,
    List<CheckSpec> checks,
    String view,
    String filter,
    boolean allFields,
    OwnerConfig owner) {
  public EntityConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(table, "table");
    checks = List.copyOf(checks);
    view = view == null || view.isBlank() ? null : view;
    filter = filter == null || filter.isBlank() ? null : filter;
  }

  /** An entity without an owner: its alerts go to the base's channels. */
  public EntityConfig(
      String name,
      String table,
      List<CheckSpec> checks,
      String view,
      String filter,
      boolean allFields) {
    this(name, table, checks, view, filter, allFields, null);
  }

  /** An entity read through no view, unfiltered, projected to the fields its checks name. */
  public EntityConfig(String name, String table, List<CheckSpec> checks) {
    this(name, table, checks, null, null, false);
  }
}
