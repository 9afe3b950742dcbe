package dev.integrity.store;

import java.util.Locale;

/**
 * Which of a run's issues to list by acknowledgement: those an acknowledgement covers ({@code
 * yes}), those none covers ({@code no}), or both ({@code all}). Immutable and thread-safe.
 */
public enum AckFilter {
  YES,
  NO,
  ALL;

  /** The wire word: {@code yes}, {@code no}, {@code all}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The filter of a CLI/API word; null or blank is {@code all}. */
  public static AckFilter parse(String wire) {
    if (wire == null || wire.isBlank()) {
      return ALL;
    }
    for (AckFilter filter : values()) {
      if (filter.name().equalsIgnoreCase(wire.trim())) {
        return filter;
      }
    }
    throw new IllegalArgumentException(
        "unknown acknowledgement filter '" + wire + "': expected one of yes, no, all");
  }
}
