package dev.integrity.schedule;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.regex.Pattern;

/** Validation and conversion of schedule definitions to db-scheduler's cron. Stateless. */
final class Crons {
  /** Names go into URLs ({@code /api/schedules/{name}}) and db-scheduler's instance id. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private Crons() {}

  static void requireName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ScheduleException(
          name,
          "name",
          "invalid name: use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or"
              + " digit");
    }
  }

  static void requireBase(String name, String baseId) {
    if (baseId == null || baseId.isBlank()) {
      throw new ScheduleException(name, "baseId", "no base id: a schedule runs one base");
    }
  }

  /**
   * db-scheduler's Spring-style pattern (seconds first) for a cron of the usual five fields; a
   * six-field pattern is taken as already seconds-first (finer than a minute, e.g. for tests).
   */
  static String spring(String name, String cron) {
    if (cron == null || cron.isBlank()) {
      throw new ScheduleException(name, "cron", "no cron pattern");
    }
    String[] fields = cron.trim().split("\\s+");
    String pattern =
        switch (fields.length) {
          case 5 -> "0 " + String.join(" ", fields);
          case 6 -> String.join(" ", fields);
          default ->
              throw new ScheduleException(
                  name,
                  "cron",
                  "cron '"
                      + cron
                      + "' has "
                      + fields.length
                      + " fields; expected 5 (minute hour day-of-month month day-of-week), e.g."
                      + " '0 2 * * *'");
        };
    return pattern;
  }

  static ZoneId zone(String name, String timezone) {
    if (timezone == null || timezone.isBlank()) {
      throw new ScheduleException(name, "timezone", "no time zone, e.g. 'UTC' or 'Europe/Paris'");
    }
    try {
      return ZoneId.of(timezone.trim());
    } catch (DateTimeException e) {
      throw new ScheduleException(
          name,
          "timezone",
          "unknown time zone '"
              + timezone
              + "': use a region id such as 'America/New_York' or UTC");
    }
  }

  /** Parses the pattern as db-scheduler will, so a bad one is refused now and not at a fire. */
  static CronSchedule schedule(String name, String cron, String timezone) {
    String pattern = spring(name, cron);
    ZoneId zone = zone(name, timezone);
    try {
      return new CronSchedule(pattern, zone);
    } catch (RuntimeException e) {
      throw new ScheduleException(name, "cron", "invalid cron '" + cron + "': " + e.getMessage());
    }
  }
}
