package dev.integrity.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Alerts, deduplicated by the database (one open alert per key), and their deliveries.
 * Implementations are thread-safe and safe across processes.
 */
public interface AlertRepository {
  /**
   * Opens an alert unless one with this key is open; returns the row only if this call opened it.
   */
  Optional<AlertRow> openIfAbsent(
      String key, String kind, String baseId, String runId, String schedule, String message);

  /**
   * Rewrites the message of the open alert with this key (a grouped alert that names one more
   * base); false when none is open. Delivers nothing: the alert was delivered when it opened.
   */
  boolean amend(String key, String message);

  /**
   * Re-notifies the open alert with this key when it was last notified (opened, or re-notified) at
   * least {@code every} ago: stamps it notified now and rewrites its message. Returns the row only
   * if this call stamped it, so across processes one of them repeats a condition that stays open.
   */
  Optional<AlertRow> renotify(String key, String message, Duration every);

  /** Resolves the open alert with this key; returns the row only if this call resolved it. */
  Optional<AlertRow> resolve(String key);

  /** The latest alerts, newest first. */
  List<AlertRow> list(int limit);

  /** Open alerts, oldest first. */
  List<AlertRow> open();

  /** Records one attempt to deliver an alert over a channel (e.g. slack, webhook, email). */
  void recordDelivery(long alertId, String channel, boolean ok, String error);

  /** The delivery attempts of one alert, oldest first. */
  List<AlertDelivery> deliveries(long alertId);
}
