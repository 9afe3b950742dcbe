package dev.integrity.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The status of a run; the last four are terminal and final. Immutable and thread-safe. */
public enum RunStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  ERROR,
  TIMEOUT,
  CANCELLED;

  /** True for statuses nothing changes again. */
  public boolean terminal() {
    return switch (this) {
      case QUEUED, RUNNING -> false;
      case SUCCEEDED, ERROR, TIMEOUT, CANCELLED -> true;
    };
  }

  /** The lower-case name used in the database, JSON and the CLI, e.g. {@code "queued"}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of a wire name (case-insensitive); unknown names list the valid ones. */
  public static RunStatus parse(String wire) {
    for (RunStatus status : values()) {
      if (status.wire().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "unknown run status '"
            + wire
            + "': expected one of "
            + Arrays.stream(values()).map(RunStatus::wire).collect(Collectors.joining(", ")));
  }
}
