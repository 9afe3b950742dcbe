package dev.integrity.sim;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;

/**
 * What to send for one request and how: normally, or misbehaving as a fault asks. Immutable (the
 * body array is never modified once built).
 */
record Reply(
    int status, String contentType, byte[] body, Map<String, String> headers, Delivery delivery) {
  static final String JSON = "application/json; charset=utf-8";

  /** The reason phrase of {@code status}, for the HTML pages a load balancer sends. */
  static String reason(int status) {
    String reason = HttpStatus.getMessage(status);
    return reason == null || reason.equals(Integer.toString(status))
        ? (status >= 500 ? "Server Error" : "Unknown")
        : reason;
  }

  static Reply json(int status, byte[] body) {
    return new Reply(status, JSON, body, Map.of(), new Delivery.Normal());
  }

  static Reply json(int status, String body) {
    return json(status, body.getBytes(StandardCharsets.UTF_8));
  }

  Reply delivered(Delivery how) {
    return new Reply(status, contentType, body, headers, how);
  }

  /** The status as the request log shows it: 0 when nothing is ever answered. */
  int loggedStatus() {
    return delivery instanceof Delivery.Stall ? 0 : status;
  }

  /** How the bytes of a reply reach the socket. */
  sealed interface Delivery {
    record Normal() implements Delivery {}

    record Stall() implements Delivery {}

    record Trickle(int bytesPerSecond) implements Delivery {}

    record Reset(Duration pauseBeforeReset) implements Delivery {}
  }
}
