package dev.integrity.alert;

/**
 * Counts alert deliveries per channel (the metrics package implements it). Implementations must be
 * thread-safe and must not throw.
 */
public interface AlertMetrics {
  /** One message delivered over {@code channel}. */
  void onAlertSent(String channel);

  /** One message given up on after every attempt over {@code channel} failed. */
  void onAlertFailed(String channel);

  /** Counts nothing. */
  static AlertMetrics none() {
    return new AlertMetrics() {
      @Override
      public void onAlertSent(String channel) {}

      @Override
      public void onAlertFailed(String channel) {}
    };
  }
}
