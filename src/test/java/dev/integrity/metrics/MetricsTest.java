package dev.integrity.metrics;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.ApiCall;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.RetryEvent;
import dev.integrity.alert.AlertChannel;
import dev.integrity.alert.AlertMessage;
import dev.integrity.alert.AlertService;
import dev.integrity.alert.AlertSettings;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunListener;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

/** After feeding events, the Prometheus scrape shows the expected names and values. */
class MetricsTest {
  private static final Instant T0 = Instant.parse("2025-03-01T02:00:00Z");

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final AtomicLong nanos = new AtomicLong();
  private Store store;
  private Metrics metrics;

  @BeforeEach
  void open() {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("metrics.db")), clock);
    metrics = new Metrics(store, clock, nanos::get, Duration.ofSeconds(5));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunRecord running(String baseId) {
    RunRecord run = store.runs().create(baseId, Trigger.MANUAL, null, List.of("classes"));
    store.runs().claim(run.id(), "owner-1");
    return store.runs().find(run.id()).orElseThrow();
  }

  private RunRecord finish(RunRecord run, RunStatus status) {
    store.runs().finish(run.id(), status, null);
    return store.runs().find(run.id()).orElseThrow();
  }

  private static EntityProgress progress(
      String runId, EntityStatus status, long records, int pages) {
    return new EntityProgress(runId, "classes", "Classes", status, records, pages, null, null);
  }

  @Test
  void runs_are_counted_by_final_status_with_their_duration_records_and_pages() {
    RunListener listener = metrics.runListener();
    RunRecord run = running("appA000000000001");
    listener.onEntityProgress(run.id(), progress(run.id(), EntityStatus.FETCHING, 100, 1));
    listener.onEntityProgress(run.id(), progress(run.id(), EntityStatus.FETCHING, 250, 3));
    listener.onEntityProgress(run.id(), progress(run.id(), EntityStatus.FETCHED, 250, 3));
    clock.advance(Duration.ofSeconds(90));
    listener.onRunEnded(finish(run, RunStatus.SUCCEEDED));
    RunRecord slow = running("appB000000000001");
    clock.advance(Duration.ofMinutes(31));
    listener.onRunEnded(finish(slow, RunStatus.TIMEOUT));

    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("integrity_runs_total{status=\"succeeded\"} 1.0")
        .contains("integrity_runs_total{status=\"timeout\"} 1.0")
        .contains("integrity_records_fetched_total 250.0")
        .contains("integrity_pages_fetched_total 3.0")
        .contains("integrity_run_duration_seconds_count{status=\"succeeded\"} 1")
        .contains("integrity_run_duration_seconds_sum{status=\"succeeded\"} 90.0")
        .contains("integrity_run_duration_seconds_bucket{status=\"succeeded\",le=\"60.0\"} 0")
        .contains("integrity_run_duration_seconds_bucket{status=\"succeeded\",le=\"120.0\"} 1")
        .contains("integrity_run_duration_seconds_sum{status=\"timeout\"} 1860.0")
        .contains("integrity_timeouts_total{kind=\"run\"} 1.0");
  }

  @Test
  void a_restarted_fetch_counts_the_records_fetched_again() {
    RunListener listener = metrics.runListener();
    listener.onEntityProgress("run_x", progress("run_x", EntityStatus.FETCHING, 200, 2));
    listener.onEntityProgress("run_x", progress("run_x", EntityStatus.FETCHING, 100, 1));
    listener.onEntityProgress("run_x", progress("run_x", EntityStatus.FETCHED, 300, 3));

    assertThat(metrics.scrape())
        .contains("integrity_records_fetched_total 500.0")
        .contains("integrity_pages_fetched_total 5.0");
  }

  @Test
  void the_events_after_an_entity_is_fetched_add_no_pages_or_records() {
    RunListener listener = metrics.runListener();
    RunRecord run = running("appC000000000001");
    listener.onEntityProgress(run.id(), progress(run.id(), EntityStatus.FETCHING, 100, 1));
    EntityProgress fetched = progress(run.id(), EntityStatus.FETCHED, 250, 3);
    listener.onEntityProgress(run.id(), fetched);
    // The check's event repeats the fetch's totals.
    listener.onEntityProgress(run.id(), fetched.checkedWith(7));

    assertThat(metrics.scrape())
        .contains("integrity_records_fetched_total 250.0")
        .contains("integrity_pages_fetched_total 3.0");
  }

  @Test
  void a_run_whose_end_is_reported_twice_is_counted_once() {
    RunListener listener = metrics.runListener();
    RunRecord ended = finish(running("appD000000000001"), RunStatus.TIMEOUT);
    listener.onRunEnded(ended);
    listener.onRunEnded(ended);

    assertThat(metrics.scrape())
        .contains("integrity_runs_total{status=\"timeout\"} 1.0")
        .contains("integrity_timeouts_total{kind=\"run\"} 1.0");
  }

  @Test
  void airtable_requests_retries_and_timeouts_are_measured_by_kind() {
    AirtableListener listener = metrics.airtableListener();
    listener.onRequest(new RequestEvent("appA", "Classes", "GET", 200, Duration.ofMillis(120)));
    listener.onRequest(new RequestEvent("appA", "Classes", "GET", 503, Duration.ofMillis(40)));
    listener.onRequest(new RequestEvent("appA", "Classes", "GET", -1, Duration.ofSeconds(60)));
    listener.onRetry(
        new RetryEvent(
            "appA",
            "Classes",
            1,
            1,
            RetryEvent.Cause.SERVER_ERROR,
            "HTTP 503",
            Duration.ofSeconds(1)));
    listener.onRetry(
        new RetryEvent(
            "appA",
            "Classes",
            1,
            2,
            RetryEvent.Cause.TIMEOUT,
            "AIRTABLE_READ_TIMEOUT_SECONDS (60 s) reached after 60 s",
            Duration.ofSeconds(2)));
    listener.onRetry(
        new RetryEvent(
            "appA",
            "Classes",
            1,
            3,
            RetryEvent.Cause.TIMEOUT,
            "AIRTABLE_CONNECT_TIMEOUT_SECONDS (10 s) reached after 10 s",
            Duration.ofSeconds(4)));

    String scrape = metrics.scrape();

    assertThat(scrape)
        .contains("integrity_airtable_request_seconds_count{method=\"GET\",status=\"2xx\"} 1")
        .contains(
            "integrity_airtable_request_seconds_bucket{method=\"GET\",status=\"2xx\",le=\"0.25\"} 1")
        .contains("integrity_airtable_request_seconds_count{method=\"GET\",status=\"5xx\"} 1")
        .contains("integrity_airtable_request_seconds_sum{method=\"GET\",status=\"none\"} 60.0")
        .contains("integrity_airtable_retries_total{cause=\"server_error\"} 1.0")
        .contains("integrity_airtable_retries_total{cause=\"timeout\"} 2.0")
        .contains("integrity_timeouts_total{kind=\"airtable_read\"} 1.0")
        .contains("integrity_timeouts_total{kind=\"airtable_connect\"} 1.0");
  }

  @Test
  void airtable_api_calls_are_counted_by_kind() {
    AirtableListener listener = metrics.airtableListener();
    listener.onApiCall(new ApiCall("appA", ApiCall.Kind.LIST));
    listener.onApiCall(new ApiCall("appA", ApiCall.Kind.LIST));
    listener.onApiCall(new ApiCall("appA", ApiCall.Kind.PAYLOADS));
    listener.onApiCall(new ApiCall("appA", ApiCall.Kind.WEBHOOK));

    assertThat(metrics.scrape())
        .contains("integrity_airtable_calls_total{kind=\"list\"} 2.0")
        .contains("integrity_airtable_calls_total{kind=\"payloads\"} 1.0")
        .contains("integrity_airtable_calls_total{kind=\"webhook\"} 1.0");
  }

  @Test
  void each_run_records_its_airtable_calls_by_kind_once_at_its_end() {
    AirtableListener airtable = metrics.airtableListener();
    RunListener runs = metrics.runListener();
    RunRecord first = running("appA000000000001");
    RunRecord second = running("appB000000000001");
    try {
      // The client calls on the run's threads, which carry the run id in the MDC.
      MDC.put("run", first.id());
      for (int i = 0; i < 3; i++) {
        airtable.onApiCall(new ApiCall("appA000000000001", ApiCall.Kind.LIST));
      }
      airtable.onApiCall(new ApiCall("appA000000000001", ApiCall.Kind.SCHEMA));
      MDC.put("run", second.id());
      airtable.onApiCall(new ApiCall("appB000000000001", ApiCall.Kind.LIST));
      airtable.onApiCall(new ApiCall("appB000000000001", ApiCall.Kind.PAYLOADS));
      airtable.onApiCall(new ApiCall("appB000000000001", ApiCall.Kind.PAYLOADS));
      MDC.remove("run");
      // A call outside any run (validate --online, say) belongs to no run.
      airtable.onApiCall(new ApiCall("appA000000000001", ApiCall.Kind.LIST));
    } finally {
      MDC.remove("run");
    }
    assertThat(metrics.scrape()).doesNotContain("integrity_run_airtable_calls_count");

    runs.onRunEnded(finish(first, RunStatus.SUCCEEDED));
    runs.onRunEnded(finish(second, RunStatus.ERROR));

    assertThat(metrics.scrape())
        .contains("integrity_run_airtable_calls_count{kind=\"list\"} 2")
        .contains("integrity_run_airtable_calls_sum{kind=\"list\"} 4.0")
        .contains("integrity_run_airtable_calls_max{kind=\"list\"} 3.0")
        .contains("integrity_run_airtable_calls_sum{kind=\"payloads\"} 2.0")
        .contains("integrity_run_airtable_calls_sum{kind=\"schema\"} 1.0")
        .contains("integrity_run_airtable_calls_count{kind=\"webhook\"} 2")
        .contains("integrity_run_airtable_calls_sum{kind=\"other\"} 0.0")
        .contains("integrity_airtable_calls_total{kind=\"list\"} 5.0");
  }

  @Test
  void running_runs_and_the_age_of_the_oldest_come_from_the_store_cached_briefly() {
    RunRecord first = running("appA000000000001");
    clock.advance(Duration.ofMinutes(5));
    running("appB000000000001");
    clock.advance(Duration.ofMinutes(5));

    assertThat(metrics.scrape())
        .contains("integrity_runs_running 2.0")
        .contains("integrity_oldest_running_run_age_seconds 600.0");

    finish(first, RunStatus.SUCCEEDED);
    assertThat(metrics.scrape()).contains("integrity_runs_running 2.0");

    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(metrics.scrape())
        .contains("integrity_runs_running 1.0")
        .contains("integrity_oldest_running_run_age_seconds 300.0");
  }

  @Test
  void no_running_run_shows_zero_and_an_unreadable_store_shows_not_a_number() {
    assertThat(metrics.scrape())
        .contains("integrity_runs_running 0.0")
        .contains("integrity_oldest_running_run_age_seconds 0.0");

    store.close();
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());

    assertThat(metrics.scrape()).contains("integrity_runs_running NaN");
  }

  @Test
  void reaped_runs_skipped_fires_and_alerts_are_counted_by_their_tag() {
    metrics.onReaped("stale");
    metrics.onReaped("stale");
    metrics.onReaped("overdue");
    metrics.onScheduleSkipped("nightly");
    metrics.onAlertSent("slack");
    metrics.onAlertFailed("email");

    assertThat(metrics.scrape())
        .contains("integrity_reaped_runs_total{reason=\"stale\"} 2.0")
        .contains("integrity_reaped_runs_total{reason=\"overdue\"} 1.0")
        .contains("integrity_schedule_fires_skipped_total{schedule=\"nightly\"} 1.0")
        .contains("integrity_alerts_sent_total{channel=\"slack\"} 1.0")
        .contains("integrity_alerts_failed_total{channel=\"email\"} 1.0");
  }

  @Test
  void alert_deliveries_of_the_alert_service_show_up_as_sent_and_failed() {
    AlertChannel working = channel("working", false);
    AlertChannel broken = channel("broken", true);
    try (AlertService alerts =
        new AlertService(
            store,
            clock,
            AlertSettings.defaults("http://127.0.0.1:8080")
                .withDelivery(2, Duration.ofMillis(10), Duration.ofMillis(20)),
            List.of(working, broken),
            AlertService.newDeliveryPool(),
            AlertService.newRetryTimers(),
            metrics)) {
      alerts.onRunEnded(finish(running("appA000000000001"), RunStatus.ERROR), null);

      await()
          .atMost(5, SECONDS)
          .until(
              () ->
                  metrics
                      .scrape()
                      .contains("integrity_alerts_failed_total{channel=\"broken\"} 1.0"));
    }
    assertThat(metrics.scrape())
        .contains("integrity_alerts_sent_total{channel=\"working\"} 1.0")
        .doesNotContain("integrity_alerts_sent_total{channel=\"broken\"}");
  }

  private static AlertChannel channel(String name, boolean fails) {
    return new AlertChannel() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void send(AlertMessage message) {
        if (fails) {
          throw new IllegalStateException("down");
        }
      }
    };
  }
}
