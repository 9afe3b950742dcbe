package dev.integrity.alert;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.integrity.Threads;
import dev.integrity.store.AlertRow;
import dev.integrity.store.Store;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery, the half of alerting that knows nothing of conditions: picks the channels of an alert's
 * base ({@link AlertRoutes}), sends off the caller's thread on the delivery pool, retries with
 * backoff on the timers, records every attempt in the store and counts sent and failed messages.
 * Owns both executors. Thread-safe.
 */
final class AlertDispatcher implements AlertSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);

  private final Store store;
  private final AlertSettings settings;
  private final AlertRoutes routes;
  private final ExecutorService deliveryPool;
  private final ScheduledExecutorService retryTimers;
  private final AlertMetrics metrics;
  private final PoolScheduler scheduler;
  private final AtomicBoolean closed = new AtomicBoolean();

  AlertDispatcher(
      Store store,
      AlertSettings settings,
      AlertRoutes routes,
      ExecutorService deliveryPool,
      ScheduledExecutorService retryTimers,
      AlertMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.deliveryPool = Objects.requireNonNull(deliveryPool, "deliveryPool");
    this.retryTimers = Objects.requireNonNull(retryTimers, "retryTimers");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.scheduler = new PoolScheduler(deliveryPool, retryTimers);
  }

  /**
   * Hands the message to each channel of the row's base, or of the owner it is about; never blocks
   * on a channel.
   */
  @Override
  public void deliver(AlertRow row, AlertMessage message) {
    for (AlertChannel channel : routes.channelsFor(row.baseId(), message.owner())) {
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

  /**
   * Stops taking messages, drops pending retries and waits up to {@code closeTimeout} for
   * deliveries in flight.
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
