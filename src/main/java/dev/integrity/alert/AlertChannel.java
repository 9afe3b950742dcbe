package dev.integrity.alert;

/**
 * One way of delivering alerts (Slack, webhook, e-mail). Implementations must be thread-safe and
 * bound every call by their own timeouts; a failure is thrown and retried by {@link AlertService}.
 * Messages of thrown exceptions must not contain secrets (webhook URLs, passwords).
 */
public interface AlertChannel {
  /** A short stable name used in logs, metrics and delivery records, e.g. {@code "slack"}. */
  String name();

  /** Delivers one message or throws; blocks at most for the channel's timeouts. */
  void send(AlertMessage message) throws Exception;
}
