package dev.integrity.airtable;

import dev.integrity.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the requests to one base under {@code perSecond} in any sliding second as the server sees
 * them, in two steps. {@link #reserve()} paces attempts before they start: each gets a slot {@code
 * pacingWindow / perSecond} after the previous one, and the caller waits for it outside the HTTP
 * call (so long waits never eat the request deadline). {@link #tryAdmitSend} runs at the moment the
 * request is written to an open connection, because only that instant is what the server counts:
 * connection setup (a TLS handshake, a cold start) delays some sends more than others. It refuses a
 * send while {@code perSecond} earlier sends could still arrive within {@code sendWindow} of it; a
 * send's latest possible arrival is its send time plus an allowance, which is larger on a fresh
 * connection that the server may take a while to start reading. The pacing window is a little
 * longer than the send window, so the second step mostly absorbs jitter. Smooth spacing rather than
 * bursts also suits a token-bucket server. Thread-safe.
 */
final class BaseRateLimiter {
  private final Ticker ticker;
  private final int perSecond;
  private final long intervalNanos;
  private final long sendWindowNanos;
  private final Object lock = new Object();

  // Guarded by lock. nanoTime values are compared by difference only, as they may wrap.
  private long nextSlotNanos;
  private boolean reserved;

  /** Latest possible arrival of each send that may still share a window with the next one. */
  private final List<Long> arrivals = new ArrayList<>();

  BaseRateLimiter(int perSecond, Duration pacingWindow, Duration sendWindow, Ticker ticker) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be >= 1: " + perSecond);
    }
    this.ticker = ticker;
    this.perSecond = perSecond;
    this.intervalNanos = pacingWindow.toNanos() / perSecond;
    this.sendWindowNanos = sendWindow.toNanos();
  }

  /** Reserves the next attempt slot and returns how many nanoseconds to wait for it (0 = now). */
  long reserve() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long slot = reserved && nextSlotNanos - now > 0 ? nextSlotNanos : now;
      reserved = true;
      nextSlotNanos = slot + intervalNanos;
      return slot - now;
    }
  }

  /**
   * Records a send now, arriving at the latest {@code allowance} later, and returns 0 when the
   * window has room; otherwise records nothing and returns how many nanoseconds to wait before
   * asking again.
   */
  long tryAdmitSend(Duration allowance) {
    synchronized (lock) {
      long now = ticker.nanoTime();
      // A send that arrived a whole window before this one can no longer share a window with it.
      arrivals.removeIf(arrival -> now - arrival >= sendWindowNanos);
      if (arrivals.size() >= perSecond) {
        long earliest = arrivals.getFirst();
        for (long arrival : arrivals) {
          earliest = arrival - earliest < 0 ? arrival : earliest;
        }
        return Math.max(1, earliest + sendWindowNanos - now);
      }
      arrivals.add(now + allowance.toNanos());
      return 0;
    }
  }

  /**
   * Holds every later slot back until {@code pause} from now, so that concurrent fetches of the
   * base stop while Airtable locks it out after a 429.
   */
  void pauseFor(Duration pause) {
    synchronized (lock) {
      long until = ticker.nanoTime() + pause.toNanos();
      if (!reserved || until - nextSlotNanos > 0) {
        nextSlotNanos = until;
        reserved = true;
      }
    }
  }
}
