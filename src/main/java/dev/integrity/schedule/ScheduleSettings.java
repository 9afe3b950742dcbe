package dev.integrity.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * How the schedule service runs db-scheduler: {@code pollingInterval} (how late a fire may be),
 * {@code shutdownMaxWait} (bound on stopping), worker {@code threads}, this process's {@code
 * instanceName} (shown as the picker of a fire) and {@code lockAndFetch} (PostgreSQL's {@code
 * SELECT … FOR UPDATE SKIP LOCKED} polling, for several instances; refused on SQLite), and how soon
 * a fire picked by an instance that died is taken up again: db-scheduler stamps a picked fire every
 * {@code heartbeatInterval} and counts it dead after {@code missedHeartbeats} missed stamps (its
 * own defaults, 5 min and 6, would hold a schedule for half an hour). A fire holds its worker while
 * its run goes on, at most {@code runHold} (the run's own deadline plus a margin): {@code threads}
 * is how many scheduled runs one instance carries at once, and fires beyond that wait for a free
 * worker here or on another instance. Immutable and thread-safe.
 */
public record ScheduleSettings(
    Duration pollingInterval,
    Duration shutdownMaxWait,
    int threads,
    String instanceName,
    boolean lockAndFetch,
    Duration heartbeatInterval,
    int missedHeartbeats,
    Duration runHold) {

  public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_SHUTDOWN_MAX_WAIT = Duration.ofSeconds(10);
  // Ten bases at Airtable's 5 requests per second fill one token's cap of 50: more runs at once on
  // one instance would mostly wait for the same token.
  public static final int DEFAULT_THREADS = 10;
  // The contract's MAX_RUN_DURATION_SECONDS (1800 s) and a minute for the run's ending.
  public static final Duration DEFAULT_RUN_HOLD = Duration.ofMinutes(31);
  // The contract's RUN_HEARTBEAT_INTERVAL_SECONDS and RUN_HEARTBEAT_STALE_SECONDS (15 s, 120 s).
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(15);
  public static final int DEFAULT_MISSED_HEARTBEATS = 8;
  // db-scheduler refuses fewer.
  static final int MIN_MISSED_HEARTBEATS = 4;

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
    requirePositive(heartbeatInterval, "heartbeatInterval");
    if (missedHeartbeats < MIN_MISSED_HEARTBEATS) {
      throw new IllegalArgumentException(
          "missedHeartbeats must be at least "
              + MIN_MISSED_HEARTBEATS
              + " (db-scheduler's floor), was "
              + missedHeartbeats);
    }
    requirePositive(runHold, "runHold");
  }

  /** Polling, shutdown bound, threads, instance and fetch mode as given; heartbeats as default. */
  public ScheduleSettings(
      Duration pollingInterval,
      Duration shutdownMaxWait,
      int threads,
      String instanceName,
      boolean lockAndFetch) {
    this(
        pollingInterval,
        shutdownMaxWait,
        threads,
        instanceName,
        lockAndFetch,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_MISSED_HEARTBEATS,
        DEFAULT_RUN_HOLD);
  }

  /** One-second polling, a 10 s shutdown bound, ten threads, plain fetch polling. */
  public static ScheduleSettings defaults(String instanceName) {
    return new ScheduleSettings(
        DEFAULT_POLLING_INTERVAL,
        DEFAULT_SHUTDOWN_MAX_WAIT,
        DEFAULT_THREADS,
        instanceName,
        false,
        DEFAULT_HEARTBEAT_INTERVAL,
        DEFAULT_MISSED_HEARTBEATS,
        DEFAULT_RUN_HOLD);
  }

  public ScheduleSettings withPollingInterval(Duration interval) {
    return new ScheduleSettings(
        interval,
        shutdownMaxWait,
        threads,
        instanceName,
        lockAndFetch,
        heartbeatInterval,
        missedHeartbeats,
        runHold);
  }

  /** At most {@code threads} scheduled runs at once on this instance. */
  public ScheduleSettings withThreads(int threads) {
    return new ScheduleSettings(
        pollingInterval,
        shutdownMaxWait,
        threads,
        instanceName,
        lockAndFetch,
        heartbeatInterval,
        missedHeartbeats,
        runHold);
  }

  /**
   * A fire lets go of its worker once its run has ended, or after {@code runDeadline} plus a minute
   * if the run has not (its deadline should have ended it; the reaper does if not).
   */
  public ScheduleSettings withRunDeadline(Duration runDeadline) {
    requirePositive(runDeadline, "runDeadline");
    return new ScheduleSettings(
        pollingInterval,
        shutdownMaxWait,
        threads,
        instanceName,
        lockAndFetch,
        heartbeatInterval,
        missedHeartbeats,
        runDeadline.plusMinutes(1));
  }

  public ScheduleSettings withLockAndFetch(boolean enabled) {
    return new ScheduleSettings(
        pollingInterval,
        shutdownMaxWait,
        threads,
        instanceName,
        enabled,
        heartbeatInterval,
        missedHeartbeats,
        runHold);
  }

  /**
   * A picked fire is taken up again once its instance has been silent for {@code stale}: the same
   * bound after which a run's owner counts as lost. Stamps go every {@code interval}, or more often
   * when db-scheduler's floor of {@value #MIN_MISSED_HEARTBEATS} missed stamps would otherwise
   * stretch the bound.
   */
  public ScheduleSettings withHeartbeat(Duration interval, Duration stale) {
    requirePositive(interval, "heartbeat interval");
    requirePositive(stale, "heartbeat staleness");
    long missed = (stale.toMillis() + interval.toMillis() - 1) / interval.toMillis();
    Duration stamp = interval;
    if (missed < MIN_MISSED_HEARTBEATS) {
      missed = MIN_MISSED_HEARTBEATS;
      stamp = Duration.ofMillis(Math.max(1, stale.toMillis() / MIN_MISSED_HEARTBEATS));
    }
    return new ScheduleSettings(
        pollingInterval,
        shutdownMaxWait,
        threads,
        instanceName,
        lockAndFetch,
        stamp,
        (int) Math.min(Integer.MAX_VALUE, missed),
        runHold);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
