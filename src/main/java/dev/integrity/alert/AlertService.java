package dev.integrity.alert;

import dev.integrity.Threads;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunRecord;
import dev.integrity.run.RunListener;
import dev.integrity.store.AlertRow;
import dev.integrity.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerting as the rest of the service sees it: the conditions ({@link AlertRules}) feed the
 * delivery ({@link AlertDispatcher}), which sends each base's alerts to that base's channels
 * ({@link AlertRoutes}) off the caller's thread. Thread-safe.
 */
public final class AlertService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertService.class);
  private static final int DELIVERY_THREADS = 2;
  // Bounds memory when a channel is down and alerts keep coming; beyond it messages are dropped
  // and counted as failed.
  private static final int DELIVERY_QUEUE = 1_000;

  private final Store store;
  private final AlertRules rules;
  private final AlertDispatcher dispatcher;

  /**
   * Every alert of every base to {@code channels}; new fail issues raise alerts when {@code
   * settings.onNewFailIssues()}. The service owns both executors from now on: {@link #close()}
   * shuts them down.
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
    this(
        store,
        clock,
        settings,
        AlertRoutes.everywhere(new BaseAlerts(channels, settings.onNewFailIssues())),
        deliveryPool,
        retryTimers,
        metrics);
  }

  /**
   * Each base's alerts to the channels {@code routes} gives it, and new fail issues per base as
   * {@code routes} says ({@code settings.onNewFailIssues()} is not consulted). The service owns
   * both executors from now on: {@link #close()} shuts them down.
   */
  public AlertService(
      Store store,
      Clock clock,
      AlertSettings settings,
      AlertRoutes routes,
      ExecutorService deliveryPool,
      ScheduledExecutorService retryTimers,
      AlertMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.dispatcher =
        new AlertDispatcher(store, settings, routes, deliveryPool, retryTimers, metrics);
    this.rules = new AlertRules(store, clock, settings, routes, dispatcher);
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
   * summary from the store when someone is to hear of the run's new fail issues (an owner, or the
   * base with new-fail-issue alerts on).
   */
  public RunListener runListener() {
    return new RunListener() {
      @Override
      public void onRunEnded(RunRecord run) {
        IssueSummary issues = null;
        if (rules.wantsIssues(run)) {
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
   * A run ended: {@code timeout} and {@code error} raise an alert for its base (repeated at most
   * once per {@code repeatAfter} while runs keep ending so); {@code succeeded} resolves the base's
   * open timeout and error alerts and sends each owner a digest of the run's new issues of severity
   * {@code fail} in its entities (the base's channels for entities without an owner, when the base
   * has them on), or resolves the owner's condition when there are none. Any end resolves the run's
   * long-run alert. Never throws.
   *
   * @param issues the run's issue summary, or null when unknown
   */
  public void onRunEnded(RunRecord run, IssueSummary issues) {
    rules.onRunEnded(run, issues);
  }

  /**
   * A schedule fired: {@code skipsInARow} skipped fires in a row raise an alert; a fire that
   * started a run resolves it. Call it after the fire is recorded in the store. Never throws.
   */
  public void onScheduleFire(String schedule, String baseId, boolean skipped, String reason) {
    rules.onScheduleFire(schedule, baseId, skipped, reason);
  }

  /**
   * The periodic check: a run running longer than {@code longRun} raises one alert (resolved when
   * it ends); more than {@code runningThreshold} runs running raise one (resolved when fewer run).
   * Never throws.
   */
  public void evaluate() {
    rules.evaluate();
  }

  /** The latest alerts, newest first ({@code GET /api/alerts}). */
  public List<AlertRow> recent(int limit) {
    return store.alerts().list(limit);
  }

  /**
   * Stops taking alerts (they are still stored, not sent), drops pending retries and waits up to
   * {@code closeTimeout} for deliveries in flight.
   */
  @Override
  public void close() {
    dispatcher.close();
  }
}
