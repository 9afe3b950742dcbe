package dev.integrity.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Airtable's per-base limit: more than {@code perSecond} requests in any sliding one-second window
 * answers 429 and locks the base out for {@code lockout}, during which every request gets 429
 * (rejected requests do not extend it). Times are Ticker nanos. Thread-safe.
 */
final class RateLimiter {
  private static final long WINDOW_NANOS = Duration.ofSeconds(1).toNanos();

  private volatile int perSecond;
  private final long lockoutNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<Long> window = new ArrayDeque<>();
  private boolean locked;
  private long lockedUntil;

  RateLimiter(int perSecond, Duration lockout) {
    this.perSecond = perSecond;
    this.lockoutNanos = lockout.toNanos();
  }

  /** Admits (and counts) a request arriving at {@code now}, or answers false: send 429. */
  boolean admit(long now) {
    if (perSecond == 0) {
      return true;
    }
    lock.lock();
    try {
      if (locked && now - lockedUntil < 0) {
        return false;
      }
      locked = false;
      trim(now);
      if (window.size() >= perSecond) {
        locked = true;
        lockedUntil = now + lockoutNanos;
        return false;
      }
      window.addLast(now);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Counts a request that is answered by a scripted fault: it still reached the base. */
  void count(long now) {
    if (perSecond == 0) {
      return;
    }
    lock.lock();
    try {
      trim(now);
      window.addLast(now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Changes the limit from now on, as when another integration starts or stops using the base, or a
   * plan's monthly quota throttles it; 0 = unlimited. The window and any lockout stay.
   */
  void limit(int perSecond) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("perSecond must be 0 (unlimited) or more: " + perSecond);
    }
    this.perSecond = perSecond;
  }

  /** Forgets the window and any lockout. */
  void reset() {
    lock.lock();
    try {
      window.clear();
      locked = false;
    } finally {
      lock.unlock();
    }
  }

  private void trim(long now) {
    while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
      window.removeFirst();
    }
  }
}
