package dev.integrity.alert;

import dev.integrity.IntegrityException;

/**
 * One failed attempt to deliver an alert over a channel. The message never holds a secret, and on
 * purpose no cause is attached: library exceptions may quote URLs or server answers. Immutable.
 */
final class AlertDeliveryException extends IntegrityException {
  private final String channel;

  AlertDeliveryException(String channel, String message) {
    super(channel + ": " + message);
    this.channel = channel;
  }

  String channel() {
    return channel;
  }

  /**
   * A short description of a library failure with every occurrence of the given secrets masked,
   * e.g. {@code "SocketTimeoutException: timeout"}.
   */
  static String describe(Throwable e, String... secrets) {
    String message = e.getMessage();
    String text =
        e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        text = text.replace(secret, "****");
      }
    }
    return text;
  }
}
