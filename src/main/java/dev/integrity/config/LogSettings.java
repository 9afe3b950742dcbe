package dev.integrity.config;

import dev.integrity.common.Texts;
import java.util.Locale;
import java.util.Set;

/**
 * How log lines are written on stderr: {@code LOG_FORMAT} (text or json) and {@code
 * INTEGRITY_LOG_LEVEL} (null when unset: INFO, held back to WARN while progress bars draw).
 * Immutable and thread-safe.
 */
public record LogSettings(LogSettings.Format format, String level) {
  private static final Set<String> LEVELS =
      Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

  /** The format of log lines. Thread-safe. */
  public enum Format {
    TEXT,
    JSON
  }

  public static LogSettings defaults() {
    return new LogSettings(Format.TEXT, null);
  }

  static LogSettings read(EnvReader env) {
    Format format = Format.TEXT;
    String value = env.text("LOG_FORMAT");
    if (value != null) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "text" -> format = Format.TEXT;
        case "json" -> format = Format.JSON;
        default ->
            env.problem(
                "LOG_FORMAT",
                "LOG_FORMAT must be text or json, got '" + Texts.shorten(value, 40) + "'");
      }
    }
    String level = env.text("INTEGRITY_LOG_LEVEL");
    if (level != null) {
      level = level.toUpperCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        env.problem(
            "INTEGRITY_LOG_LEVEL",
            "INTEGRITY_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF, got '"
                + Texts.shorten(level, 40)
                + "'");
        level = null;
      }
    }
    return new LogSettings(format, level);
  }
}
