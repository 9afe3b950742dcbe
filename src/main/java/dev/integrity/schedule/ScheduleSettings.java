package dev.integrity.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * How the schedule service runs db-scheduler: {@code pollingInterval} (how late a fire may be),
 * {@code shutdownMaxWait} (bound on stopping), worker {@code threads}, this process's {@code
 * instanceName} (shown as the picker of a fire) and {@code lockAndFetch} (PostgreSQL's {@code
 * SELECT … FOR UPDATE SKIP LOCKED} polling, for several instances; refused on SQLite). Immutable
 * and thread-safe.
 */
public record ScheduleSettings(
    Duration pollingInterval,
    Duration shutdownMaxWait,
    int threads,
    String instanceName,
    boolean lockAndFetch) {

  public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_MAX_WAIT = Duration.ofSeconds(10);
  public static final int DEFAULT_THREADS = 2;

  public ScheduleSettings {
    requirePositive(pollingInterval, "pollingInterval");
    requirePositive(shutdownMaxWait, "shutdownMaxWait");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
    Objects.requireNonNull(instanceName, "instanceName");
    if (instanceName.isBlank()) {
      throw new IllegalArgumentException("instanceName must not be blank");
    }
  }

  /** One-second polling, a 10 s shutdown bound, two threads, plain fetch polling. */
  public static ScheduleSettings defaults(String instanceName) {
    return new ScheduleSettings(
        DEFAULT_POLLING_INTERVAL, DEFAULT_SHUTDOWN_MAX_WAIT, DEFAULT_THREADS, instanceName, false);
  }

  public ScheduleSettings withPollingInterval(Duration interval) {
    return new ScheduleSettings(interval, shutdownMaxWait, threads, instanceName, lockAndFetch);
  }

  public ScheduleSettings withLockAndFetch(boolean enabled) {
    return new ScheduleSettings(pollingInterval, shutdownMaxWait, threads, instanceName, enabled);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
