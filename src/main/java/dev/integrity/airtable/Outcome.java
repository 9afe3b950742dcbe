package dev.integrity.airtable;

import java.time.Duration;
import java.util.function.IntFunction;

/** What one HTTP attempt came to. Immutable. */
sealed interface Outcome<T> {

  /** A 2xx answer, read. */
  record Ok<T>(T value) implements Outcome<T> {}

  /**
   * A failure worth retrying; {@code retryAfter} is the server-imposed wait (429) or null for
   * back-off; {@code exhausted} builds the error to throw, given the number of attempts, when no
   * retry is left.
   */
  record Retryable<T>(
      RetryEvent.Cause cause,
      String summary,
      Duration retryAfter,
      IntFunction<AirtableException> exhausted)
      implements Outcome<T> {}

  /**
   * Nothing was sent: the base or the token was locked out by a 429 that came after the request
   * took its slot. Not a failure and not an attempt: the request waits for a new slot.
   */
  record Unsent<T>() implements Outcome<T> {}

  /** A failure no retry can fix. */
  record Fatal<T>(AirtableException error) implements Outcome<T> {}
}
