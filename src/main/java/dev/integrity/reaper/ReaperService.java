package dev.integrity.reaper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps at start and every interval ({@code HUNG_RUN_SWEEP_INTERVAL_SECONDS}) on an injected
 * {@link ScheduledExecutorService}; a failing sweep is logged, counted and the loop goes on.
 * Thread-safe; the executor stays the caller's to shut down.
 */
public final class ReaperService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReaperService.class);

  private final Reaper reaper;
  private final ScheduledExecutorService timers;
  private final Duration interval;
  private final ReaperListener listener;
  private final AtomicLong sweeps = new AtomicLong();
  private final AtomicLong failedSweeps = new AtomicLong();
  private final Object lock = new Object();
  private ScheduledFuture<?> loop;
  private boolean closed;

  public ReaperService(
      Reaper reaper, ScheduledExecutorService timers, Duration interval, ReaperListener listener) {
    this.reaper = Objects.requireNonNull(reaper, "reaper");
    this.timers = Objects.requireNonNull(timers, "timers");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.listener = listener == null ? ReaperListener.none() : listener;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "the sweep interval (HUNG_RUN_SWEEP_INTERVAL_SECONDS) must be positive, was " + interval);
    }
  }

  /**
   * How often the service sweeps: every {@code sweepInterval} ({@code
   * HUNG_RUN_SWEEP_INTERVAL_SECONDS}, meant for the age limit), but at least once per heartbeat
   * interval, so a run whose owner died is ended within {@code RUN_HEARTBEAT_STALE_SECONDS} plus
   * one heartbeat interval, whatever the sweep interval says. A sweep is two conditional updates on
   * the active runs, cheap enough for that cadence.
   */
  public static Duration cadence(Duration sweepInterval, Duration heartbeatInterval) {
    return sweepInterval.compareTo(heartbeatInterval) <= 0 ? sweepInterval : heartbeatInterval;
  }

  /** Sweeps now (on the executor) and then every interval; calling it twice changes nothing. */
  public void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("the reaper service is closed");
      }
      if (loop != null) {
        return;
      }
      log.info(
          "reaper started: sweeping every {} (stale heartbeat after {}, hung after {})",
          interval,
          reaper.settings().heartbeatStale(),
          reaper.settings().hungThreshold());
      loop =
          timers.scheduleWithFixedDelay(
              this::sweepSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Sweeps that completed, successful or not. */
  public long sweeps() {
    return sweeps.get();
  }

  /** Sweeps that failed as a whole. */
  public long failedSweeps() {
    return failedSweeps.get();
  }

  // An exception escaping a scheduleWithFixedDelay task silently cancels every later run, so
  // nothing may escape this method.
  private void sweepSafely() {
    try {
      List<Reaped> reaped = reaper.sweep(false);
      for (Reaped r : reaped) {
        if (r.applied()) {
          notify(() -> listener.onReaped(r));
        }
      }
    } catch (Exception e) {
      long failures = failedSweeps.incrementAndGet();
      log.error(
          "reaper sweep failed ({} failed so far); the next one runs in {}", failures, interval, e);
      notify(() -> listener.onSweepFailed(e));
    } catch (Error e) {
      failedSweeps.incrementAndGet();
      log.error("reaper sweep failed with an error; the next one runs in {}", interval, e);
    } finally {
      sweeps.incrementAndGet();
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("reaper listener failed: {}", e.toString());
    }
  }

  /** Stops the loop; a sweep in progress finishes on its own (each of its steps is bounded). */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      if (loop != null) {
        loop.cancel(false);
        loop = null;
        log.info("reaper stopped after {} sweep(s), {} failed", sweeps.get(), failedSweeps.get());
      }
    }
  }
}
