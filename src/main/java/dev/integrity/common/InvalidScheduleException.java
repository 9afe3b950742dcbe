package dev.integrity.common;

/**
 * A schedule's name, cron or time zone broke {@link ScheduleSpec}'s rules. The message says what is
 * wrong without saying where; each caller adds where (the config's file and line, the API's 400,
 * the schedule service's schedule name). Immutable once thrown.
 */
public final class InvalidScheduleException extends IllegalArgumentException {
  private final String field;

  InvalidScheduleException(String field, String message) {
    super(message);
    this.field = field;
  }

  /**
   * The offending field as the config and the API spell it: {@code name}, {@code cron} or {@code
   * timezone}.
   */
  public String field() {
    return field;
  }
}
