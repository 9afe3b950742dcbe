package dev.integrity.sim;

/**
 * One request the simulator received: when it arrived (the simulator's {@code Ticker}), its method
 * and path (without query), the table as the path named it ({@code null} for the Meta API and
 * unrouted paths), and the status answered ({@code 0} while undecided or when the request was
 * stalled and never answered), and the bytes of the answer's body it set out to send (0 for a
 * stalled request; half the body for a reset one), so a benchmark can count what a client received,
 * and the raw query string (null for none), so a test can see the options a client sent. Immutable.
 */
public record RequestLog(
    long arrivalNanos,
    String method,
    String path,
    String tableIdOrName,
    int status,
    long bodyBytes,
    String query) {

  public RequestLog(
      long arrivalNanos,
      String method,
      String path,
      String tableIdOrName,
      int status,
      long bodyBytes) {
    this(arrivalNanos, method, path, tableIdOrName, status, bodyBytes, null);
  }

  /** The decoded values of query parameter {@code name}, in order; empty when absent. */
  public java.util.List<String> parameter(String name) {
    if (query == null || query.isEmpty()) {
      return java.util.List.of();
    }
    java.util.List<String> values = new java.util.ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return java.util.List.copyOf(values);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  public RequestLog(
      long arrivalNanos, String method, String path, String tableIdOrName, int status) {
    this(arrivalNanos, method, path, tableIdOrName, status, 0, null);
  }
}
