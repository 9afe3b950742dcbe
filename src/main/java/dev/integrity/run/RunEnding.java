package dev.integrity.run;

import dev.integrity.model.RunStatus;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ending race of one run: the first of completion, deadline, cancel, failure or "ended
 * elsewhere" to {@link #settle} decides the outcome; the store's compare-and-set then makes it
 * final across processes. A {@link #commitUnlessEnded commit} of an entity's results and the ending
 * exclude each other, so an entity is either wholly kept (issues, states, checked flag) or not at
 * all, and nothing is written for the run after its ending. Thread-safe.
 */
final class RunEnding {
  /** How and why the run ended; set once. */
  record Ending(RunStatus status, String message) {}

  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private final ReentrantLock commits = new ReentrantLock();

  /** Open until the ending is in the store, so execute() never returns a run still "running". */
  private final CountDownLatch saved = new CountDownLatch(1);

  private volatile long endedNanos;

  boolean ended() {
    return ending.get() != null;
  }

  /** The ending, or null while the run goes on. */
  Ending get() {
    return ending.get();
  }

  /** Ticker time of the ending; 0 while the run goes on. */
  long endedNanos() {
    return endedNanos;
  }

  /**
   * Settles the ending unless someone did; waits for a commit in progress first.
   *
   * @return whether this call decided the ending
   */
  boolean settle(Ending candidate, long nowNanos) {
    commits.lock();
    try {
      if (!ending.compareAndSet(null, candidate)) {
        return false;
      }
      endedNanos = nowNanos;
      return true;
    } finally {
      commits.unlock();
    }
  }

  /**
   * Runs {@code commit} unless the run has ended; the ending waits for it. A commit should be short
   * (one entity's issue rows and states).
   *
   * @return whether the commit ran
   */
  boolean commitUnlessEnded(Runnable commit) {
    commits.lock();
    try {
      if (ending.get() != null) {
        return false;
      }
      commit.run();
      return true;
    } finally {
      commits.unlock();
    }
  }

  /** The ending is in the store (or saving it failed for good). */
  void markSaved() {
    saved.countDown();
  }

  /** Waits until the ending is saved; false when it was not within {@code bound}. */
  boolean awaitSaved(Duration bound) throws InterruptedException {
    return saved.await(bound.toNanos(), TimeUnit.NANOSECONDS);
  }
}
