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
   * Fires counted one by one at most: a minutely cron fires 43,200 times in 30 days. A finer one
   * (six fields, seconds first: tests and clusters) is counted this far and scaled to the window.
   */
  static final int MAX_COUNTED = 50_000;

  private CronFires() {}

  /**
   * The fires of {@code cron} (five fields, or six seconds-first) read in {@code zone} in the 30
   * days after {@code from}.
   *
   * @throws InvalidScheduleException when the pattern does not parse
   */
  public static long perMonth(String cron, ZoneId zone, Instant from) {
    return between(cron, zone, from, from.plus(MONTH));
  }

  /** The fires in {@code (from, to]}; see {@link #perMonth}. */
  public static long between(String cron, ZoneId zone, Instant from, Instant to) {
    Schedule schedule = new CronSchedule(ScheduleSpec.springCron(cron), zone);
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
