package dev.integrity.alert;

import dev.integrity.store.AlertRow;

/**
 * Where {@link AlertRules} hands an alert it opened or resolved. Implementations must not block on
 * a channel and must not throw.
 */
@FunctionalInterface
interface AlertSink {
  void deliver(AlertRow row, AlertMessage message);
}
