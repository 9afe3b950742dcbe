package dev.integrity.airtable;

/**
 * Process-wide observer of the client for logs and metrics; every method defaults to a no-op, is
 * called on fetching threads (so implementations must be thread-safe) and must not throw (the
 * client logs and ignores anything thrown).
 */
public interface AirtableListener {
  /** Every HTTP attempt, successful or not. */
  default void onRequest(RequestEvent e) {}

  /** Every HTTP attempt, as it is sent, with the kind of API call (what the quota counts). */
  default void onApiCall(ApiCall call) {}

  /** Every retry, before its wait begins. */
  default void onRetry(RetryEvent e) {}

  /** A listener that ignores everything. */
  static AirtableListener none() {
    return new AirtableListener() {};
  }
}
