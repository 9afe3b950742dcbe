package dev.integrity.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a run reads its data: a full scan of every table, or an incremental run that applies the
 * base's webhook payloads to the mirror and checks the mirror. Immutable and thread-safe.
 */
public enum RunMode {
  FULL,
  INCREMENTAL;

  /** The lower-case name used in the database, config and JSON, e.g. {@code "full"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode of a wire name (case-insensitive); unknown names list the valid ones. */
  public static RunMode parse(String wire) {
    for (RunMode mode : values()) {
      if (mode.wire().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "unknown mode '"
            + wire
            + "': expected one of "
            + Arrays.stream(values()).map(RunMode::wire).collect(Collectors.joining(", ")));
  }
}
