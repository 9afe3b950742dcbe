package dev.integrity.sim;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Airtable's limit per token, shared by every base the token reads: "a limit of 50 requests per
 * second for all traffic using personal access tokens from a given user or service account", past
 * which the token gets 429 and must wait 30 s. Give one instance to the simulators of every base
 * that one token reads ({@link AirtableSimulator.Builder#tokenLimit}); each request is counted here
 * as well as against its base's own limit, at its arrival by that simulator's ticker (so the
 * simulators sharing it must share a ticker, as the system one is). Thread-safe.
 */
public final class TokenLimit {
  /** Airtable's documented figures: 50 requests per second, then 30 s of 429. */
  public static final int AIRTABLE_PER_SECOND = 50;

  public static final Duration AIRTABLE_LOCKOUT = Duration.ofSeconds(30);

  private final RateLimiter limiter;
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param perSecond requests per sliding second across the bases before 429 and lockout
   * @param lockout how long every base of the token answers 429 once it is exceeded
   */
  public TokenLimit(int perSecond, Duration lockout) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be at least 1: " + perSecond);
    }
    if (lockout == null || lockout.isNegative()) {
      throw new IllegalArgumentException("lockout must be zero or positive: " + lockout);
    }
    this.limiter = new RateLimiter(perSecond, lockout);
  }

  /** Airtable's: 50 requests per second, 30 s lockout. */
  public static TokenLimit airtable() {
    return new TokenLimit(AIRTABLE_PER_SECOND, AIRTABLE_LOCKOUT);
  }

  /** How many requests this limit answered 429 (across every base). */
  public long refused() {
    return refused.get();
  }

  /** Admits (and counts) a request arriving at {@code now}, or answers false: send 429. */
  boolean admit(long now) {
    if (limiter.admit(now)) {
      return true;
    }
    refused.incrementAndGet();
    return false;
  }

  /** Counts a request answered by a scripted fault: it still reached the token's budget. */
  void count(long now) {
    limiter.count(now);
  }
}
