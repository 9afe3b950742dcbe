package dev.integrity.common;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A schedule's definition as a user writes it, and the one home of its rules: the name, the
 * five-field cron (minute hour day-of-month month day-of-week) and the time zone. The config
 * binder, the REST API and the schedule service all validate through the static methods here, so a
 * definition the config accepts is one the API and the service accept, with the same message.
 *
 * <p>Names are at most {@value #MAX_NAME_LENGTH} characters (the API's limit before, the service
 * allowed 100): they go into URLs ({@code /api/schedules/{name}}) and db-scheduler's instance id,
 * and 64 leaves room in both. Immutable and thread-safe.
 *
 * @param name the schedule's name, as {@link #name(String)} accepts it
 * @param cron the five-field pattern, trimmed
 * @param zone the zone the pattern is read in
 */
public record ScheduleSpec(String name, String cron, ZoneId zone) {
  public static final int MAX_NAME_LENGTH = 64;

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME_LENGTH - 1) + "}");

  /** The zone of a schedule that names none. */
  public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

  public ScheduleSpec {
    name = name(name);
    cron = cron(cron);
    Objects.requireNonNull(zone, "zone");
  }

  /** The same pattern in db-scheduler's Spring style: six fields, seconds first ("0 …"). */
  public String springCron() {
    return springCron(cron);
  }

  /**
   * The name, unchanged.
   *
   * @throws InvalidScheduleException unless it is 1 to 64 letters, digits, '.', '_' or '-',
   *     starting with a letter or digit
   */
  public static String name(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidScheduleException(
          "name",
          "schedule name must be 1 to "
              + MAX_NAME_LENGTH
              + " letters, digits, '.', '_' or '-', starting with a letter or digit"
              + (name == null ? "" : ", got '" + Texts.shorten(name, MAX_NAME_LENGTH + 16) + "'"));
    }
    return name;
  }

  /**
   * The five-field pattern, trimmed, once db-scheduler has parsed it (so a bad one is refused now
   * and not at a fire).
   *
   * @throws InvalidScheduleException when it is empty, has another number of fields or does not
   *     parse
   */
  public static String cron(String cron) {
    String[] fields = fields(cron);
    if (fields.length != 5) {
      throw new InvalidScheduleException(
          "cron",
          "cron must have 5 fields (minute hour day-of-month month day-of-week), got "
              + fields.length
              + " in '"
              + Texts.shorten(cron, 60)
              + "'");
    }
    parse(cron, "0 " + String.join(" ", fields));
    return cron.trim();
  }

  /**
   * db-scheduler's Spring-style pattern (seconds first) for a cron of the usual five fields. A
   * six-field pattern is taken as already seconds-first: finer than a minute, which only the
   * schedule service accepts (tests and clusters fire every second); users write five.
   *
   * @throws InvalidScheduleException when it has neither 5 nor 6 fields or does not parse
   */
  public static String springCron(String cron) {
    String[] fields = fields(cron);
    if (fields.length == 6) {
      String pattern = String.join(" ", fields);
      parse(cron, pattern);
      return pattern;
    }
    cron(cron);
    return "0 " + String.join(" ", fields);
  }

  /**
   * The zone of that id (trimmed).
   *
   * @throws InvalidScheduleException when it is empty or not a zone id
   */
  public static ZoneId zone(String timezone) {
    if (timezone == null || timezone.isBlank()) {
      throw new InvalidScheduleException(
          "timezone", "no time zone (use a region id like Europe/Berlin or UTC)");
    }
    try {
      return ZoneId.of(timezone.trim());
    } catch (DateTimeException e) {
      throw new InvalidScheduleException(
          "timezone",
          "unknown time zone '"
              + Texts.shorten(timezone, 40)
              + "' (use a region id like Europe/Berlin or UTC)");
    }
  }

  private static String[] fields(String cron) {
    if (cron == null || cron.isBlank()) {
      throw new InvalidScheduleException("cron", "no cron pattern, e.g. '0 2 * * *'");
    }
    return cron.trim().split("\\s+");
  }

  private static void parse(String cron, String springPattern) {
    try {
      // db-scheduler parses the pattern eagerly; the zone does not affect validity.
      new CronSchedule(springPattern, ZoneOffset.UTC);
    } catch (RuntimeException e) {
      throw new InvalidScheduleException(
          "cron",
          "bad cron '"
              + Texts.shorten(cron, 60)
              + "': "
              + Texts.shorten(String.valueOf(e.getMessage()), 160));
    }
  }
}
