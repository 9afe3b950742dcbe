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
   * Fires counted one by one at most (about 0.3 s). A pattern that fires more often in its window
   * is counted this far and scaled to the window, an estimate.
   */
  static final int MAX_COUNTED = 10_000;

  private CronFires() {}

  /**
   * The fires of {@code cron} (five fields, or six seconds-first) read in {@code zone} in the 30
   * days after {@code from}. A pattern that fires the same way every day (day of month, month and
   * day of week all {@code *}) is counted over one day and multiplied, so a minutely schedule costs
   * 1,440 steps and not 43,200 (one step is tens of microseconds, and {@code serve} projects every
   * schedule at start); a DST day's extra or missing hour is not counted then.
   *
   * @throws InvalidScheduleException when the pattern does not parse
   */
  public static long perMonth(String cron, ZoneId zone, Instant from) {
    Schedule schedule = new CronSchedule(ScheduleSpec.springCron(cron), zone);
    String[] fields = cron.trim().split("\\s+");
    boolean everyDay = true;
    for (int i = fields.length - 3; i < fields.length; i++) {
      everyDay &= fields[i].equals("*") || fields[i].equals("?");
    }
    if (everyDay) {
      return count(schedule, from, from.plus(Duration.ofDays(1))) * MONTH.toDays();
    }
    return count(schedule, from, from.plus(MONTH));
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
