package dev.integrity.common;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * How often a cron fires: the fire times db-scheduler would choose for the pattern in its zone,
 * counted over a window (a "month" is 30 days from a given instant, so that a projection does not
 * depend on the day it is made). Stateless.
 */
public final class CronFires {
  /** The window a month's projection counts fires in. */
  public static final Duration MONTH = Duration.ofDays(30);

  /**
   * Fires walked one by one at most (0.5 to 1.5 s at 50 to 150 microseconds a step). A pattern that
   * fires more often in its window is counted this far and scaled to it, an estimate.
   */
  static final int MAX_COUNTED = 10_000;

  private CronFires() {}

  /**
   * The fires of {@code cron} (five fields, or six seconds-first) read in {@code zone} in the 30
   * days after {@code from}. One step of db-scheduler's cron is 50 to 150 microseconds, too slow to
   * walk a minutely schedule's 43,200 fires whenever the dashboard or {@code serve} projects it; so
   * the fires of one day come from the second, minute and hour fields (numbers, ranges, steps and
   * lists: the product of their sizes), and the days of the window that match the day-of-month,
   * month and day-of-week fields are walked day by day with db-scheduler's own rules (at most 31
   * steps). A DST day's missing or repeated hour is not counted. Fields of other forms are walked
   * fire by fire, at most {@link #MAX_COUNTED}.
   *
   * @throws InvalidScheduleException when the pattern does not parse
   */
  public static long perMonth(String cron, ZoneId zone, Instant from) {
    String spring = ScheduleSpec.springCron(cron);
    Schedule schedule = new CronSchedule(spring, zone);
    Instant to = from.plus(MONTH);
    String[] fields = spring.split(" ");
    long perDay = size(fields[0], 59) * size(fields[1], 59) * size(fields[2], 23);
    if (perDay > 0) {
      Schedule days =
          new CronSchedule("0 0 0 " + fields[3] + " " + fields[4] + " " + fields[5], zone);
      return perDay * count(days, from, to);
    }
    return count(schedule, from, to);
  }

  /**
   * How many values of {@code 0..max} a second, minute or hour field takes ({@code *}, {@code n},
   * {@code a-b}, with {@code /step}, in a comma list); 0 for any other form.
   */
  static long size(String field, int max) {
    java.util.BitSet values = new java.util.BitSet(max + 1);
    for (String part : field.split(",")) {
      String range = part;
      int step = 1;
      int slash = part.indexOf('/');
      try {
        if (slash >= 0) {
          range = part.substring(0, slash);
          step = Integer.parseInt(part.substring(slash + 1));
        }
        int low;
        int high;
        if (range.equals("*")) {
          low = 0;
          high = max;
        } else if (range.contains("-")) {
          low = Integer.parseInt(range.substring(0, range.indexOf('-')));
          high = Integer.parseInt(range.substring(range.indexOf('-') + 1));
        } else {
          low = Integer.parseInt(range);
          high = slash >= 0 ? max : low;
        }
        if (step < 1 || low < 0 || high > max || low > high) {
          return 0;
        }
        for (int v = low; v <= high; v += step) {
          values.set(v);
        }
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return values.cardinality();
  }

  /** The fires in {@code (from, to]}, scaled to the window past {@link #MAX_COUNTED}. */
  private static long count(Schedule schedule, Instant from, Instant to) {
    long count = 0;
    Instant at = from;
    while (true) {
      Instant next = schedule.getNextExecutionTime(ExecutionComplete.simulatedSuccess(at));
      if (next == null || next.equals(Schedule.NEVER) || next.isAfter(to)) {
        return count;
      }
      count++;
      if (count >= MAX_COUNTED) {
        double covered = Duration.between(from, next).toMillis();
        double window = Duration.between(from, to).toMillis();
        return covered <= 0 ? count : Math.round(count * (window / covered));
      }
      at = next;
    }
  }
}
