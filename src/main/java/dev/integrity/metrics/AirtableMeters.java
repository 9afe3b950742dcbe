package dev.integrity.metrics;

import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.ApiCall;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.RetryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airtable client events as meters: request latency by method and status class, retries by cause,
 * timed-out attempts by kind (connect, read, request). Thread-safe; never throws.
 */
final class AirtableMeters implements AirtableListener {
  private static final Logger log = LoggerFactory.getLogger(AirtableMeters.class);
  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60),
    Duration.ofSeconds(300)
  };

  private final MeterRegistry registry;

  AirtableMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onRequest(RequestEvent e) {
    try {
      Timer.builder("integrity.airtable.request")
          .tag("method", e.method() == null ? "unknown" : e.method())
          .tag("status", statusClass(e.status()))
          .description("Airtable HTTP attempts until the body was read or the attempt failed")
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry)
          .record(e.latency());
    } catch (RuntimeException ex) {
      log.warn("metrics: cannot record an Airtable request: {}", ex.toString());
    }
  }

  /** Calls as Airtable's quota counts them (retries too), by kind: list, payloads, webhook… */
  @Override
  public void onApiCall(ApiCall call) {
    try {
      Counter.builder("integrity.airtable.calls")
          .tag("kind", call.kind().name().toLowerCase(Locale.ROOT))
          .description("Airtable API calls sent, retries included, by kind")
          .register(registry)
          .increment();
    } catch (RuntimeException ex) {
      log.warn("metrics: cannot count an Airtable call: {}", ex.toString());
    }
  }

  @Override
  public void onRetry(RetryEvent e) {
    try {
      String cause = e.cause().name().toLowerCase(Locale.ROOT);
      Counter.builder("integrity.airtable.retries")
          .tag("cause", cause)
          .description("Airtable attempts retried, by cause")
          .register(registry)
          .increment();
      switch (e.cause()) {
        case TIMEOUT -> timeout(registry, "airtable_" + timeoutKind(e.message()));
        case RATE_LIMITED, SERVER_ERROR, NETWORK, UNREADABLE -> {}
      }
    } catch (RuntimeException ex) {
      log.warn("metrics: cannot record an Airtable retry: {}", ex.toString());
    }
  }

  static void timeout(MeterRegistry registry, String kind) {
    Counter.builder("integrity.timeouts")
        .tag("kind", kind)
        .description("Deadlines reached: Airtable attempts (connect, read, request) and runs")
        .register(registry)
        .increment();
  }

  /** {@code 2xx}, {@code 4xx}, {@code 5xx}…, or {@code none} when no answer came. */
  static String statusClass(int status) {
    return status < 100 || status > 599 ? "none" : (status / 100) + "xx";
  }

  /** The client names the limit it hit first, e.g. {@code AIRTABLE_CONNECT_TIMEOUT_SECONDS …}. */
  static String timeoutKind(String message) {
    String text = message == null ? "" : message.toUpperCase(Locale.ROOT);
    if (text.contains("CONNECT")) {
      return "connect";
    }
    if (text.contains("READ")) {
      return "read";
    }
    return "request";
  }
}
