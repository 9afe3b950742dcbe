package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over a real SQLite store behind a small adapter. */
class StoreBackedApiTest {
  private static final String BASE = "appSTOREBACKED001";
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private StoreWeb web;
  private Store store;
  private TestHttp http;

  @BeforeEach
  void start() {
    web = new StoreWeb(dir.resolve("web.db"), BASE, clock);
    store = web.store;
    http = web.http;
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private String finishedRunWithIssues() {
    RunRecord run = store.runs().create(BASE, Trigger.MANUAL, null, List.of("classes"));
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "classes", "Classes")));
    store
        .runs()
        .updateEntity(
            new EntityProgress(
                run.id(), "classes", "Classes", EntityStatus.FETCHED, 250, 3, 900L, null));
    try (IssueWriter writer = store.issues().writer(run.id())) {
      writer.add(
          new IssueRow(
              run.id(),
              "classes",
              "rec1",
              "required-name",
              "Name",
              "fail",
              "Name is empty",
              "https://airtable.com/a/b/rec1",
              null));
      writer.add(
          new IssueRow(
              run.id(),
              "classes",
              "rec2",
              "range-capacity",
              "Capacity",
              "warn",
              "Capacity 90 is above 40",
              null,
              null));
    }
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            List.of(
                EntityCoverage.complete("classes", List.of("required-name", "range-capacity"))));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  @Test
  void a_stored_run_is_served_with_entities_and_issue_counts() throws Exception {
    String id = finishedRunWithIssues();
    JsonNode run = json.readTree(http.get("/api/runs/" + id, null).body());
    assertThat(run.get("status").asText()).isEqualTo("succeeded");
    assertThat(run.get("trigger").asText()).isEqualTo("manual");
    assertThat(run.get("entities").get(0).get("records").asLong()).isEqualTo(250);
    assertThat(run.get("issues").get("total").asLong()).isEqualTo(2);
    assertThat(run.get("issues").get("bySeverity").get("warn").asLong()).isEqualTo(1);

    JsonNode issues = json.readTree(http.get("/api/runs/" + id + "/issues", null).body());
    assertThat(issues.size()).isEqualTo(2);
    assertThat(issues.get(0).get("state").asText()).isEqualTo("new");
    JsonNode list = json.readTree(http.get("/api/runs?status=succeeded", null).body());
    assertThat(list.get(0).get("id").asText()).isEqualTo(id);

    TestHttp.Answer page = http.get("/runs/" + id, null);
    assertThat(page.body()).contains("Capacity 90 is above 40").contains("250");
  }

  @Test
  void post_run_queues_a_stored_run_then_409_then_cancel_ends_it() throws Exception {
    TestHttp.Answer first =
        http.send("POST", "/api/runs", "{\"entities\":[\"classes\"]}", null, null);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String id = json.readTree(first.body()).get("id").asText();
    assertThat(store.runs().find(id).orElseThrow().trigger()).isEqualTo(Trigger.API);

    TestHttp.Answer busy = http.send("POST", "/api/runs", "{}", null, null);
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.body()).contains(id);

    assertThat(http.send("POST", "/api/runs/" + id + "/cancel", null, null, null).status())
        .isEqualTo(200);
    assertThat(store.runs().find(id).orElseThrow().status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(http.send("POST", "/api/runs/" + id + "/cancel", null, null, null).status())
        .isEqualTo(409);
    assertThat(http.get("/readyz", null).status()).isEqualTo(200);
  }
}
