package dev.integrity.airtable;

import dev.integrity.Ticker;
import java.time.Duration;

/**
 * Spaces the requests to one base so that no sliding one-second window, as the server sees it,
 * holds more than {@code perSecond} of them. Each permit is a reserved send slot {@code interval}
 * after the previous one, where {@code interval = 1 s / perSecond + margin}: any {@code perSecond +
 * 1} consecutive sends then span at least {@code 1 s + perSecond × margin}, which absorbs the
 * jitter between our clock and the server's arrival timestamps. Smooth spacing (rather than bursts
 * of {@code perSecond}) also suits a token-bucket server. Thread-safe.
 */
final class BaseRateLimiter {
  private static final long SECOND_NANOS = Duration.ofSeconds(1).toNanos();

  private final Ticker ticker;
  private final long intervalNanos;
  private final Object lock = new Object();
  // Guarded by lock. Compared by difference only, as nanoTime values may wrap.
  private long nextSlotNanos;
  private boolean used;

  BaseRateLimiter(int perSecond, Duration marginPerRequest, Ticker ticker) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be >= 1: " + perSecond);
    }
    this.ticker = ticker;
    this.intervalNanos = SECOND_NANOS / perSecond + marginPerRequest.toNanos();
  }

  /** Reserves the next send slot and returns how many nanoseconds to wait for it (0 = now). */
  long reserve() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long slot = used && nextSlotNanos - now > 0 ? nextSlotNanos : now;
      used = true;
      nextSlotNanos = slot + intervalNanos;
      return slot - now;
    }
  }

  /**
   * Holds every later permit back until {@code pause} from now, so that concurrent fetches of the
   * base stop while Airtable locks it out after a 429.
   */
  void pauseFor(Duration pause) {
    synchronized (lock) {
      long until = ticker.nanoTime() + pause.toNanos();
      if (!used || until - nextSlotNanos > 0) {
        nextSlotNanos = until;
        used = true;
      }
    }
  }

  long intervalNanos() {
    return intervalNanos;
  }
}
