package dev.integrity.web;

import dev.integrity.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the web server listens: host and port (0 picks a free one), the API token (null: no auth,
 * allowed only on loopback), the request body limit, the dashboard's refresh interval and the
 * connection timeouts. Immutable and thread-safe; {@code toString} masks the token.
 *
 * @param idleTimeout how long an open connection may stay silent before the server closes it
 * @param stopTimeout how long {@link WebServer#close()} waits for requests in flight
 * @param refreshInterval how often dashboard pages poll for fresh run status
 */
public record WebSettings(
    String host,
    int port,
    Secret apiToken,
    long maxRequestBytes,
    Duration idleTimeout,
    Duration stopTimeout,
    Duration refreshInterval,
    Clock clock) {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(5);

  public WebSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(refreshInterval, "refreshInterval");
    Objects.requireNonNull(clock, "clock");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be positive, was " + maxRequestBytes);
    }
    requirePositive("idleTimeout", idleTimeout);
    requirePositive("stopTimeout", stopTimeout);
    requirePositive("refreshInterval", refreshInterval);
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** 127.0.0.1:8080 without a token, with the default limits. */
  public static WebSettings defaults(Clock clock) {
    return new WebSettings(
        DEFAULT_HOST,
        DEFAULT_PORT,
        null,
        DEFAULT_MAX_REQUEST_BYTES,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_STOP_TIMEOUT,
        DEFAULT_REFRESH_INTERVAL,
        clock);
  }

  public WebSettings withHost(String newHost) {
    return new WebSettings(
        newHost, port, apiToken, maxRequestBytes, idleTimeout, stopTimeout, refreshInterval, clock);
  }

  public WebSettings withPort(int newPort) {
    return new WebSettings(
        host, newPort, apiToken, maxRequestBytes, idleTimeout, stopTimeout, refreshInterval, clock);
  }

  public WebSettings withApiToken(Secret token) {
    return new WebSettings(
        host, port, token, maxRequestBytes, idleTimeout, stopTimeout, refreshInterval, clock);
  }

  public WebSettings withMaxRequestBytes(long bytes) {
    return new WebSettings(
        host, port, apiToken, bytes, idleTimeout, stopTimeout, refreshInterval, clock);
  }

  public WebSettings withRefreshInterval(Duration interval) {
    return new WebSettings(
        host, port, apiToken, maxRequestBytes, idleTimeout, stopTimeout, interval, clock);
  }

  @Override
  public String toString() {
    return "WebSettings[host="
        + host
        + ", port="
        + port
        + ", apiToken="
        + (apiToken == null ? "none" : apiToken)
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", idleTimeout="
        + idleTimeout
        + ", stopTimeout="
        + stopTimeout
        + ", refreshInterval="
        + refreshInterval
        + "]";
  }
}
