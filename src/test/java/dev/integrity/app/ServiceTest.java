package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.IntegrityException;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.store.RunQuery;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AIRTABLE_TOKEN = "patServiceSecret0123456789";
  private static final String API_TOKEN = "api-token-0123456789abcdef";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private final OkHttpClient http = new OkHttpClient();
  @RegisterExtension final CapturedLogs logs = CapturedLogs.root();

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
    sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .rateLimitPerSecond(0)
            .token(AIRTABLE_TOKEN)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private IntegrityApp app(Map<String, String> extraEnv) {
    return app(extraEnv, Service.Options.of("127.0.0.1", 0));
  }

  private IntegrityApp app(Map<String, String> extraEnv, Service.Options options) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.putAll(extraEnv);
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    return IntegrityApp.builder().environment(env).config(config).serving(options).build();
  }

  /** An app of its own config, built to serve on an ephemeral loopback port. */
  private IntegrityApp served(Path config) {
    return IntegrityApp.builder()
        .environment(TestBases.env(sim, dir, 30))
        .config(config)
        .serving(Service.Options.of("127.0.0.1", 0))
        .build();
  }

  private Response call(Request.Builder request) throws Exception {
    return http.newCall(request.build()).execute();
  }

  @Test
  void the_api_starts_a_run_refuses_a_second_and_reports_it_in_metrics() throws Exception {
    try (IntegrityApp app = app(Map.of("INTEGRITY_API_TOKEN", API_TOKEN))) {
      Service service = app.serve();
      String base = service.url().toString();
      Request.Builder post =
          new Request.Builder()
              .url(base + "api/runs")
              .header("Authorization", "Bearer " + API_TOKEN)
              .post(RequestBody.create("{\"entities\": [\"students\"]}", JSON_TYPE));

      String runId;
      try (Response first = call(post)) {
        assertThat(first.code()).isEqualTo(202);
        JsonNode run = JSON.readTree(first.body().string());
        assertThat(run.get("trigger").asText()).isEqualTo("api");
        runId = run.get("id").asText();
      }
      try (Response second = call(post)) {
        if (second.code() == 409) {
          assertThat(second.body().string()).contains(runId);
        } else {
          // The first run finished already: the base was free again.
          assertThat(second.code()).isEqualTo(202);
        }
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !app.store()
                      .runs()
                      .find(runId)
                      .orElseThrow()
                      .status()
                      .name()
                      .matches("QUEUED|RUNNING"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> app.store().runs().activeRun(dataset.baseId()).isEmpty());

      try (Response run =
          call(
              new Request.Builder()
                  .url(base + "api/runs/" + runId)
                  .header("Authorization", "Bearer " + API_TOKEN))) {
        JsonNode json = JSON.readTree(run.body().string());
        assertThat(json.get("status").asText()).isEqualTo("succeeded");
        assertThat(json.get("issues").get("total").asLong()).isEqualTo(50);
      }
      try (Response metrics = call(new Request.Builder().url(base + "metrics"))) {
        String text = metrics.body().string();
        assertThat(text)
            .contains(
                "integrity_runs_total{status=\"succeeded\"}",
                "integrity_records_fetched_total",
                "integrity_runs_running");
      }
      try (Response unauthorized = call(new Request.Builder().url(base + "api/runs"))) {
        assertThat(unauthorized.code()).isEqualTo(401);
      }
      try (Response health = call(new Request.Builder().url(base + "healthz"))) {
        assertThat(health.code()).isEqualTo(200);
      }
    }
    assertThat(logs.events())
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains(AIRTABLE_TOKEN) || m.contains(API_TOKEN));
  }

  @Test
  void a_fire_while_the_base_is_busy_is_skipped_with_its_reason_visible_in_the_api()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T01:59:50Z"));
    Path config =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              teachers:
                table: Teachers
                checks:
                  - required: [Name]
            schedules:
              - name: nightly
                cron: "0 2 * * *"
                timezone: UTC
            """);
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.put("SCHEDULE_POLL_INTERVAL_SECONDS", "1");
    // The reaper sweeps once per heartbeat interval: the busy run must stay fresh (not yet an
    // unclaimed run of a lost owner) while the clock moves 15 s to the fire.
    env.put("RUN_HEARTBEAT_STALE_SECONDS", "120");
    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(env)
            .clock(clock)
            .config(config)
            .serving(Service.Options.of("127.0.0.1", 0))
            .build()) {
      RunRecord busy = app.store().runs().create(dataset.baseId(), Trigger.MANUAL, null, List.of());
      {
        Service service = app.serve();
        clock.advance(Duration.ofSeconds(15));

        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> {
                  try (Response r =
                      call(new Request.Builder().url(service.url() + "api/schedules"))) {
                    JsonNode fire = JSON.readTree(r.body().string()).get(0).get("lastFire");
                    return fire != null
                        && !fire.isNull()
                        && fire.get("outcome").asText().equals("skipped")
                        && fire.get("reason").asText().contains(busy.id());
                  }
                });
        assertThat(app.store().runs().list(new RunQuery(null, null, 10))).hasSize(1);
      }
    }
  }

  @Test
  void with_two_bases_served_an_error_run_of_one_alerts_only_its_own_config_s_webhook()
      throws Exception {
    try (MockWebServer hookA = new MockWebServer();
        MockWebServer hookB = new MockWebServer()) {
      for (MockWebServer hook : List.of(hookA, hookB)) {
        hook.setDispatcher(
            new Dispatcher() {
              @Override
              public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(200).body("ok").build();
              }
            });
        hook.start();
      }
      // Base A is unknown to the simulator, so its run ends with an error; base B is served.
      String baseA = "appMissingBase001";
      Path configA = TestBases.config(dir, baseA, teachersWithWebhook(hookA));
      Path configB = TestBases.config(dir, dataset.baseId(), teachersWithWebhook(hookB));
      try (IntegrityApp app =
          IntegrityApp.builder()
              .environment(TestBases.env(sim, dir, 30))
              // The served base first: the old wiring took every channel from the first config.
              .config(configB)
              .config(configA)
              .serving(Service.Options.of("127.0.0.1", 0))
              .build()) {
        String runId;
        {
          Service service = app.serve();
          try (Response started =
              call(
                  new Request.Builder()
                      .url(service.url() + "api/runs")
                      .post(
                          RequestBody.create(
                              "{\"base\": \"" + baseA + "\", \"entities\": [\"teachers\"]}",
                              JSON_TYPE)))) {
            assertThat(started.code()).isEqualTo(202);
            runId = JSON.readTree(started.body().string()).get("id").asText();
          }
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> app.store().runs().find(runId).orElseThrow().status().terminal());
          await().atMost(Duration.ofSeconds(10)).until(() -> hookA.getRequestCount() == 1);
        }
        assertThat(app.store().runs().find(runId).orElseThrow().status().wire()).isEqualTo("error");
        app.close();
        // Closing the app waited for every delivery its service had taken: the counts are final.
        RecordedRequest alert = hookA.takeRequest();
        JsonNode body = JSON.readTree(alert.getBody().utf8());
        assertThat(body.get("kind").asText()).isEqualTo("run_error");
        assertThat(body.get("baseId").asText()).isEqualTo(baseA);
        assertThat(hookA.getRequestCount()).isEqualTo(1);
        assertThat(hookB.getRequestCount()).isZero();
      }
    }
  }

  private static String teachersWithWebhook(MockWebServer hook) {
    return """
          teachers:
            table: Teachers
            checks:
              - required: [Name]
        alerts:
          webhook: {url: "%s"}
        """
        .formatted(hook.url("/hook"));
  }

  @Test
  void a_non_loopback_bind_without_an_api_token_is_refused() {
    try (IntegrityApp app = app(Map.of(), Service.Options.of("0.0.0.0", 0))) {
      assertThatThrownBy(app::serve)
          .isInstanceOf(IntegrityException.class)
          .hasMessageContaining("INTEGRITY_API_TOKEN");
    }
  }

  @Test
  void of_concurrent_creations_of_one_schedule_name_exactly_one_succeeds() throws Exception {
    try (IntegrityApp app = app(Map.of())) {
      Service service = app.serve();
      String body = "{\"name\": \"race\", \"cron\": \"0 3 * * *\", \"timezone\": \"UTC\"}";
      int callers = 8;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(callers);
      try {
        List<java.util.concurrent.Future<Integer>> codes = new java.util.ArrayList<>();
        for (int i = 0; i < callers; i++) {
          codes.add(
              pool.submit(
                  () -> {
                    go.await();
                    try (Response r =
                        call(
                            new Request.Builder()
                                .url(service.url() + "api/schedules")
                                .post(RequestBody.create(body, JSON_TYPE)))) {
                      return r.code();
                    }
                  }));
        }
        go.countDown();
        List<Integer> answers = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> code : codes) {
          answers.add(code.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertThat(answers).containsOnly(201, 409);
        assertThat(answers).filteredOn(c -> c == 201).hasSize(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void schedules_from_the_config_are_listed_with_their_next_fire() throws Exception {
    Path config =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              teachers:
                table: Teachers
                checks:
                  - required: [Name]
            schedules:
              - name: nightly
                cron: "0 2 * * *"
                timezone: Europe/Paris
            """);
    try (IntegrityApp app = served(config)) {
      Service service = app.serve();
      try (Response r = call(new Request.Builder().url(service.url() + "api/schedules"))) {
        JsonNode list = JSON.readTree(r.body().string());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("name").asText()).isEqualTo("nightly");
        assertThat(list.get(0).get("timezone").asText()).isEqualTo("Europe/Paris");
        assertThat(list.get(0).get("nextFireAt").asText()).isNotBlank();
      }
    }
  }

  @Test
  void a_schedules_mode_comes_from_the_config_and_round_trips_through_the_api() throws Exception {
    Path config =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              teachers:
                table: Teachers
                checks:
                  - required: [Name]
            schedules:
              - name: nightly
                cron: "0 2 * * *"
                mode: incremental
            """);
    try (IntegrityApp app = served(config)) {
      Service service = app.serve();
      try (Response r = call(new Request.Builder().url(service.url() + "api/schedules/nightly"))) {
        assertThat(JSON.readTree(r.body().string()).get("mode").asText()).isEqualTo("incremental");
      }
      String body = "{\"cron\": \"0 3 * * *\", \"mode\": \"incremental\"}";
      try (Response r =
          call(
              new Request.Builder()
                  .url(service.url() + "api/schedules/adhoc")
                  .put(RequestBody.create(body, JSON_TYPE)))) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(JSON.readTree(r.body().string()).get("mode").asText()).isEqualTo("incremental");
      }
      assertThat(app.store().schedules().find("adhoc").orElseThrow().mode().wire())
          .isEqualTo("incremental");
      try (Response r =
          call(
              new Request.Builder()
                  .url(service.url() + "api/schedules/adhoc")
                  .put(
                      RequestBody.create(
                          "{\"cron\": \"0 3 * * *\", \"mode\": \"x\"}", JSON_TYPE)))) {
        assertThat(r.code()).isEqualTo(400);
        assertThat(r.body().string()).contains("full, incremental");
      }
    }
  }
}
