package dev.integrity.airtable;

import dev.integrity.Ticker;
import java.time.Duration;

/**
 * Keeps the requests to one base under {@code perSecond} in any sliding second as the server sees
 * them, in two steps. {@link #reserve()} paces attempts before they start: each gets a slot {@code
 * pacingWindow / perSecond} after the previous one, and the caller waits for it outside the HTTP
 * call (so long waits never eat the request deadline). {@link #tryAdmitSend()} runs at the moment
 * the request is written to an open connection and refuses a send while the last {@code perSecond}
 * sends lie within {@code sendWindow}: connection setup (a TLS handshake, a cold start) delays some
 * sends more than others, and only the send instant is what the server counts. The pacing window is
 * a little longer than the send window, so the second step only absorbs that jitter. Smooth spacing
 * rather than bursts also suits a token-bucket server. Thread-safe.
 */
final class BaseRateLimiter {
  private final Ticker ticker;
  private final long intervalNanos;
  private final long sendWindowNanos;
  private final Object lock = new Object();

  // Guarded by lock. nanoTime values are compared by difference only, as they may wrap.
  private long nextSlotNanos;
  private boolean reserved;
  private final long[] sends;
  private int sendCount;
  private int oldestSend;

  BaseRateLimiter(int perSecond, Duration pacingWindow, Duration sendWindow, Ticker ticker) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be >= 1: " + perSecond);
    }
    this.ticker = ticker;
    this.intervalNanos = pacingWindow.toNanos() / perSecond;
    this.sendWindowNanos = sendWindow.toNanos();
    this.sends = new long[perSecond];
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
   * Records a send now and returns 0 when the window has room; otherwise records nothing and
   * returns how many nanoseconds to wait before asking again.
   */
  long tryAdmitSend() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      if (sendCount == sends.length) {
        long wait = sends[oldestSend] + sendWindowNanos - now;
        if (wait > 0) {
          return wait;
        }
        sends[oldestSend] = now;
        oldestSend = (oldestSend + 1) % sends.length;
      } else {
        sends[(oldestSend + sendCount) % sends.length] = now;
        sendCount++;
      }
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
