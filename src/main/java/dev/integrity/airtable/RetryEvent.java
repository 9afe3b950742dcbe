package dev.integrity.airtable;

import java.time.Duration;

/**
 * A failed attempt that will be retried after {@code delay} (a record component cannot be named
 * {@code wait}); {@code attempt} counts from 1 (the attempt that failed). Immutable and
 * thread-safe.
 */
public record RetryEvent(
    String baseId,
    String table,
    int page,
    int attempt,
    Cause cause,
    String message,
    Duration delay) {

  /** Why an attempt is retried. */
  public enum Cause {
    /** 429: waits {@code Retry-After} or the configured rate-limit wait. */
    RATE_LIMITED,
    /** 500, 502, 503 or 504. */
    SERVER_ERROR,
    /** A connect, read or whole-request deadline passed. */
    TIMEOUT,
    /** Connection reset, refused or cut mid-body. */
    NETWORK,
    /** A 200 whose body is not valid JSON or ends too soon; retried like a 5xx. */
    UNREADABLE
  }
}
