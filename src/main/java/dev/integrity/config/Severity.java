package dev.integrity.config;

import java.util.Locale;

/** How bad an issue is: {@code fail} makes a run exit 1, {@code warn} does not. Thread-safe. */
public enum Severity {
  FAIL,
  WARN;

  /** The lower-case name used in the config file, JSON and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fail}/{@code warn} (any case); null when the text is neither. */
  public static Severity fromWire(String text) {
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "fail" -> FAIL;
      case "warn" -> WARN;
      default -> null;
    };
  }
}
