package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes through the record endpoints reach an incremental run through the webhook: the run reads
 * no records, only payloads, and finds what the writes broke and fixed.
 */
class WritesThenIncrementalRunTest {
  static final String ENTITIES =
      """
        teachers:
          table: Teachers
          checks:
            - required: [Name, Email]
      """;

  @TempDir Path dir;
  AirtableSimulator sim;
  TestHttp http;

  @BeforeEach
  void start() {
    sim =
        AirtableSimulator.builder()
            .dataset(RecordWritesTest.school())
            .rateLimitPerSecond(0)
            .build()
            .start();
    http = new TestHttp(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  IntegrityApp app() {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
    Path config = TestBases.config(dir, RecordWritesTest.BASE, ENTITIES);
    return IntegrityApp.builder().environment(env).clock(Clock.systemUTC()).config(config).build();
  }

  static RunRecord succeeded(IntegrityApp app) {
    RunRecord ended =
        app.execute(app.start(null, Trigger.MANUAL, List.of(), RunMode.INCREMENTAL).id());
    assertThat(ended.status()).as("%s", ended.error()).isEqualTo(RunStatus.SUCCEEDED);
    return ended;
  }

  TestHttp.Answer write(String method, String rest, String json) {
    return http.call(
        http.request("/v0/" + RecordWritesTest.BASE + "/" + rest)
            .method(method, RequestBody.create(json, MediaType.get("application/json")))
            .build());
  }

  @Test
  void an_incremental_run_finds_what_http_writes_broke_and_fixed_reading_only_the_webhook() {
    sim.apply(
        Edits.begin()
            .update(
                "Teachers",
                RecordWritesTest.TEACHER_1,
                java.util.Collections.singletonMap("Email", null)));
    try (IntegrityApp app = app()) {
      RunRecord first = succeeded(app);
      assertThat(first.mode()).isEqualTo(RunMode.FULL);

      assertThat(
              write(
                      "PATCH",
                      "Teachers",
                      "{\"records\":[{\"id\":\""
                          + RecordWritesTest.TEACHER_1
                          + "\",\"fields\":{\"Email\":\"ada@school.org\"}},{\"id\":\""
                          + RecordWritesTest.TEACHER_2
                          + "\",\"fields\":{\"Email\":\"\"}}]}")
                  .status())
          .isEqualTo(200);
      TestHttp.Answer created = write("POST", "Teachers", "{\"fields\":{\"Email\":\"x@y.org\"}}");
      assertThat(created.status()).isEqualTo(200);
      String newId = created.json().get("id").asText();
      sim.clearRequests();

      RunRecord second = succeeded(app);

      assertThat(second.mode()).as("%s", second.modeReason()).isEqualTo(RunMode.INCREMENTAL);
      assertThat(sim.requests())
          .as("no list-records call: the changes came from the webhook")
          .noneMatch(r -> r.path().endsWith("/Teachers") || r.path().contains("/tbl"));
      TreeSet<String> issues = new TreeSet<>();
      app.store()
          .issues()
          .forEach(
              second.id(),
              IssueFilter.ALL,
              i -> issues.add(i.recordId() + " " + i.field() + " " + i.state()));
      assertThat(issues)
          .containsExactlyInAnyOrder(
              RecordWritesTest.TEACHER_1 + " Email resolved",
              RecordWritesTest.TEACHER_2 + " Email new",
              newId + " Name new");
    }
  }
}
