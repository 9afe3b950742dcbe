package dev.integrity.schedule;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import dev.integrity.common.InvalidScheduleException;
import dev.integrity.common.ScheduleSpec;
import java.time.ZoneId;

/**
 * The schedule service's checks of a definition: {@link ScheduleSpec}'s rules (the one home of
 * name, cron and zone), raised as {@link ScheduleException}s naming the schedule; and the base,
 * which only the service needs. Stateless.
 */
final class Crons {
  private Crons() {}

  static void requireName(String name) {
    try {
      ScheduleSpec.name(name);
    } catch (InvalidScheduleException e) {
      throw refused(name, e);
    }
  }

  static void requireBase(String name, String baseId) {
    if (baseId == null || baseId.isBlank()) {
      throw new ScheduleException(name, "baseId", "no base id: a schedule runs one base");
    }
  }

  static ZoneId zone(String name, String timezone) {
    try {
      return ScheduleSpec.zone(timezone);
    } catch (InvalidScheduleException e) {
      throw refused(name, e);
    }
  }

  /** Parses the pattern as db-scheduler will, so a bad one is refused now and not at a fire. */
  static CronSchedule schedule(String name, String cron, String timezone) {
    String pattern;
    try {
      pattern = ScheduleSpec.springCron(cron);
    } catch (InvalidScheduleException e) {
      throw refused(name, e);
    }
    return new CronSchedule(pattern, zone(name, timezone));
  }

  private static ScheduleException refused(String name, InvalidScheduleException e) {
    return new ScheduleException(name, e.field(), e.getMessage());
  }
}
