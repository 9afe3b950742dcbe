package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Secret;
import dev.integrity.model.IssueRow;
import dev.integrity.run.RunReport;
import dev.integrity.store.AlertRow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {
  private static final String TOKEN = "tok-9f3a-very-secret-value";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final ObjectMapper json = new ObjectMapper();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private FakeBackend backend;
  private WebServer server;
  private TestHttp http;

  @BeforeAll
  void attachLogCapture() {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
  }

  @BeforeEach
  void start() {
    backend = new FakeBackend(T0);
    backend.put(FakeBackend.report("run_a", "succeeded", T0, 1500L));
    backend.put(FakeBackend.report("run_b", "error", T0.plusSeconds(60), 900L));
    backend.put(FakeBackend.report("run_c", "succeeded", T0.plusSeconds(120), 2000L));
    server =
        new WebServer(
                backend,
                WebSettings.defaults(Clock.fixed(T0.plusSeconds(7200), ZoneOffset.UTC))
                    .withPort(0)
                    .withApiToken(new Secret(TOKEN))
                    .withMaxRequestBytes(4096))
            .start();
    http = new TestHttp(server.url());
  }

  @AfterEach
  void stop() {
    try {
      assertThat(http.answers()).isNotEmpty();
      for (TestHttp.Answer answer : http.answers()) {
        assertThat(answer.body()).doesNotContain(TOKEN);
        assertThat(answer.headers()).doesNotContain(TOKEN);
      }
    } finally {
      http.close();
      server.close();
    }
  }

  @AfterAll
  void no_log_line_holds_the_token() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(TOKEN);
    }
  }

  private JsonNode body(TestHttp.Answer answer) throws Exception {
    return json.readTree(answer.body());
  }

  private void assertError(TestHttp.Answer answer, int status, String code) throws Exception {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/json");
    JsonNode error = body(answer).get("error");
    assertThat(error).as(answer.body()).isNotNull();
    assertThat(error.get("code").asText()).isEqualTo(code);
    assertThat(error.get("message").asText()).isNotBlank();
  }

  @Test
  void healthz_answers_200_without_a_token() throws Exception {
    TestHttp.Answer answer = http.get("/healthz", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(body(answer).get("status").asText()).isEqualTo("ok");
  }

  @Test
  void api_request_without_a_token_is_refused_with_401() throws Exception {
    TestHttp.Answer answer = http.get("/api/runs", null);
    assertError(answer, 401, "unauthorized");
    assertThat(answer.headers()).contains("WWW-Authenticate: Bearer");
    assertError(http.get("/api/runs", "Basic dXNlcjpwYXNz"), 401, "unauthorized");
  }

  @Test
  void api_request_with_a_wrong_token_is_refused_with_403() throws Exception {
    assertError(http.get("/api/runs", "Bearer not-the-token"), 403, "forbidden");
    assertError(http.get("/api/runs", BEARER + "x"), 403, "forbidden");
    assertError(http.send("POST", "/api/runs", "{}", "Bearer nope", null), 403, "forbidden");
    assertThat(backend.startedCount()).isZero();
  }

  @Test
  void runs_list_is_newest_first_without_entities_and_filters_by_status() throws Exception {
    TestHttp.Answer answer = http.get("/api/runs?limit=2", BEARER);
    assertThat(answer.status()).isEqualTo(200);
    JsonNode runs = body(answer);
    assertThat(runs.size()).isEqualTo(2);
    assertThat(runs.get(0).get("id").asText()).isEqualTo("run_c");
    assertThat(runs.get(0).has("entities")).isFalse();
    assertThat(runs.get(0).get("createdAt").asText()).isEqualTo("2025-03-01T10:02:00Z");

    JsonNode errors = body(http.get("/api/runs?status=ERROR", BEARER));
    assertThat(errors.size()).isEqualTo(1);
    assertThat(errors.get(0).get("id").asText()).isEqualTo("run_b");

    TestHttp.Answer bad = http.get("/api/runs?status=done", BEARER);
    assertError(bad, 400, "bad_request");
    assertThat(bad.body()).contains("unknown run status 'done'");
    assertError(http.get("/api/runs?limit=0", BEARER), 400, "bad_request");
    assertError(http.get("/api/runs?limit=ten", BEARER), 400, "bad_request");
  }

  @Test
  void run_by_id_has_the_contract_fields_and_entities() throws Exception {
    JsonNode run = body(http.get("/api/runs/run_a", BEARER));
    assertThat(run.get("id").asText()).isEqualTo("run_a");
    assertThat(run.get("status").asText()).isEqualTo("succeeded");
    assertThat(run.get("durationMs").asLong()).isEqualTo(1500);
    assertThat(run.get("startedAt").asText()).isEqualTo("2025-03-01T10:00:01Z");
    assertThat(run.get("entities").get(1).get("name").asText()).isEqualTo("classes");
    assertThat(run.get("entities").get(1).get("records").asLong()).isEqualTo(300);
    assertThat(run.get("issues").get("bySeverity").get("fail").asLong()).isEqualTo(2);
    assertThat(run.get("issues").get("new").asLong()).isEqualTo(1);
    assertThat(run.get("entities").get(1).get("checked").asBoolean()).isTrue();
    assertThat(run.get("entities").get(1).get("issues").asLong()).isEqualTo(2);
  }

  @Test
  void a_partial_run_page_has_a_checked_column_and_says_the_run_is_partial() throws Exception {
    RunReport base = FakeBackend.report("run_p", "error", T0.plusSeconds(300), 900L);
    backend.put(
        new RunReport(
            base.id(),
            base.status(),
            base.trigger(),
            base.schedule(),
            base.mode(),
            base.modeReason(),
            base.instance(),
            base.createdAt(),
            base.startedAt(),
            base.finishedAt(),
            base.durationMs(),
            "checked 1 of 2 entities; classes: error: HTTP 500 <b>",
            List.of(
                new RunReport.EntityReport(
                    "teachers",
                    "Teachers",
                    "fetched",
                    120,
                    2,
                    800L,
                    null,
                    true,
                    3,
                    List.of("link:School", "rule:<b>")),
                new RunReport.EntityReport(
                    "classes",
                    "Classes",
                    "error",
                    100,
                    1,
                    700L,
                    "HTTP 500 <b>",
                    false,
                    0,
                    List.of())),
            base.issues()));

    TestHttp.Answer page = http.get("/runs/run_p", null);

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body())
        .contains("<th>Checked</th><th>Issues</th>")
        .contains(
            "<p class=\"partial\" role=\"status\">Partial results: checked 1 of 2 entities;"
                + " classes: error: HTTP 500 &lt;b&gt;</p>")
        .containsPattern(
            "<td>teachers</td>.*<td class=\"checked\">yes</td><td class=\"num\">3</td>"
                + "<td class=\"partial-checks\">link:School, rule:&lt;b&gt;</td>")
        .containsPattern("<td>classes</td>.*<td class=\"checked\">no</td>")
        .doesNotContain("HTTP 500 <b>");
    JsonNode json = body(http.get("/api/runs/run_p", BEARER));
    assertThat(json.get("entities").get(1).get("checked").asBoolean()).isFalse();
    assertThat(json.get("entities").get(0).get("partialChecks").toString())
        .isEqualTo("[\"link:School\",\"rule:<b>\"]");
    assertThat(json.get("entities").get(1).get("partialChecks").toString()).isEqualTo("[]");
  }

  @Test
  void unknown_ids_routes_and_methods_answer_json_errors() throws Exception {
    TestHttp.Answer run = http.get("/api/runs/run_nope", BEARER);
    assertError(run, 404, "not_found");
    assertThat(run.body()).contains("run_nope");
    assertError(http.get("/api/runs/run_nope/issues", BEARER), 404, "not_found");
    assertError(http.get("/api/nothing/here", BEARER), 404, "not_found");
    assertError(http.get("/no/such/page.json", null), 404, "not_found");
    assertError(http.send("DELETE", "/api/runs", null, BEARER, null), 405, "method_not_allowed");
  }

  @Test
  void post_run_answers_202_with_the_run_then_409_while_it_is_active() throws Exception {
    TestHttp.Answer first =
        http.send("POST", "/api/runs", "{\"entities\":[\"classes\"]}", BEARER, null);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    JsonNode run = body(first);
    assertThat(run.get("status").asText()).isEqualTo("queued");
    assertThat(first.headers()).contains("Location: /api/runs/" + run.get("id").asText());
    assertThat(backend.lastStartEntities()).containsExactly("classes");
    assertThat(backend.lastStartBase()).isNull();

    TestHttp.Answer second =
        http.send(
            "POST",
            "/api/runs",
            "{\"base\":\"" + FakeBackend.BASE + "\",\"entities\":[]}",
            BEARER,
            null);
    assertError(second, 409, "run_active");
    assertThat(second.body()).contains(run.get("id").asText());
  }

  @Test
  void post_run_with_a_bad_body_is_400_with_a_message_saying_what_is_wrong() throws Exception {
    TestHttp.Answer broken = http.send("POST", "/api/runs", "{\"entities\": [", BEARER, null);
    assertError(broken, 400, "bad_request");
    assertThat(body(broken).get("error").get("message").asText()).contains("not valid JSON");

    TestHttp.Answer unknown =
        http.send("POST", "/api/runs", "{\"entities\":[\"students\"]}", BEARER, null);
    assertError(unknown, 400, "bad_request");
    assertThat(unknown.body()).contains("unknown entity 'students'");

    TestHttp.Answer typo = http.send("POST", "/api/runs", "{\"entites\":[]}", BEARER, null);
    assertError(typo, 400, "bad_request");
    assertThat(typo.body()).contains("unknown field 'entites'");

    assertError(
        http.send("POST", "/api/runs", "{\"entities\":\"classes\"}", BEARER, null),
        400,
        "bad_request");
    assertError(http.send("POST", "/api/runs", "[1,2]", BEARER, null), 400, "bad_request");
    assertError(
        http.send("POST", "/api/runs", "{\"base\":\"appOTHER\"}", BEARER, null),
        400,
        "bad_request");
    assertThat(backend.startedCount()).isZero();
  }

  @Test
  void body_over_the_size_limit_is_refused_with_413() throws Exception {
    String huge = "{\"entities\":[\"" + "x".repeat(10_000) + "\"]}";
    TestHttp.Answer answer = http.send("POST", "/api/runs", huge, BEARER, null);
    assertError(answer, 413, "payload_too_large");
    assertThat(answer.body()).contains("4096 bytes");
    assertThat(backend.startedCount()).isZero();
  }

  @Test
  void chunked_body_over_the_size_limit_is_refused_with_413() throws Exception {
    byte[] huge = ("{\"entities\":[\"" + "y".repeat(20_000) + "\"]}").getBytes();
    TestHttp.Answer answer = http.postChunked("/api/runs", huge, BEARER);
    assertError(answer, 413, "payload_too_large");
    assertThat(backend.startedCount()).isZero();
  }

  @Test
  void issues_are_listed_in_the_contract_shape_and_filtered() throws Exception {
    backend.putIssues(
        "run_a",
        List.of(
            new IssueRow(
                "run_a",
                "classes",
                "rec1",
                "required-name",
                "Name",
                "fail",
                "Name is empty",
                "https://airtable.com/appX/tblY/rec1",
                "new"),
            new IssueRow(
                "run_a",
                "classes",
                "rec2",
                "range-capacity",
                "Capacity",
                "warn",
                "Capacity 90 is above 40",
                "https://airtable.com/appX/tblY/rec2",
                "persisting"),
            new IssueRow(
                "run_a",
                "teachers",
                "rec3",
                "unique-email",
                "Email",
                "fail",
                "duplicate",
                null,
                "resolved")));
    // The default listing is the open issues (new and persisting), per SHARED-SHAPES/CONTRACT.
    JsonNode open = body(http.get("/api/runs/run_a/issues", BEARER));
    assertThat(open.size()).isEqualTo(2);
    JsonNode all = body(http.get("/api/runs/run_a/issues?state=all", BEARER));
    assertThat(all.size()).isEqualTo(3);
    JsonNode first = all.get(0);
    assertThat(first.get("entity").asText()).isEqualTo("classes");
    assertThat(first.get("recordId").asText()).isEqualTo("rec1");
    assertThat(first.get("check").asText()).isEqualTo("required-name");
    assertThat(first.get("field").asText()).isEqualTo("Name");
    assertThat(first.get("url").asText()).isEqualTo("https://airtable.com/appX/tblY/rec1");
    assertThat(first.get("state").asText()).isEqualTo("new");
    assertThat(first.has("runId")).isFalse();

    JsonNode resolved = body(http.get("/api/runs/run_a/issues?only=resolved", BEARER));
    assertThat(resolved.size()).isEqualTo(1);
    assertThat(resolved.get(0).get("recordId").asText()).isEqualTo("rec3");
    JsonNode page = body(http.get("/api/runs/run_a/issues?state=all&limit=1&offset=1", BEARER));
    assertThat(page.get(0).get("recordId").asText()).isEqualTo("rec2");
    assertError(http.get("/api/runs/run_a/issues?only=old", BEARER), 400, "bad_request");
    assertError(http.get("/api/runs/run_a/issues?offset=-1", BEARER), 400, "bad_request");
  }

  @Test
  void bad_issue_filters_answer_400_naming_the_parameter_and_the_allowed_values() throws Exception {
    assertThat(errorMessage(http.get("/api/runs/run_a/issues?state=x", BEARER)))
        .isEqualTo("state: 'x' is not one of new, persisting, resolved, retired, open, all");
    assertThat(errorMessage(http.get("/api/runs/run_a/issues?severity=high", BEARER)))
        .isEqualTo("severity: 'high' is not one of fail, warn");
    assertThat(errorMessage(http.get("/api/runs/run_a/issues?only=open", BEARER)))
        .isEqualTo("only: 'open' is not one of new, resolved, all");
    assertThat(errorMessage(http.get("/api/runs/run_a/issues?limit=0", BEARER)))
        .contains("limit")
        .contains("1 and 1000");
    assertError(http.get("/api/runs/nope/summary", BEARER), 404, "not_found");
  }

  private String errorMessage(TestHttp.Answer answer) throws Exception {
    assertError(answer, 400, "bad_request");
    return body(answer).get("error").get("message").asText();
  }

  @Test
  void cancel_answers_by_what_happened_to_the_run() throws Exception {
    backend.put(FakeBackend.report("run_live_q", "queued", T0.plusSeconds(300), null));
    TestHttp.Answer queued = http.send("POST", "/api/runs/run_live_q/cancel", null, BEARER, null);
    assertThat(queued.status()).isEqualTo(200);
    assertThat(body(queued).get("result").asText()).isEqualTo("cancelled");
    assertThat(backend.run("run_live_q").orElseThrow().status()).isEqualTo("cancelled");

    backend.put(FakeBackend.report("run_live_r", "running", T0.plusSeconds(400), null));
    TestHttp.Answer running = http.send("POST", "/api/runs/run_live_r/cancel", null, BEARER, null);
    assertThat(running.status()).isEqualTo(202);
    assertThat(body(running).get("result").asText()).isEqualTo("requested");

    assertError(http.send("POST", "/api/runs/run_a/cancel", null, BEARER, null), 409, "run_ended");
    assertError(http.send("POST", "/api/runs/zzz/cancel", null, BEARER, null), 404, "not_found");
    assertError(
        http.send("POST", "/api/runs/run_live_r/cancel", null, null, null), 401, "unauthorized");
  }

  @Test
  void schedules_can_be_created_read_replaced_and_deleted() throws Exception {
    String body =
        "{\"name\":\"nightly\",\"cron\":\"0 2 * * *\",\"timezone\":\"America/New_York\","
            + "\"entities\":[\"classes\"]}";
    TestHttp.Answer created = http.send("POST", "/api/schedules", body, BEARER, null);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(body(created).get("nextFireAt").asText()).isEqualTo("2025-03-02T10:00:00Z");
    assertError(http.send("POST", "/api/schedules", body, BEARER, null), 409, "schedule_exists");

    JsonNode one = body(http.get("/api/schedules/nightly", BEARER));
    assertThat(one.get("timezone").asText()).isEqualTo("America/New_York");
    assertThat(one.get("enabled").asBoolean()).isTrue();

    TestHttp.Answer replaced =
        http.send(
            "PUT",
            "/api/schedules/nightly",
            "{\"cron\":\"30 3 * * 1\",\"enabled\":false}",
            BEARER,
            null);
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(body(replaced).get("cron").asText()).isEqualTo("30 3 * * 1");
    assertThat(body(http.get("/api/schedules", BEARER)).size()).isEqualTo(1);

    assertThat(http.send("DELETE", "/api/schedules/nightly", null, BEARER, null).status())
        .isEqualTo(204);
    assertError(http.get("/api/schedules/nightly", BEARER), 404, "not_found");
    assertError(
        http.send("DELETE", "/api/schedules/nightly", null, BEARER, null), 404, "not_found");
  }

  @Test
  void a_schedules_mode_defaults_to_full_and_round_trips_through_post_put_and_get()
      throws Exception {
    TestHttp.Answer created =
        http.send(
            "POST",
            "/api/schedules",
            "{\"name\":\"nightly\",\"cron\":\"0 2 * * *\"}",
            BEARER,
            null);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(body(created).get("mode").asText()).isEqualTo("full");

    TestHttp.Answer replaced =
        http.send(
            "PUT",
            "/api/schedules/nightly",
            "{\"cron\":\"0 2 * * *\",\"mode\":\"incremental\"}",
            BEARER,
            null);
    assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
    assertThat(body(replaced).get("mode").asText()).isEqualTo("incremental");
    assertThat(body(http.get("/api/schedules/nightly", BEARER)).get("mode").asText())
        .isEqualTo("incremental");
  }

  @Test
  void a_schedule_with_an_unknown_mode_is_refused_with_400_naming_the_allowed_modes()
      throws Exception {
    TestHttp.Answer bad =
        http.send(
            "PUT",
            "/api/schedules/x",
            "{\"cron\":\"0 2 * * *\",\"mode\":\"partial\"}",
            BEARER,
            null);
    assertError(bad, 400, "bad_request");
    assertThat(bad.body()).contains("full, incremental").contains("partial");
    assertThat(backend.schedules()).isEmpty();
  }

  @Test
  void invalid_schedules_are_refused_with_400_and_a_reason() throws Exception {
    TestHttp.Answer cron =
        http.send("PUT", "/api/schedules/x", "{\"cron\":\"0 0 2 * * *\"}", BEARER, null);
    assertError(cron, 400, "bad_request");
    assertThat(cron.body()).contains("5 fields");
    TestHttp.Answer name =
        http.send(
            "PUT", "/api/schedules/" + "n".repeat(65), "{\"cron\":\"0 2 * * *\"}", BEARER, null);
    assertError(name, 400, "bad_request");
    assertThat(name.body()).contains("schedule name must be 1 to 64 letters");
    TestHttp.Answer zone =
        http.send(
            "PUT",
            "/api/schedules/x",
            "{\"cron\":\"0 2 * * *\",\"timezone\":\"Mars/Base\"}",
            BEARER,
            null);
    assertThat(zone.body()).contains("unknown time zone 'Mars/Base'");
    TestHttp.Answer mismatch =
        http.send(
            "PUT", "/api/schedules/x", "{\"name\":\"y\",\"cron\":\"0 2 * * *\"}", BEARER, null);
    assertError(mismatch, 400, "bad_request");
    TestHttp.Answer fromBackend =
        http.send(
            "PUT",
            "/api/schedules/x",
            "{\"cron\":\"0 2 * * *\",\"entities\":[\"pets\"]}",
            BEARER,
            null);
    assertError(fromBackend, 400, "bad_request");
    assertThat(fromBackend.body()).contains("unknown entity 'pets'");
    assertError(
        http.send(
            "POST", "/api/schedules", "{\"name\":\"../etc\",\"cron\":\"* * * * *\"}", BEARER, null),
        400,
        "bad_request");
    assertThat(backend.schedules()).isEmpty();
  }

  @Test
  void alerts_are_listed_newest_first() throws Exception {
    backend.addAlert(
        new AlertRow(
            1,
            "run-error:run_b",
            "run-error",
            FakeBackend.BASE,
            "run_b",
            null,
            "run run_b ended error",
            AlertRow.OPEN,
            T0.plusSeconds(61),
            null));
    JsonNode alerts = body(http.get("/api/alerts?limit=5", BEARER));
    assertThat(alerts.size()).isEqualTo(1);
    assertThat(alerts.get(0).get("kind").asText()).isEqualTo("run-error");
    assertThat(alerts.get(0).get("state").asText()).isEqualTo("open");
    assertThat(alerts.get(0).get("openedAt").asText()).isEqualTo("2025-03-01T10:01:01Z");
  }

  @Test
  void readyz_follows_the_database_and_needs_no_token() throws Exception {
    assertThat(http.get("/readyz", null).status()).isEqualTo(200);
    backend.ready(false);
    assertError(http.get("/readyz", null), 503, "not_ready");
  }

  @Test
  void metrics_are_prometheus_text_without_a_token() {
    TestHttp.Answer answer = http.get("/metrics", null);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(answer.body()).contains("integrity_runs_total{status=\"succeeded\"}");
  }

  @Test
  void a_state_change_from_another_origin_is_refused() throws Exception {
    TestHttp.Answer answer = http.send("POST", "/api/runs", "{}", BEARER, "https://evil.example");
    assertError(answer, 403, "cross_origin");
    assertThat(backend.startedCount()).isZero();
    TestHttp.Answer sameOrigin =
        http.send(
            "POST", "/api/runs/run_a/cancel", null, BEARER, "http://127.0.0.1:" + server.port());
    assertError(sameOrigin, 409, "run_ended");
  }
}
