package dev.integrity.alert;

import dev.failsafe.spi.DefaultScheduledFuture;
import dev.failsafe.spi.Scheduler;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failsafe's scheduler over our own executors: attempts run on the delivery pool, the waits between
 * them on the timers, so a slow channel never holds a timer thread and Failsafe's shared static
 * threads are never started. Thread-safe.
 */
final class PoolScheduler implements Scheduler {
  private static final Logger log = LoggerFactory.getLogger(PoolScheduler.class);

  private final ExecutorService pool;
  private final ScheduledExecutorService timers;

  PoolScheduler(ExecutorService pool, ScheduledExecutorService timers) {
    this.pool = pool;
    this.timers = timers;
  }

  @Override
  public ScheduledFuture<?> schedule(Callable<?> callable, long delay, TimeUnit unit) {
    Handle handle = new Handle();
    if (delay <= 0) {
      handle.start(pool, callable);
    } else {
      handle.timer =
          timers.schedule(
              () -> {
                try {
                  handle.start(pool, callable);
                } catch (RejectedExecutionException e) {
                  log.warn("alert delivery retry dropped: the delivery pool is shut down");
                }
              },
              delay,
              unit);
    }
    return handle;
  }

  /** The timer, then the attempt; cancelling cancels whichever exists. */
  private static final class Handle extends DefaultScheduledFuture<Object> {
    private volatile Future<?> timer;
    private Future<?> work;
    private boolean cancelled;

    synchronized void start(ExecutorService pool, Callable<?> callable) {
      if (!cancelled) {
        work = pool.submit(callable);
      }
    }

    @Override
    public synchronized boolean cancel(boolean mayInterrupt) {
      cancelled = true;
      Future<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      if (work != null) {
        work.cancel(mayInterrupt);
      }
      return true;
    }

    @Override
    public synchronized boolean isCancelled() {
      return cancelled;
    }

    @Override
    public synchronized boolean isDone() {
      return cancelled || (work != null && work.isDone());
    }
  }
}
