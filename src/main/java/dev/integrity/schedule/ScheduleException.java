package dev.integrity.schedule;

import dev.integrity.IntegrityException;

/**
 * A schedule definition was refused (bad name, cron, time zone or base): the caller's input is at
 * fault, so an API answers it with 400. Immutable once thrown.
 */
public final class ScheduleException extends IntegrityException {
  private final String schedule;
  private final String field;

  public ScheduleException(String schedule, String field, String message) {
    super("schedule " + (schedule == null ? "(unnamed)" : "'" + schedule + "'") + ": " + message);
    this.schedule = schedule;
    this.field = field;
  }

  /** The schedule's name as given, or null when it had none. */
  public String schedule() {
    return schedule;
  }

  /** The offending field: {@code name}, {@code baseId}, {@code cron} or {@code timezone}. */
  public String field() {
    return field;
  }
}
