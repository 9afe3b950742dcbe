package dev.integrity.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which of a run's issues to list by state: new, persisting, resolved, retired, open (new and
 * persisting) or all (open, resolved and retired). Immutable and thread-safe.
 */
public enum IssueFilter {
  NEW,
  PERSISTING,
  RESOLVED,
  RETIRED,
  OPEN,
  ALL;

  /**
   * The wire word: {@code new}, {@code persisting}, {@code resolved}, {@code retired}, {@code
   * open}, {@code all}.
   */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The allowed wire words, comma-separated, for error messages. */
  public static String allowed() {
    return Arrays.stream(values()).map(IssueFilter::wire).collect(Collectors.joining(", "));
  }

  /** The filter of a CLI/API word. */
  public static IssueFilter parse(String wire) {
    for (IssueFilter filter : values()) {
      if (filter.name().equalsIgnoreCase(wire == null ? "" : wire.trim())) {
        return filter;
      }
    }
    throw new IllegalArgumentException(
        "unknown issue filter '" + wire + "': expected one of " + allowed());
  }
}
