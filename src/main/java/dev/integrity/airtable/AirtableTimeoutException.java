package dev.integrity.airtable;

import java.time.Duration;

/**
 * A deadline passed: {@link #limit()} names the limit's environment variable (e.g. {@code
 * AIRTABLE_REQUEST_TIMEOUT_SECONDS}), {@link #after()} how long the last attempt ran. Immutable
 * once thrown.
 */
public final class AirtableTimeoutException extends AirtableException {
  static final String REQUEST_LIMIT = "AIRTABLE_REQUEST_TIMEOUT_SECONDS";
  static final String READ_LIMIT = "AIRTABLE_READ_TIMEOUT_SECONDS";
  static final String CONNECT_LIMIT = "AIRTABLE_CONNECT_TIMEOUT_SECONDS";

  private final String limit;
  private final Duration after;
  private final int attempts;

  AirtableTimeoutException(
      String message,
      String baseId,
      String table,
      int page,
      String limit,
      Duration after,
      int attempts,
      Throwable cause) {
    super(message, baseId, table, page, cause);
    this.limit = limit;
    this.after = after;
    this.attempts = attempts;
  }

  public String limit() {
    return limit;
  }

  public Duration after() {
    return after;
  }

  public int attempts() {
    return attempts;
  }
}
