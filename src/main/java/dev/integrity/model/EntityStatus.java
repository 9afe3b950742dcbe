package dev.integrity.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The status of one entity (table fetch) within a run. Immutable and thread-safe. */
public enum EntityStatus {
  PENDING,
  FETCHING,
  FETCHED,
  ERROR,
  TIMEOUT,
  SKIPPED;

  /** The lower-case name used in the database, JSON and the CLI, e.g. {@code "fetched"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a wire name (case-insensitive); unknown names list the valid ones. */
  public static EntityStatus parse(String wire) {
    for (EntityStatus status : values()) {
      if (status.wire().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown entity status '"
            + wire
            + "': expected one of "
            + Arrays.stream(values()).map(EntityStatus::wire).collect(Collectors.joining(", ")));
  }
}
