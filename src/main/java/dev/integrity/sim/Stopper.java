package dev.integrity.sim;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The simulator's stop signal; waits on it end early when the simulator closes. Thread-safe. */
final class Stopper {
  private final CountDownLatch stopped = new CountDownLatch(1);

  void stop() {
    stopped.countDown();
  }

  boolean stopped() {
    return stopped.getCount() == 0;
  }

  /** Waits {@code d}; answers false when the simulator is stopping (or the thread interrupted). */
  boolean pause(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return !stopped();
    }
    try {
      return !stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
