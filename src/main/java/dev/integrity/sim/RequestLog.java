package dev.integrity.sim;

/**
 * One request the simulator received: when it arrived (the simulator's {@code Ticker}), its method
 * and path (without query), the table as the path named it ({@code null} for the Meta API and
 * unrouted paths), and the status answered ({@code 0} while undecided or when the request was
 * stalled and never answered), and the bytes of the answer's body it set out to send (0 for a
 * stalled request; half the body for a reset one), so a benchmark can count what a client received.
 * Immutable.
 */
public record RequestLog(
    long arrivalNanos,
    String method,
    String path,
    String tableIdOrName,
    int status,
    long bodyBytes) {

  public RequestLog(
      long arrivalNanos, String method, String path, String tableIdOrName, int status) {
    this(arrivalNanos, method, path, tableIdOrName, status, 0);
  }
}
