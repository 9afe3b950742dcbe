package dev.integrity.alert;

import dev.integrity.config.AlertsConfig;
import dev.integrity.config.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * Thresholds of the alert conditions and how deliveries are retried. Immutable and thread-safe.
 *
 * @param longRun a run running this long raises an alert ({@code LONG_RUN_ALERT_MINUTES})
 * @param runningThreshold more runs running than this raises an alert ({@code
 *     RUNNING_RUNS_ALERT_THRESHOLD})
 * @param skipsInARow this many skipped fires of a schedule in a row raise an alert
 * @param onNewFailIssues whether a run with new {@code fail} issues raises an alert
 * @param dashboardUrl base URL of the dashboard for links, e.g. {@code http://127.0.0.1:8080}
 * @param deliveryAttempts attempts per message and channel, the first included
 * @param retryDelay wait before the first retry; doubles per retry
 * @param maxRetryDelay longest wait between retries
 * @param closeTimeout how long {@link AlertService#close()} waits for deliveries in flight
 */
public record AlertSettings(
    Duration longRun,
    int runningThreshold,
    int skipsInARow,
    boolean onNewFailIssues,
    String dashboardUrl,
    int deliveryAttempts,
    Duration retryDelay,
    Duration maxRetryDelay,
    Duration closeTimeout) {

  public static final Duration DEFAULT_LONG_RUN = Duration.ofMinutes(15);
  public static final int DEFAULT_RUNNING_THRESHOLD = 5;
  public static final int DEFAULT_SKIPS_IN_A_ROW = 3;
  public static final int DEFAULT_DELIVERY_ATTEMPTS = 3;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(2);
  public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

  public AlertSettings {
    Objects.requireNonNull(longRun, "longRun");
    Objects.requireNonNull(dashboardUrl, "dashboardUrl");
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(maxRetryDelay, "maxRetryDelay");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    if (longRun.isNegative() || longRun.isZero()) {
      throw new IllegalArgumentException("longRun must be positive, was " + longRun);
    }
    if (runningThreshold < 0) {
      throw new IllegalArgumentException(
          "runningThreshold must not be negative, was " + runningThreshold);
    }
    if (skipsInARow < 1) {
      throw new IllegalArgumentException("skipsInARow must be at least 1, was " + skipsInARow);
    }
    if (deliveryAttempts < 1) {
      throw new IllegalArgumentException(
          "deliveryAttempts must be at least 1, was " + deliveryAttempts);
    }
    if (retryDelay.isNegative() || retryDelay.isZero() || maxRetryDelay.compareTo(retryDelay) < 0) {
      throw new IllegalArgumentException(
          "need 0 < retryDelay <= maxRetryDelay, got " + retryDelay + " and " + maxRetryDelay);
    }
    // Links are built as <dashboardUrl>/runs/<id>.
    while (dashboardUrl.endsWith("/")) {
      dashboardUrl = dashboardUrl.substring(0, dashboardUrl.length() - 1);
    }
  }

  /** The defaults of the contract (15 min, 5 runs, 3 skips) with links to {@code dashboardUrl}. */
  public static AlertSettings defaults(String dashboardUrl) {
    return new AlertSettings(
        DEFAULT_LONG_RUN,
        DEFAULT_RUNNING_THRESHOLD,
        DEFAULT_SKIPS_IN_A_ROW,
        false,
        dashboardUrl,
        DEFAULT_DELIVERY_ATTEMPTS,
        DEFAULT_RETRY_DELAY,
        DEFAULT_MAX_RETRY_DELAY,
        DEFAULT_CLOSE_TIMEOUT);
  }

  /**
   * The settings of a served config: thresholds from the limits ({@code LONG_RUN_ALERT_MINUTES},
   * {@code RUNNING_RUNS_ALERT_THRESHOLD}), new-fail-issue alerts from the config (off when null).
   */
  public static AlertSettings of(Limits limits, AlertsConfig alerts, String dashboardUrl) {
    return defaults(dashboardUrl)
        .withConditions(
            limits.longRunAlert(),
            limits.runningRunsAlertThreshold(),
            alerts != null && alerts.onNewFailIssues());
  }

  /** These settings with other condition thresholds. */
  public AlertSettings withConditions(
      Duration longRun, int runningThreshold, boolean onNewFailIssues) {
    return new AlertSettings(
        longRun,
        runningThreshold,
        skipsInARow,
        onNewFailIssues,
        dashboardUrl,
        deliveryAttempts,
        retryDelay,
        maxRetryDelay,
        closeTimeout);
  }

  /** These settings with another retry policy for deliveries. */
  public AlertSettings withDelivery(int attempts, Duration retryDelay, Duration maxRetryDelay) {
    return new AlertSettings(
        longRun,
        runningThreshold,
        skipsInARow,
        onNewFailIssues,
        dashboardUrl,
        attempts,
        retryDelay,
        maxRetryDelay,
        closeTimeout);
  }
}
