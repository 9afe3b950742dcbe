package dev.integrity.alert;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named daemon threads and bounded shutdown for the alert executors. Stateless. */
final class AlertThreads {
  private static final Logger log = LoggerFactory.getLogger(AlertThreads.class);

  private AlertThreads() {}

  static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (thread, e) -> log.error("uncaught in thread {}", thread.getName(), e));
      return t;
    };
  }

  /** Waits up to {@code bound} for running tasks, then interrupts them; true when all stopped. */
  static boolean shutdown(ExecutorService executor, String name, Duration bound) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      log.warn("{} did not stop within {}; interrupting its tasks", name, bound);
      executor.shutdownNow();
      return executor.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
