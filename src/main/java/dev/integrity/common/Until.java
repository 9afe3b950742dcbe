package dev.integrity.common;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end date of an acknowledgement as a person writes it, on the command line or in the API: a
 * date ({@code 2026-12-31}: through that day, UTC, so until the next midnight UTC), an instant with
 * its offset ({@code 2026-12-31T18:00:00Z}, {@code 2026-12-31T18:00:00+01:00}) or a number of days
 * from now ({@code 30d}). Stateless and thread-safe.
 */
public final class Until {
  private static final Pattern DAYS = Pattern.compile("(\\d{1,4})d");

  private Until() {}

  /**
   * The instant {@code text} names, or null for null or blank.
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  public static Instant parse(String text, Clock clock) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    Matcher days = DAYS.matcher(t);
    if (days.matches()) {
      // Whole seconds: a person reads it back.
      return clock
          .instant()
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .plus(Duration.ofDays(Long.parseLong(days.group(1))));
    }
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "until: '"
              + t
              + "' is not a date (2026-12-31, through that day UTC), an instant with its offset"
              + " (2026-12-31T18:00:00Z) or a number of days (30d)");
    }
  }
}
