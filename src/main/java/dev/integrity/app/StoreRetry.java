package dev.integrity.app;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import dev.integrity.store.StoreException;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the always-on service meets a store that does not answer as it starts (a database restarting,
 * a connection cut: found by the chaos soak, where {@code serve} exited): it tries again with
 * backoff, saying so each time, for at most {@code within}, then gives up with the store's own
 * error. A one-shot {@code run} does not wait: it fails at once. Stateless.
 */
final class StoreRetry {
  // The service's logger: these lines are the service's start-up, wherever the code sits.
  private static final Logger log = LoggerFactory.getLogger(Service.class);
  private static final Duration FIRST_DELAY = Duration.ofMillis(250);
  private static final Duration MAX_DELAY = Duration.ofSeconds(5);

  private StoreRetry() {}

  /**
   * @param doing what is being done, as the log says it ("opening the store")
   */
  static <T> T within(Duration within, String doing, Supplier<T> call) {
    RetryPolicy<T> policy =
        RetryPolicy.<T>builder()
            .handle(StoreException.class)
            .withBackoff(FIRST_DELAY, MAX_DELAY)
            .withMaxRetries(-1)
            .withMaxDuration(within)
            .onRetry(
                e ->
                    log.warn(
                        "{}: the store did not answer ({}); trying again, attempt {}, for at most"
                            + " {}",
                        doing,
                        e.getLastException().getMessage(),
                        e.getAttemptCount() + 1,
                        within))
            .build();
    return Failsafe.with(policy).get(call::get);
  }
}
