package dev.integrity.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The dashboard's text for times, durations and URL path segments: pure functions of their
 * arguments, shared by the view models and the templates ({@code _time.jte}). Stateless and
 * thread-safe.
 */
final class Formats {
  private Formats() {}

  /** How long ago, in the largest whole unit: "1 day", "3 hours", "0 minutes" (never negative). */
  static String age(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long days = d.toDays();
    if (days >= 1) {
      return days + (days == 1 ? " day" : " days");
    }
    long hours = d.toHours();
    if (hours >= 1) {
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = d.toMinutes();
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }

  /** A duration for people: "800 ms", "1.5 s", "3 min 20 s", "1 h 23 min". */
  static String formatMillis(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long seconds = ms / 1000;
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  /** Times go out as ISO-8601 UTC; dashboard.js shows them in the browser's zone. */
  static String iso(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static final java.time.format.DateTimeFormatter ZONED =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);

  /**
   * A time as the server writes it, naming its zone: "2025-03-01 10:00 UTC" (dashboard.js turns it
   * into the browser's zone, named too); with a zone, "2025-03-01 11:00 CET". A zone id that does
   * not parse falls back to UTC, named so.
   */
  static String zoned(Instant instant, String zone) {
    java.time.ZoneId id;
    try {
      id = zone == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      id = java.time.ZoneOffset.UTC;
    }
    return ZONED.format(
        instant.atZone(id.equals(java.time.ZoneOffset.UTC) ? java.time.ZoneId.of("UTC") : id));
  }

  /** An interval as htmx's {@code every} trigger reads it: whole milliseconds, at least 1. */
  static String htmxInterval(Duration interval) {
    return Math.max(1, interval.toMillis()) + "ms";
  }

  /**
   * A value made safe as one URL path segment or query value (spaces as {@code %20}, not {@code
   * +}).
   */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
