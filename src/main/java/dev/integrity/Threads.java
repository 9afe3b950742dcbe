package dev.integrity;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Named thread factories and bounded shutdown for every executor the process owns. Stateless. */
public final class Threads {
  private static final Logger log = LoggerFactory.getLogger(Threads.class);

  private Threads() {}

  /** Daemon threads named {@code prefix-1, prefix-2, …}, logging anything that escapes a task. */
  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler(
          (thread, e) -> log.error("uncaught in thread {}", thread.getName(), e));
      return t;
    };
  }

  /**
   * Virtual threads named {@code prefix-1, prefix-2, …}, logging anything that escapes a task: for
   * work that mostly waits (for a rate slot, for an answer), where a thread must cost no pool slot.
   */
  public static ThreadFactory virtual(String prefix) {
    return Thread.ofVirtual()
        .name(prefix + "-", 1)
        .uncaughtExceptionHandler(
            (thread, e) -> log.error("uncaught in thread {}", thread.getName(), e))
        .factory();
  }

  /**
   * Stops an executor: waits up to {@code bound} for running tasks, then interrupts them; true when
   * every task stopped.
   */
  public static boolean shutdown(ExecutorService executor, String name, Duration bound) {
    executor.shutdown();
    try {
      if (executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      log.warn("{} did not stop within {}; interrupting its tasks", name, bound);
      executor.shutdownNow();
      if (executor.awaitTermination(1, TimeUnit.SECONDS)) {
        return true;
      }
      log.warn("{} still has running tasks after interrupt", name);
      return false;
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
