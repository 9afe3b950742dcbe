package dev.integrity.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every deadline, interval and threshold of Integrity Runner, read from the environment variables
 * of the contract (see {@link #fromEnv}). Immutable and thread-safe.
 */
public record Limits(
    Duration requestTimeout,
    Duration connectTimeout,
    Duration readTimeout,
    int maxRetries,
    int rateLimitPerSecond,
    int tokenRateLimitPerSecond,
    Duration maxRunDuration,
    Duration hungRunThreshold,
    Duration sweepInterval,
    Duration heartbeatInterval,
    Duration heartbeatStale,
    Duration longRunAlert,
    int runningRunsAlertThreshold) {

  static final String REQUEST_TIMEOUT = "AIRTABLE_REQUEST_TIMEOUT_SECONDS";
  static final String CONNECT_TIMEOUT = "AIRTABLE_CONNECT_TIMEOUT_SECONDS";
  static final String READ_TIMEOUT = "AIRTABLE_READ_TIMEOUT_SECONDS";
  static final String MAX_RETRIES = "AIRTABLE_MAX_RETRIES";
  static final String RATE_LIMIT = "AIRTABLE_RATE_LIMIT_PER_SECOND";
  static final String TOKEN_RATE_LIMIT = "AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND";
  static final String MAX_RUN_DURATION = "MAX_RUN_DURATION_SECONDS";
  static final String HUNG_RUN_THRESHOLD = "HUNG_RUN_THRESHOLD_MINUTES";
  static final String SWEEP_INTERVAL = "HUNG_RUN_SWEEP_INTERVAL_SECONDS";
  static final String HEARTBEAT_INTERVAL = "RUN_HEARTBEAT_INTERVAL_SECONDS";
  static final String HEARTBEAT_STALE = "RUN_HEARTBEAT_STALE_SECONDS";
  static final String LONG_RUN_ALERT = "LONG_RUN_ALERT_MINUTES";
  static final String RUNNING_RUNS_ALERT = "RUNNING_RUNS_ALERT_THRESHOLD";

  public Limits {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(maxRunDuration, "maxRunDuration");
    Objects.requireNonNull(hungRunThreshold, "hungRunThreshold");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(heartbeatStale, "heartbeatStale");
    Objects.requireNonNull(longRunAlert, "longRunAlert");
  }

  /** The contract's defaults (300 s request, 1800 s run, 30 min hung threshold, …). */
  public static Limits defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the limits from the contract's variables, using the default for each unset or blank one.
   * Does not check nesting (see {@link #validateNesting()}).
   *
   * @throws ConfigException naming every variable whose value is not a whole number in range
   */
  public static Limits fromEnv(Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    Limits limits = read(env, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return limits;
  }

  static Limits read(Map<String, String> env, List<ConfigProblem> problems) {
    Reader r = new Reader(env, problems);
    return new Limits(
        r.duration(REQUEST_TIMEOUT, 300, ChronoUnit.SECONDS),
        r.duration(CONNECT_TIMEOUT, 10, ChronoUnit.SECONDS),
        r.duration(READ_TIMEOUT, 60, ChronoUnit.SECONDS),
        r.count(MAX_RETRIES, 5, 0),
        r.count(RATE_LIMIT, 5, 1),
        r.count(TOKEN_RATE_LIMIT, 50, 1),
        r.duration(MAX_RUN_DURATION, 1800, ChronoUnit.SECONDS),
        r.duration(HUNG_RUN_THRESHOLD, 30, ChronoUnit.MINUTES),
        r.duration(SWEEP_INTERVAL, 600, ChronoUnit.SECONDS),
        r.duration(HEARTBEAT_INTERVAL, 15, ChronoUnit.SECONDS),
        r.duration(HEARTBEAT_STALE, 120, ChronoUnit.SECONDS),
        r.duration(LONG_RUN_ALERT, 15, ChronoUnit.MINUTES),
        r.count(RUNNING_RUNS_ALERT, 5, 0));
  }

  /**
   * Refuses limits that do not nest: request deadline &lt; run deadline &lt;= hung-run threshold
   * (else the reaper or the run deadline fires before the thing it guards), and heartbeat interval
   * &lt; heartbeat staleness (else every live run looks lost).
   *
   * @throws ConfigException whose message names the two limits of each broken pair
   */
  public void validateNesting() {
    List<ConfigProblem> problems = nestingProblems();
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  List<ConfigProblem> nestingProblems() {
    List<ConfigProblem> problems = new ArrayList<>();
    if (requestTimeout.compareTo(maxRunDuration) >= 0) {
      problems.add(
          ConfigProblem.inEnvironment(
              REQUEST_TIMEOUT,
              "limits do not nest: "
                  + REQUEST_TIMEOUT
                  + " ("
                  + requestTimeout.toSeconds()
                  + " s) must be less than "
                  + MAX_RUN_DURATION
                  + " ("
                  + maxRunDuration.toSeconds()
                  + " s)"));
    }
    if (maxRunDuration.compareTo(hungRunThreshold) > 0) {
      problems.add(
          ConfigProblem.inEnvironment(
              MAX_RUN_DURATION,
              "limits do not nest: "
                  + MAX_RUN_DURATION
                  + " ("
                  + maxRunDuration.toSeconds()
                  + " s) must be at most "
                  + HUNG_RUN_THRESHOLD
                  + " x 60 ("
                  + hungRunThreshold.toSeconds()
                  + " s)"));
    }
    if (heartbeatInterval.compareTo(heartbeatStale) >= 0) {
      problems.add(
          ConfigProblem.inEnvironment(
              HEARTBEAT_INTERVAL,
              "limits do not nest: "
                  + HEARTBEAT_INTERVAL
                  + " ("
                  + heartbeatInterval.toSeconds()
                  + " s) must be less than "
                  + HEARTBEAT_STALE
                  + " ("
                  + heartbeatStale.toSeconds()
                  + " s)"));
    }
    return problems;
  }

  /** Parses whole numbers from the environment, recording a problem per bad variable. */
  private record Reader(Map<String, String> env, List<ConfigProblem> problems) {
    Duration duration(String name, long defaultValue, ChronoUnit unit) {
      long value = number(name, defaultValue, 1, Long.MAX_VALUE / 1_000_000_000L / 3600);
      return Duration.of(value, unit);
    }

    int count(String name, int defaultValue, int min) {
      return (int) number(name, defaultValue, min, Integer.MAX_VALUE);
    }

    private long number(String name, long defaultValue, long min, long max) {
      String raw = env.get(name);
      if (raw == null || raw.isBlank()) {
        return defaultValue;
      }
      try {
        long value = Long.parseLong(raw.trim());
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below with the accepted range
      }
      problems.add(
          ConfigProblem.inEnvironment(
              name,
              name
                  + " must be a whole number from "
                  + min
                  + " to "
                  + max
                  + ", got '"
                  + Text.shorten(raw, 40)
                  + "'"));
      return defaultValue;
    }
  }
}
