package dev.integrity.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted misbehaviour for one request, queued through {@link Faults}. Immutable values.
 *
 * <p>Faults apply after the token check (a request with a bad token is answered 401 as usual) and
 * before the rate limiter (a faulted request still counts towards the per-base window).
 */
public sealed interface Fault {

  /**
   * Accept the request and never answer: the connection stays open, silent, until the simulator
   * closes or its {@code idleTimeout} (default 60 s) passes, then it is dropped without a byte.
   */
  static Fault stall() {
    return new Stall();
  }

  /** Answer normally but send the body at {@code bytesPerSecond} (headers go at once). */
  static Fault trickle(int bytesPerSecond) {
    return new Trickle(bytesPerSecond);
  }

  /** Send the headers and half the body, wait 100 ms, then reset the socket (RST). */
  static Fault resetMidBody() {
    return new ResetMidBody(Duration.ofMillis(100));
  }

  /** Like {@link #resetMidBody()} with a chosen pause between the half body and the reset. */
  static Fault resetMidBody(Duration pauseBeforeReset) {
    return new ResetMidBody(pauseBeforeReset);
  }

  /**
   * Answer with a 5xx status: 500 with Airtable's JSON error, 502/503/504 with an HTML page as a
   * load balancer would send, other 5xx with a plain-text body.
   */
  static Fault serverError(int status) {
    return new ServerError(status);
  }

  /** Answer 429 with Airtable's rate-limit body, without starting a lockout. */
  static Fault rateLimited() {
    return new RateLimited(null);
  }

  /** Like {@link #rateLimited()} plus a {@code Retry-After} header (whole seconds, rounded up). */
  static Fault rateLimited(Duration retryAfter) {
    return new RateLimited(Objects.requireNonNull(retryAfter, "retryAfter"));
  }

  /** Answer 200 with a JSON body cut in half. */
  static Fault malformedJson() {
    return new MalformedJson();
  }

  /**
   * Answer the next list request that carries an {@code offset} with 422 {@code
   * LIST_RECORDS_ITERATOR_NOT_AVAILABLE}; requests without an offset pass by and leave it queued.
   */
  static Fault expireOffset() {
    return new ExpireOffset();
  }

  /**
   * Answer 404 {@code TABLE_NOT_FOUND} naming the requested table, as Airtable does for a table
   * that was deleted or renamed; with {@link Faults.TableFaults#down(Fault)} a table that is gone
   * until the outage is lifted.
   */
  static Fault tableNotFound() {
    return new TableNotFound();
  }

  /** See {@link Fault#stall()}. */
  record Stall() implements Fault {}

  /** See {@link Fault#trickle(int)}. */
  record Trickle(int bytesPerSecond) implements Fault {
    public Trickle {
      if (bytesPerSecond < 1) {
        throw new IllegalArgumentException("bytesPerSecond must be at least 1: " + bytesPerSecond);
      }
    }
  }

  /** See {@link Fault#resetMidBody(Duration)}. */
  record ResetMidBody(Duration pauseBeforeReset) implements Fault {
    public ResetMidBody {
      if (pauseBeforeReset == null || pauseBeforeReset.isNegative()) {
        throw new IllegalArgumentException("pauseBeforeReset must be zero or positive");
      }
    }
  }

  /** See {@link Fault#serverError(int)}. */
  record ServerError(int status) implements Fault {
    public ServerError {
      if (status < 500 || status > 599) {
        throw new IllegalArgumentException("a server error status is 500-599: " + status);
      }
    }
  }

  /** See {@link Fault#rateLimited(Duration)}; {@code retryAfter} is null when no header is sent. */
  record RateLimited(Duration retryAfter) implements Fault {
    public RateLimited {
      if (retryAfter != null && retryAfter.isNegative()) {
        throw new IllegalArgumentException("retryAfter must be zero or positive");
      }
    }
  }

  /** See {@link Fault#malformedJson()}. */
  record MalformedJson() implements Fault {}

  /** See {@link Fault#expireOffset()}. */
  record ExpireOffset() implements Fault {}

  /** See {@link Fault#tableNotFound()}. */
  record TableNotFound() implements Fault {}
}
