package dev.integrity.config;

import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.RateRule;
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
    Duration rateProbe,
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
  static final String RATE_PROBE = "AIRTABLE_RATE_PROBE_MINUTES";
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
    Objects.requireNonNull(rateProbe, "rateProbe");
    Objects.requireNonNull(maxRunDuration, "maxRunDuration");
    Objects.requireNonNull(hungRunThreshold, "hungRunThreshold");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(heartbeatStale, "heartbeatStale");
    Objects.requireNonNull(longRunAlert, "longRunAlert");
  }

  /** The same limits with another request rate ceiling per base. */
  public Limits withRateLimitPerSecond(int perSecond) {
    return new Limits(
        requestTimeout,
        connectTimeout,
        readTimeout,
        maxRetries,
        perSecond,
        tokenRateLimitPerSecond,
        rateProbe,
        maxRunDuration,
        hungRunThreshold,
        sweepInterval,
        heartbeatInterval,
        heartbeatStale,
        longRunAlert,
        runningRunsAlertThreshold);
  }

  /** The contract's defaults (300 s request, 1800 s run, 30 min hung threshold, …). */
  public static Limits defaults() {
    return fromEnv(Map.of());
  }

  /**
   * Reads the limits from the contract's variables, using the default for each unset or blank one.
   * Does not check nesting: {@link Settings#from} does, once, for the process.
   *
   * @throws ConfigException naming every variable whose value is not a whole number in range
   */
  public static Limits fromEnv(Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    Limits limits = read(new EnvReader(env, problems), new ArrayList<>());
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return limits;
  }

  /** The contract's limits from {@code env}, defaults fitted; each fit is added to adjustments. */
  static Limits read(EnvReader env, List<String> adjustments) {
    Reader r = new Reader(env);
    Limits parsed =
        new Limits(
            r.duration(REQUEST_TIMEOUT, wholeSeconds(AirtableSettings.DEFAULT_REQUEST_TIMEOUT)),
            r.duration(CONNECT_TIMEOUT, wholeSeconds(AirtableSettings.DEFAULT_CONNECT_TIMEOUT)),
            r.duration(READ_TIMEOUT, wholeSeconds(AirtableSettings.DEFAULT_READ_TIMEOUT)),
            r.count(MAX_RETRIES, AirtableSettings.DEFAULT_MAX_RETRIES, 0),
            r.count(RATE_LIMIT, AirtableSettings.DEFAULT_RATE_LIMIT_PER_SECOND, 1),
            r.count(TOKEN_RATE_LIMIT, AirtableSettings.DEFAULT_TOKEN_RATE_LIMIT_PER_SECOND, 1),
            r.duration(
                RATE_PROBE, RateRule.DEFAULT_LONGEST_PROBE_WAIT.toMinutes(), ChronoUnit.MINUTES),
            r.duration(MAX_RUN_DURATION, 1800, ChronoUnit.SECONDS),
            r.duration(HUNG_RUN_THRESHOLD, 30, ChronoUnit.MINUTES),
            r.duration(SWEEP_INTERVAL, 600, ChronoUnit.SECONDS),
            r.duration(HEARTBEAT_INTERVAL, 15, ChronoUnit.SECONDS),
            r.duration(HEARTBEAT_STALE, 120, ChronoUnit.SECONDS),
            r.duration(LONG_RUN_ALERT, 15, ChronoUnit.MINUTES),
            r.count(RUNNING_RUNS_ALERT, 5, 0));
    return parsed.fitDefaults(env::given, adjustments);
  }

  private static long wholeSeconds(Duration d) {
    return d.toSeconds();
  }

  /**
   * Moves limits the user left at their default so that they nest under the ones the user set (the
   * contract: "A limit left at its default that would not nest under one the user set is lowered
   * (or raised) to fit"). Two limits the user set are left alone, so that {@link
   * #validateNesting()} refuses them naming both. Each move is described in {@code adjustments}.
   *
   * <p>Why these values: a request deadline of half the run deadline leaves room for a retry inside
   * the run; a raised run deadline of twice the request deadline likewise; the hung-run threshold
   * only ever needs to reach the run deadline; staleness keeps the default ratio of eight
   * heartbeats.
   */
  Limits fitDefaults(java.util.function.Predicate<String> set, List<String> adjustments) {
    Duration request = requestTimeout;
    Duration run = maxRunDuration;
    Duration hung = hungRunThreshold;
    Duration beat = heartbeatInterval;
    Duration stale = heartbeatStale;
    // Run against hung first: lowering the run deadline may then require a lower request one.
    if (run.compareTo(hung) > 0) {
      if (!set.test(HUNG_RUN_THRESHOLD)) {
        Duration raised = Duration.ofMinutes((run.toSeconds() + 59) / 60);
        adjustments.add(
            moved(HUNG_RUN_THRESHOLD, hung, raised, "raised", "at least", MAX_RUN_DURATION, run));
        hung = raised;
      } else if (!set.test(MAX_RUN_DURATION)) {
        adjustments.add(
            moved(MAX_RUN_DURATION, run, hung, "lowered", "at most", HUNG_RUN_THRESHOLD, hung));
        run = hung;
      }
    }
    if (request.compareTo(run) >= 0) {
      if (!set.test(REQUEST_TIMEOUT)) {
        Duration lowered = run.dividedBy(2);
        adjustments.add(
            moved(REQUEST_TIMEOUT, request, lowered, "lowered", "below", MAX_RUN_DURATION, run));
        request = lowered;
      } else if (!set.test(MAX_RUN_DURATION)) {
        Duration raised = request.multipliedBy(2);
        adjustments.add(
            moved(MAX_RUN_DURATION, run, raised, "raised", "above", REQUEST_TIMEOUT, request));
        run = raised;
        if (run.compareTo(hung) > 0 && !set.test(HUNG_RUN_THRESHOLD)) {
          Duration hungRaised = Duration.ofMinutes((run.toSeconds() + 59) / 60);
          adjustments.add(
              moved(
                  HUNG_RUN_THRESHOLD,
                  hung,
                  hungRaised,
                  "raised",
                  "at least",
                  MAX_RUN_DURATION,
                  run));
          hung = hungRaised;
        }
      }
    }
    if (beat.compareTo(stale) >= 0) {
      if (!set.test(HEARTBEAT_STALE)) {
        Duration raised = beat.multipliedBy(8);
        adjustments.add(
            moved(HEARTBEAT_STALE, stale, raised, "raised", "above", HEARTBEAT_INTERVAL, beat));
        stale = raised;
      } else if (!set.test(HEARTBEAT_INTERVAL)) {
        Duration lowered = stale.dividedBy(8);
        adjustments.add(
            moved(HEARTBEAT_INTERVAL, beat, lowered, "lowered", "below", HEARTBEAT_STALE, stale));
        beat = lowered;
      }
    }
    return new Limits(
        request,
        connectTimeout,
        readTimeout,
        maxRetries,
        rateLimitPerSecond,
        tokenRateLimitPerSecond,
        rateProbe,
        run,
        hung,
        sweepInterval,
        beat,
        stale,
        longRunAlert,
        runningRunsAlertThreshold);
  }

  private static String moved(
      String name,
      Duration from,
      Duration to,
      String verb,
      String relation,
      String other,
      Duration otherValue) {
    return name
        + " left at its default ("
        + seconds(from)
        + ") "
        + verb
        + " to "
        + seconds(to)
        + " to stay "
        + relation
        + " "
        + other
        + " ("
        + seconds(otherValue)
        + ")";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }

  /**
   * Refuses limits that do not nest: request deadline &lt; run deadline &lt;= hung-run threshold
   * (else the reaper or the run deadline fires before the thing it guards), and heartbeat interval
   * &lt; heartbeat staleness (else every live run looks lost).
   *
   * @throws ConfigException whose message names the two limits of each broken pair
   */
  void validateNesting() {
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

  /** Reads whole numbers with their defaults; a bad value is recorded and the default kept. */
  private record Reader(EnvReader env) {
    Duration duration(String name, long defaultSeconds) {
      return duration(name, defaultSeconds, ChronoUnit.SECONDS);
    }

    Duration duration(String name, long defaultValue, ChronoUnit unit) {
      Long value = env.number(name, 1, Long.MAX_VALUE / 1_000_000_000L / 3600);
      return Duration.of(value == null ? defaultValue : value, unit);
    }

    int count(String name, int defaultValue, int min) {
      Long value = env.number(name, min, Integer.MAX_VALUE);
      return value == null ? defaultValue : value.intValue();
    }
  }
}
