package dev.integrity.metrics;

import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.ApiCall;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.RetryEvent;
import dev.integrity.alert.AlertMetrics;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.run.RunListener;
import dev.integrity.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Owns the Prometheus registry and adapts the app's listeners to meters (all named {@code
 * integrity_…}). Thread-safe.
 */
public final class Metrics implements AlertMetrics {
  private static final Logger log = LoggerFactory.getLogger(Metrics.class);

  /** How long the gauges read from the store are reused, so a scrape storm costs one query. */
  public static final Duration DEFAULT_GAUGE_CACHE = Duration.ofSeconds(5);

  private static final Duration[] RUN_BUCKETS = {
    Duration.ofSeconds(1),
    Duration.ofSeconds(5),
    Duration.ofSeconds(15),
    Duration.ofSeconds(30),
    Duration.ofMinutes(1),
    Duration.ofMinutes(2),
    Duration.ofMinutes(5),
    Duration.ofMinutes(10),
    Duration.ofMinutes(15),
    Duration.ofMinutes(30),
    Duration.ofHours(1)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Store store;
  private final Clock clock;
  private final Ticker ticker;
  private final Duration gaugeCache;
  private final Counter recordsFetched;
  private final Counter pagesFetched;
  // Progress events carry running totals per entity; we count the growth since the last one. The
  // totals are kept after the entity's fetch ends (until its run ends): the events that follow it
  // (checked, issues counted) repeat the same totals and must add nothing. Forgetting them at
  // "fetched" counted every page and record twice (issue 18).
  private final ConcurrentMap<String, long[]> entityTotals = new ConcurrentHashMap<>();
  // Runs whose end was counted, newest last: the engine and the reaper can both report one run's
  // end (a local run reaped as overdue, then ended by its engine); it is counted once.
  private final java.util.Set<String> endedRuns =
      java.util.Collections.newSetFromMap(
          new java.util.LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
              return size() > ENDED_RUNS_REMEMBERED;
            }
          });
  private static final int ENDED_RUNS_REMEMBERED = 10_000;
  private final Object snapshotLock = new Object();
  private RunningSnapshot snapshot;
  private final RunListener runListener = new RunMeters();
  private final AirtableMeters airtableMeters;
  // Airtable calls of each live run by kind (index = ApiCall.Kind ordinal), keyed by run id: the
  // client calls on the run's own threads, which carry the run id in the MDC key "run".
  private final ConcurrentMap<String, AtomicLongArray> runCalls = new ConcurrentHashMap<>();
  private final AirtableListener airtableListener = new RunCallCounter();

  /** Metrics with the default gauge cache and the system ticker. */
  public Metrics(Store store, Clock clock) {
    this(store, clock, Ticker.system(), DEFAULT_GAUGE_CACHE);
  }

  public Metrics(Store store, Clock clock, Ticker ticker, Duration gaugeCache) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.gaugeCache = Objects.requireNonNull(gaugeCache, "gaugeCache");
    this.recordsFetched =
        Counter.builder("integrity.records.fetched")
            .description("Airtable records fetched by runs")
            .register(registry);
    this.pagesFetched =
        Counter.builder("integrity.pages.fetched")
            .description("Airtable pages fetched by runs")
            .register(registry);
    Gauge.builder("integrity.runs.running", this, m -> m.running().count())
        .description("Runs with status running now")
        .register(registry);
    Gauge.builder("integrity.oldest.running.run.age", this, m -> m.running().oldestAgeSeconds())
        .baseUnit("seconds")
        .description("Age of the oldest running run (0 when none runs)")
        .register(registry);
    this.airtableMeters = new AirtableMeters(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter ({@code GET /metrics}). */
  public String scrape() {
    return registry.scrape();
  }

  /** Runs by final status, run durations, records and pages fetched, run timeouts. */
  public RunListener runListener() {
    return runListener;
  }

  /** Airtable request latency by status class, retries by cause, timeouts by kind. */
  public AirtableListener airtableListener() {
    return airtableListener;
  }

  /** The MDC key under which a run's threads carry its id (set by the run engine). */
  static final String RUN_MDC_KEY = "run";

  /** Airtable's meters plus the per-run call counts that {@code onRunEnded} records. */
  private final class RunCallCounter implements AirtableListener {
    @Override
    public void onRequest(RequestEvent e) {
      airtableMeters.onRequest(e);
    }

    @Override
    public void onRetry(RetryEvent e) {
      airtableMeters.onRetry(e);
    }

    @Override
    public void onApiCall(ApiCall call) {
      airtableMeters.onApiCall(call);
      try {
        String runId = MDC.get(RUN_MDC_KEY);
        if (runId != null && call.kind() != null) {
          runCalls
              .computeIfAbsent(runId, id -> new AtomicLongArray(ApiCall.Kind.values().length))
              .incrementAndGet(call.kind().ordinal());
        }
      } catch (RuntimeException e) {
        log.warn("metrics: cannot count an Airtable call: {}", e.toString());
      }
    }
  }

  /** Records the run's Airtable calls, once per kind (zero included), and forgets them. */
  private void recordRunCalls(RunRecord run) {
    AtomicLongArray counts = runCalls.remove(run.id());
    for (ApiCall.Kind kind : ApiCall.Kind.values()) {
      DistributionSummary.builder("integrity.run.airtable.calls")
          .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
          .description("Airtable API calls per run (retries included), by kind, at the run's end")
          .register(registry)
          .record(counts == null ? 0 : counts.get(kind.ordinal()));
    }
  }

  /**
   * The reaper ended a run, e.g. {@code reason} {@code stale}, {@code overdue}, {@code unclaimed}.
   */
  public void onReaped(String reason) {
    count("integrity.reaped.runs", "reason", reason, "Runs ended by the hung-run reaper");
  }

  /** A schedule fire was skipped because its base already had an active run. */
  public void onScheduleSkipped(String schedule) {
    count(
        "integrity.schedule.fires.skipped",
        "schedule",
        schedule,
        "Schedule fires skipped because the base had an active run");
  }

  @Override
  public void onAlertSent(String channel) {
    count("integrity.alerts.sent", "channel", channel, "Alert messages delivered");
  }

  @Override
  public void onAlertFailed(String channel) {
    count("integrity.alerts.failed", "channel", channel, "Alert messages given up on");
  }

  private void count(String name, String tag, String value, String description) {
    try {
      Counter.builder(name)
          .tag(tag, value == null ? "unknown" : value)
          .description(description)
          .register(registry)
          .increment();
    } catch (RuntimeException e) {
      log.warn("metrics: cannot count {}: {}", name, e.toString());
    }
  }

  private RunningSnapshot running() {
    synchronized (snapshotLock) {
      long now = ticker.nanoTime();
      if (snapshot == null || now - snapshot.takenAtNanos() >= gaugeCache.toNanos()) {
        snapshot = readRunning(now);
      }
      return snapshot;
    }
  }

  private RunningSnapshot readRunning(long nowNanos) {
    try {
      List<RunRecord> running = store.runs().withStatus(RunStatus.RUNNING);
      Instant now = clock.instant();
      double oldest = 0;
      for (RunRecord run : running) {
        Instant start = run.startedAt() != null ? run.startedAt() : run.createdAt();
        oldest = Math.max(oldest, Duration.between(start, now).toMillis() / 1000.0);
      }
      return new RunningSnapshot(running.size(), oldest, nowNanos);
    } catch (RuntimeException e) {
      log.warn("metrics: cannot read running runs from the store: {}", e.getMessage());
      return new RunningSnapshot(Double.NaN, Double.NaN, nowNanos);
    }
  }

  /** Running runs as last read from the store. */
  private record RunningSnapshot(double count, double oldestAgeSeconds, long takenAtNanos) {}

  /** Adapts run events to meters; never throws. */
  private final class RunMeters implements RunListener {
    @Override
    public void onEntityProgress(String runId, EntityProgress progress) {
      try {
        String key = runId + "/" + progress.name();
        long[] growth = new long[2];
        entityTotals.compute(
            key,
            (k, previous) -> {
              long[] now = {progress.records(), progress.pages()};
              for (int i = 0; i < 2; i++) {
                // A restarted fetch counts from zero again: its records are fetched again.
                long before = previous == null ? 0 : previous[i];
                growth[i] = now[i] >= before ? now[i] - before : now[i];
              }
              return now;
            });
        recordsFetched.increment(growth[0]);
        pagesFetched.increment(growth[1]);
      } catch (RuntimeException e) {
        log.warn("metrics: cannot count the progress of run {}: {}", runId, e.toString());
      }
    }

    @Override
    public void onRunEnded(RunRecord run) {
      try {
        if (!run.status().terminal()) {
          return;
        }
        entityTotals.keySet().removeIf(key -> key.startsWith(run.id() + "/"));
        synchronized (endedRuns) {
          if (!endedRuns.add(run.id())) {
            return;
          }
        }
        recordRunCalls(run);
        String status = run.status().wire();
        Counter.builder("integrity.runs")
            .tag("status", status)
            .description("Runs ended, by final status")
            .register(registry)
            .increment();
        if (run.status() == RunStatus.TIMEOUT) {
          AirtableMeters.timeout(registry, "run");
        }
        if (run.startedAt() != null && run.finishedAt() != null) {
          Timer.builder("integrity.run.duration")
              .tag("status", status)
              .description("Duration of ended runs, from start to end")
              .serviceLevelObjectives(RUN_BUCKETS)
              .register(registry)
              .record(Duration.between(run.startedAt(), run.finishedAt()));
        }
      } catch (RuntimeException e) {
        log.warn("metrics: cannot count the end of run {}: {}", run.id(), e.toString());
      }
    }
  }
}
