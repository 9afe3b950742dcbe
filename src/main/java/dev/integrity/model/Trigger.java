package dev.integrity.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What started a run. Immutable and thread-safe. */
public enum Trigger {
  MANUAL,
  SCHEDULE,
  API;

  /** The lower-case name used in the database and JSON, e.g. {@code "manual"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The trigger of a wire name (case-insensitive); unknown names list the valid ones. */
  public static Trigger parse(String wire) {
    for (Trigger trigger : values()) {
      if (trigger.wire().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return trigger;
      }
    }
    throw new IllegalArgumentException(
        "unknown trigger '"
            + wire
            + "': expected one of "
            + Arrays.stream(values()).map(Trigger::wire).collect(Collectors.joining(", ")));
  }
}
