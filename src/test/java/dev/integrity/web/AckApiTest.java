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

/** {@code /api/acks} over a real SQLite store: made, listed with what they cover, revoked. */
class AckApiTest {
  private static final String BASE = "appACKAPI00000001";
  private final ObjectMapper json = new ObjectMapper();
  private final Clock clock = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private StoreWeb web;
  private Store store;
  private TestHttp http;

  @BeforeEach
  void start() {
    web = new StoreWeb(dir.resolve("acks.db"), BASE, clock);
    store = web.store;
    http = web.http;
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private String checkedRun() {
    RunRecord run = store.runs().create(BASE, Trigger.MANUAL, null, List.of("classes"));
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "classes", "Classes")));
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (String record : List.of("rec1", "rec2", "rec3")) {
        writer.add(
            new IssueRow(
                run.id(),
                "classes",
                record,
                "required-name",
                "Name",
                "fail",
                "Name is empty",
                "https://airtable.com/a/b/" + record,
                null));
      }
    }
    store
        .issues()
        .computeStates(
            run.id(), BASE, List.of(EntityCoverage.complete("classes", List.of("required-name"))));
    store
        .runs()
        .updateEntity(
            new EntityProgress(
                    run.id(), "classes", "Classes", EntityStatus.FETCHED, 250, 3, 900L, null)
                .checkedWith(3));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  private TestHttp.Answer post(String body) {
    return http.send("POST", "/api/acks", body, null, null);
  }

  @Test
  void an_acknowledgement_is_made_listed_with_its_issues_and_revoked() throws Exception {
    String run = checkedRun();

    TestHttp.Answer made =
        post(
            """
            {"entity": "classes", "check": "required-name", "recordId": "rec2",
             "reason": "<script>alert(1)</script> on purpose", "by": "ana", "until": "2025-04-01"}
            """);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    JsonNode ack = json.readTree(made.body());
    String id = ack.get("id").asText();
    assertThat(made.headers()).contains("/api/acks/" + id);
    assertThat(ack.get("recordId").asText()).isEqualTo("rec2");
    assertThat(ack.get("until").asText()).isEqualTo("2025-04-02T00:00:00Z");
    assertThat(ack.get("createdAt").asText()).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(ack.get("status").asText()).isEqualTo("active");

    JsonNode issues = json.readTree(http.get("/api/runs/" + run + "/issues?ack=yes", null).body());
    assertThat(issues).hasSize(1);
    assertThat(issues.get(0).get("acknowledged").get("id").asText()).isEqualTo(id);
    assertThat(json.readTree(http.get("/api/runs/" + run + "/issues?ack=no", null).body()))
        .hasSize(2);
    JsonNode counts = json.readTree(http.get("/api/runs/" + run, null).body()).get("issues");
    assertThat(counts.get("total").asLong()).isEqualTo(3);
    assertThat(counts.get("acknowledged").asLong()).isEqualTo(1);

    JsonNode listed = json.readTree(http.get("/api/acks", null).body());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("covers").asLong()).isEqualTo(1);
    assertThat(listed.get(0).get("reason").asText())
        .isEqualTo("<script>alert(1)</script> on purpose");

    assertThat(http.send("DELETE", "/api/acks/" + id, null, null, null).status()).isEqualTo(204);
    assertThat(json.readTree(http.get("/api/acks", null).body())).isEmpty();
    assertThat(
            json.readTree(http.get("/api/acks?status=all", null).body())
                .get(0)
                .get("status")
                .asText())
        .isEqualTo("revoked");
    assertThat(json.readTree(http.get("/api/runs/" + run + "/issues?ack=yes", null).body()))
        .isEmpty();
    TestHttp.Answer missing = http.send("DELETE", "/api/acks/ack_nope", null, null, null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(json.readTree(missing.body()).get("error").get("code").asText()).isNotBlank();
  }

  @Test
  void bad_bodies_answer_400_with_the_error_envelope() throws Exception {
    for (String body :
        List.of(
            "{\"check\": \"required-name\", \"reason\": \"x\"}",
            "{\"entity\": \"classes\", \"check\": \"required-name\"}",
            "{\"entity\": \"classes\", \"check\": \"required-name\", \"reason\": \"x\","
                + " \"until\": \"2020-01-01\"}",
            "{\"entity\": \"classes\", \"check\": \"required-name\", \"reason\": \"x\","
                + " \"until\": \"next week\"}",
            "{\"entity\": \"classes\", \"check\": \"required-name\", \"reason\": \"x\","
                + " \"color\": \"red\"}",
            "[1, 2]")) {
      TestHttp.Answer answer = post(body);
      assertThat(answer.status()).as(body).isEqualTo(400);
      assertThat(json.readTree(answer.body()).get("error").get("message").asText())
          .as(body)
          .isNotBlank();
    }
    assertThat(http.get("/api/acks?status=maybe", null).status()).isEqualTo(400);
    assertThat(http.get("/api/runs/x/issues?ack=maybe", null).status()).isIn(400, 404);
  }
}
