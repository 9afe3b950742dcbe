package dev.integrity.alert;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.integrity.Threads;
import dev.integrity.run.RunListener;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueSummary;
import dev.integrity.store.RunRecord;
import dev.integrity.store.RunStatus;
import dev.integrity.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises and resolves deduplicated alerts and delivers them off the caller's thread. The database
 * decides dedup ({@code openIfAbsent}), so across several processes only the one that opened (or
 * resolved) an alert sends it. Thread-safe.
 */
public final class AlertService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  private static final int DELIVERY_THREADS = 2;
  // Bounds memory when a channel is down and alerts keep coming; beyond it messages are dropped
  // and counted as failed.
  private static final int DELIVERY_QUEUE = 1_000;
  private static final int MAX_LISTED_RUNS = 10;
  private static final int MAX_ERROR_CHARS = 500;

  private final Store store;
  private final Clock clock;
  private final AlertSettings settings;
  private final List<AlertChannel> channels;
  private final ExecutorService deliveryPool;
  private final ScheduledExecutorService retryTimers;
  private final AlertMetrics metrics;
  private final PoolScheduler scheduler;
  private final Messages messages;
  // Skips this process saw; the store's count (all processes) wins when it is higher.
  private final Map<String, Integer> skips = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * The service owns both executors from now on: {@link #close()} shuts them down.
   *
   * @param deliveryPool runs the channel calls (see {@link #newDeliveryPool()})
   * @param retryTimers times the waits between attempts (see {@link #newRetryTimers()})
   */
  public AlertService(
      Store store,
      Clock clock,
      AlertSettings settings,
      List<AlertChannel> channels,
      ExecutorService deliveryPool,
      ScheduledExecutorService retryTimers,
      AlertMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.channels = List.copyOf(channels);
    this.deliveryPool = Objects.requireNonNull(deliveryPool, "deliveryPool");
    this.retryTimers = Objects.requireNonNull(retryTimers, "retryTimers");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.scheduler = new PoolScheduler(deliveryPool, retryTimers);
    this.messages = new Messages(settings.dashboardUrl());
  }

  /** A small bounded pool of daemon threads named {@code alert-delivery-N}. */
  public static ExecutorService newDeliveryPool() {
    return new ThreadPoolExecutor(
        DELIVERY_THREADS,
        DELIVERY_THREADS,
        60,
        TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(DELIVERY_QUEUE),
        Threads.named("alert-delivery"));
  }

  /** One daemon timer thread named {@code alert-retry-timer-N}. */
  public static ScheduledExecutorService newRetryTimers() {
    return Executors.newSingleThreadScheduledExecutor(Threads.named("alert-retry-timer"));
  }

  /**
   * A run listener that feeds {@link #onRunEnded(RunRecord, IssueSummary)}, reading the issue
   * summary from the store when new-fail-issue alerts are on.
   */
  public RunListener runListener() {
    return new RunListener() {
      @Override
      public void onRunEnded(RunRecord run) {
        IssueSummary issues = null;
        if (settings.onNewFailIssues() && run.status() == RunStatus.SUCCEEDED) {
          try {
            issues = store.issues().summary(run.id());
          } catch (RuntimeException e) {
            log.warn("alerts: cannot read the issues of run {}: {}", run.id(), e.getMessage());
          }
        }
        AlertService.this.onRunEnded(run, issues);
      }
    };
  }

  /**
   * A run ended: {@code timeout} and {@code error} raise an alert for its base; {@code succeeded}
   * resolves the base's open timeout and error alerts and, when enabled, raises one for new {@code
   * fail} issues. Any end resolves the run's long-run alert. Never throws.
   *
   * @param issues the run's issue summary, or null when unknown
   */
  public void onRunEnded(RunRecord run, IssueSummary issues) {
    try {
      resolve(
          AlertKind.LONG_RUN.key(run.id()), "run " + run.id() + " ended " + run.status().wire());
      switch (run.status()) {
        case TIMEOUT ->
            raise(
                AlertKind.RUN_TIMEOUT,
                run.baseId(),
                run.id(),
                run.schedule(),
                "Run "
                    + run.id()
                    + " of base "
                    + run.baseId()
                    + " timed out"
                    + ranFor(run)
                    + errorSuffix(run));
        case ERROR ->
            raise(
                AlertKind.RUN_ERROR,
                run.baseId(),
                run.id(),
                run.schedule(),
                "Run "
                    + run.id()
                    + " of base "
                    + run.baseId()
                    + " ended with an error"
                    + ranFor(run)
                    + errorSuffix(run));
        case SUCCEEDED -> {
          String why = "run " + run.id() + " of base " + run.baseId() + " succeeded";
          resolve(AlertKind.RUN_TIMEOUT.key(run.baseId()), why);
          resolve(AlertKind.RUN_ERROR.key(run.baseId()), why);
          onSucceededIssues(run, issues);
        }
        case CANCELLED, QUEUED, RUNNING -> {
          // Someone asked for a cancel; nothing went wrong, and nothing is fixed either.
        }
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot evaluate the end of run {}", run.id(), e);
    }
  }

  private void onSucceededIssues(RunRecord run, IssueSummary issues) {
    if (!settings.onNewFailIssues() || issues == null) {
      return;
    }
    long fail = issues.bySeverity().getOrDefault("fail", 0L);
    String key = AlertKind.NEW_FAIL_ISSUES.key(run.baseId());
    // The summary counts new issues of every severity; with fail issues among the open ones we
    // alert, since a new warn-only finding rarely comes with fail issues it did not cause.
    if (issues.newCount() > 0 && fail > 0) {
      raise(
          AlertKind.NEW_FAIL_ISSUES,
          run.baseId(),
          run.id(),
          run.schedule(),
          "Run "
              + run.id()
              + " of base "
              + run.baseId()
              + " found "
              + issues.newCount()
              + " new issue(s); "
              + fail
              + " open issue(s) of severity fail");
    } else {
      resolve(key, "run " + run.id() + " of base " + run.baseId() + " found no new fail issues");
    }
  }

  /**
   * A schedule fired: {@code skipsInARow} skipped fires in a row raise an alert; a fire that
   * started a run resolves it. Call it after the fire is recorded in the store. Never throws.
   */
  public void onScheduleFire(String schedule, String baseId, boolean skipped, String reason) {
    try {
      String key = AlertKind.SCHEDULE_SKIPPED.key(schedule);
      if (!skipped) {
        skips.remove(schedule);
        resolve(key, "schedule " + schedule + " started a run again");
        return;
      }
      int seen = skips.merge(schedule, 1, Integer::sum);
      int stored = store.schedules().consecutiveSkips(schedule);
      int inARow = Math.max(seen, stored);
      if (inARow < settings.skipsInARow()) {
        return;
      }
      String blocking =
          baseId == null ? null : store.runs().activeRun(baseId).map(RunRecord::id).orElse(null);
      raise(
          AlertKind.SCHEDULE_SKIPPED,
          baseId,
          blocking,
          schedule,
          "Schedule "
              + schedule
              + (baseId == null ? "" : " of base " + baseId)
              + " skipped "
              + inARow
              + " fires in a row"
              + (reason == null || reason.isBlank() ? "" : ": " + shorten(reason))
              + (blocking == null || (reason != null && reason.contains(blocking))
                  ? ""
                  : " (active run " + blocking + ")"));
    } catch (RuntimeException e) {
      log.error("alerts: cannot evaluate a fire of schedule {}", schedule, e);
    }
  }

  /**
   * The periodic check: a run running longer than {@code longRun} raises one alert (resolved when
   * it ends); more than {@code runningThreshold} runs running raise one (resolved when fewer run).
   * Never throws.
   */
  public void evaluate() {
    List<RunRecord> running;
    try {
      running = store.runs().withStatus(RunStatus.RUNNING);
    } catch (RuntimeException e) {
      log.warn("alerts: cannot list running runs: {}", e.getMessage());
      return;
    }
    Instant now = clock.instant();
    for (RunRecord run : running) {
      try {
        Duration age = Duration.between(started(run), now);
        if (age.compareTo(settings.longRun()) >= 0) {
          raise(
              AlertKind.LONG_RUN,
              run.baseId(),
              run.id(),
              run.schedule(),
              "Run "
                  + run.id()
                  + " of base "
                  + run.baseId()
                  + " has been running for "
                  + Messages.human(age)
                  + " (alert threshold "
                  + Messages.human(settings.longRun())
                  + "), since "
                  + started(run));
        }
      } catch (RuntimeException e) {
        log.error("alerts: cannot check run {} for its age", run.id(), e);
      }
    }
    resolveEndedLongRuns(running);
    try {
      String key = AlertKind.RUNNING_RUNS.key(null);
      if (running.size() > settings.runningThreshold()) {
        raise(AlertKind.RUNNING_RUNS, null, null, null, pileUp(running, now));
      } else {
        resolve(
            key,
            running.size()
                + " run(s) running, at most the threshold of "
                + settings.runningThreshold());
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot check the number of running runs", e);
    }
  }

  private void resolveEndedLongRuns(List<RunRecord> running) {
    try {
      Set<String> ids = running.stream().map(RunRecord::id).collect(Collectors.toSet());
      for (AlertRow row : store.alerts().open()) {
        if (AlertKind.LONG_RUN.wire().equals(row.kind()) && !ids.contains(row.runId())) {
          String status = store.runs().find(row.runId()).map(r -> r.status().wire()).orElse("gone");
          resolve(row.key(), "run " + row.runId() + " is no longer running (" + status + ")");
        }
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot resolve the long-run alerts of ended runs", e);
    }
  }

  private String pileUp(List<RunRecord> running, Instant now) {
    StringBuilder text =
        new StringBuilder()
            .append(running.size())
            .append(" runs are running, more than the threshold of ")
            .append(settings.runningThreshold())
            .append(':');
    running.stream()
        .limit(MAX_LISTED_RUNS)
        .forEach(
            run -> {
              text.append("\n- ")
                  .append(run.id())
                  .append(" (base ")
                  .append(run.baseId())
                  .append(", running ")
                  .append(Messages.human(Duration.between(started(run), now)))
                  .append(") ")
                  .append(messages.runUrl(run.id()));
            });
    if (running.size() > MAX_LISTED_RUNS) {
      text.append("\n- and ").append(running.size() - MAX_LISTED_RUNS).append(" more");
    }
    return text.toString();
  }

  /** The latest alerts, newest first ({@code GET /api/alerts}). */
  public List<AlertRow> recent(int limit) {
    return store.alerts().list(limit);
  }

  private void raise(AlertKind kind, String baseId, String runId, String schedule, String summary) {
    String key =
        switch (kind) {
          case RUN_TIMEOUT, RUN_ERROR, NEW_FAIL_ISSUES -> kind.key(baseId);
          case LONG_RUN -> kind.key(runId);
          case SCHEDULE_SKIPPED -> kind.key(schedule);
          case RUNNING_RUNS -> kind.key(null);
        };
    Optional<AlertRow> opened =
        store.alerts().openIfAbsent(key, kind.wire(), baseId, runId, schedule, summary);
    opened.ifPresent(
        row -> {
          log.warn("alert opened: {} (key {}): {}", kind.wire(), key, summary);
          deliver(row, messages.opened(row));
        });
  }

  private void resolve(String key, String why) {
    store
        .alerts()
        .resolve(key)
        .ifPresent(
            row -> {
              log.info("alert resolved: {} (key {}): {}", row.kind(), key, why);
              deliver(row, messages.resolved(row, why));
            });
  }

  private void deliver(AlertRow row, AlertMessage message) {
    for (AlertChannel channel : channels) {
      if (closed.get()) {
        log.warn(
            "alert {} not sent over {}: the alert service is closed", row.id(), channel.name());
        metrics.onAlertFailed(channel.name());
        continue;
      }
      try {
        Failsafe.with(retryPolicy(row, channel))
            .with(scheduler)
            .runAsync(() -> channel.send(message))
            .whenComplete((ignored, failure) -> finished(row, message, channel, failure));
      } catch (RejectedExecutionException e) {
        log.error(
            "alert {} not sent over {}: the delivery queue is full or shut down",
            row.id(),
            channel.name());
        metrics.onAlertFailed(channel.name());
      } catch (RuntimeException e) {
        // One channel's trouble must not keep the message from the others.
        log.error("alert {} not sent over {}", row.id(), channel.name(), e);
        metrics.onAlertFailed(channel.name());
      }
    }
  }

  private RetryPolicy<Object> retryPolicy(AlertRow row, AlertChannel channel) {
    var builder =
        RetryPolicy.builder().handle(Exception.class).withMaxAttempts(settings.deliveryAttempts());
    // Failsafe wants a backoff that can grow; a fixed delay is the degenerate case.
    if (settings.retryDelay().compareTo(settings.maxRetryDelay()) < 0) {
      builder.withBackoff(settings.retryDelay(), settings.maxRetryDelay());
    } else {
      builder.withDelay(settings.retryDelay());
    }
    return builder
        .onFailedAttempt(
            e -> {
              String error = describe(e.getLastException());
              log.warn(
                  "alert {} ({}) delivery over {} failed, attempt {} of {}: {}",
                  row.id(),
                  row.kind(),
                  channel.name(),
                  e.getAttemptCount(),
                  settings.deliveryAttempts(),
                  error);
              record(row, channel, false, error);
            })
        .build();
  }

  private void finished(AlertRow row, AlertMessage message, AlertChannel channel, Throwable e) {
    if (e == null) {
      log.info(
          "alert {} ({} {}) delivered over {}",
          row.id(),
          row.kind(),
          message.state(),
          channel.name());
      record(row, channel, true, null);
      metrics.onAlertSent(channel.name());
    } else {
      log.error(
          "alert {} ({} {}) not delivered over {}, giving up after {} attempt(s): {}",
          row.id(),
          row.kind(),
          message.state(),
          channel.name(),
          settings.deliveryAttempts(),
          describe(e));
      metrics.onAlertFailed(channel.name());
    }
  }

  private void record(AlertRow row, AlertChannel channel, boolean ok, String error) {
    try {
      store.alerts().recordDelivery(row.id(), channel.name(), ok, error);
    } catch (RuntimeException e) {
      log.warn("cannot record a delivery of alert {}: {}", row.id(), e.getMessage());
    }
  }

  /** Our channels' exceptions carry a message without secrets; others show only their type. */
  private static String describe(Throwable e) {
    if (e instanceof AlertDeliveryException) {
      return e.getMessage();
    }
    return e == null ? "unknown failure" : e.getClass().getName();
  }

  private static Instant started(RunRecord run) {
    return run.startedAt() != null ? run.startedAt() : run.createdAt();
  }

  private static String ranFor(RunRecord run) {
    if (run.finishedAt() == null) {
      return "";
    }
    return " after " + Messages.human(Duration.between(started(run), run.finishedAt()));
  }

  private static String errorSuffix(RunRecord run) {
    return run.error() == null || run.error().isBlank() ? "" : ": " + shorten(run.error());
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "…";
  }

  /**
   * Stops taking alerts, drops pending retries and waits up to {@code closeTimeout} for deliveries
   * in flight.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    int pending = retryTimers.shutdownNow().size();
    if (pending > 0) {
      log.warn("alert service closing: {} delivery retry(ies) dropped", pending);
    }
    Threads.shutdown(deliveryPool, "alert delivery pool", settings.closeTimeout());
  }
}
