package dev.integrity.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which of a run's issues to list: the new ones, the resolved ones, or all (open and resolved).
 * Immutable and thread-safe.
 */
public enum IssueFilter {
  NEW,
  RESOLVED,
  ALL;

  /** The filter of a CLI/API word ({@code new}, {@code resolved}, {@code all}). */
  public static IssueFilter parse(String wire) {
    for (IssueFilter filter : values()) {
      if (filter.name().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return filter;
      }
    }
    throw new IllegalArgumentException(
        "unknown issue filter '"
            + wire
            + "': expected one of "
            + Arrays.stream(values())
                .map(f -> f.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", ")));
  }
}
