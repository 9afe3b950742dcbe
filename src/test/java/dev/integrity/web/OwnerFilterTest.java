package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.AckRepository;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code owner} filter of the API, the run page and its CSV over HTTP against a real SQLite
 * store: the issues of the entities whose {@code owner.name} it is in the config served for the
 * run's base (here: teachers and classes are the Staff office's, students the Registrar's, rooms
 * nobody's).
 */
class OwnerFilterTest {
  private static final String BASE = "appOWNERFILTER001";
  private static final String STAFF = "Staff office";
  private static final List<String> ENTITIES = List.of("teachers", "classes", "students", "rooms");
  private static final Map<String, String> OWNERS =
      Map.of("teachers", STAFF, "classes", STAFF, "students", "Registrar");
  private final ObjectMapper json = new ObjectMapper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));

  @TempDir Path dir;
  private Store store;
  private WebServer server;
  private TestHttp http;

  @BeforeEach
  void start() {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("owners.db")), clock);
  }

  private void serve(Map<String, String> owners) {
    server =
        new WebServer(
                new StoreBackend(store, BASE, owners), WebSettings.defaults(clock).withPort(0))
            .start();
    http = new TestHttp(server.url());
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    if (server != null) {
      server.close();
    }
    store.close();
  }

  private static IssueRow issue(String entity, String record, String severity) {
    return new IssueRow(
        null, entity, record, "required-name", "Name", severity, "bad " + record, null, null);
  }

  /** One run of every entity, each with its issues, all checks run whole. */
  private String run(IssueRow... issues) {
    clock.advance(Duration.ofDays(1));
    RunRecord run = store.runs().create(BASE, Trigger.MANUAL, null, ENTITIES);
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(
            run.id(), ENTITIES.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    try (IssueWriter writer = store.issues().writer(run.id())) {
      List.of(issues).forEach(writer::add);
    }
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            ENTITIES.stream()
                .map(e -> EntityCoverage.complete(e, List.of("required-name")))
                .toList());
    ENTITIES.forEach(
        e -> store.runs().updateEntity(EntityProgress.pending(run.id(), e, e).checkedWith(0)));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  private String fourEntities() {
    return run(
        issue("teachers", "t1", "fail"),
        issue("classes", "c1", "fail"),
        issue("classes", "c2", "warn"),
        issue("students", "s1", "fail"),
        issue("rooms", "r1", "fail"));
  }

  private List<String> records(String path) throws Exception {
    TestHttp.Answer answer = http.get(path, null);
    assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
    List<String> out = new ArrayList<>();
    json.readTree(answer.body()).forEach(n -> out.add(n.get("recordId").asText()));
    return out;
  }

  @Test
  void theApiFilterKeepsTheIssuesOfTheOwnersEntitiesOnlyAndCombinesWithTheOtherFilters()
      throws Exception {
    serve(OWNERS);
    String id = fourEntities();
    String issues = "/api/runs/" + id + "/issues";

    assertThat(records(issues + "?owner=Staff%20office")).containsExactly("t1", "c1", "c2");
    assertThat(records(issues + "?owner=Registrar")).containsExactly("s1");
    assertThat(records(issues + "?owner=Staff%20office&severity=fail")).containsExactly("t1", "c1");
    assertThat(records(issues + "?owner=Staff%20office&entity=classes"))
        .containsExactly("c1", "c2");
    assertThat(records(issues + "?owner=Registrar&entity=classes")).isEmpty();
    assertThat(records(issues + "?owner=Staff%20office&limit=1&offset=1")).containsExactly("c1");
    // Acknowledged ones leave the ack=no slice.
    store
        .acks()
        .create(
            new AckRepository.NewAck(
                BASE, "classes", "required-name", "c1", null, "known", null, null));
    assertThat(records(issues + "?owner=Staff%20office&ack=no")).containsExactly("t1", "c2");
  }

  @Test
  void anOwnerTheConfigDoesNotNameIsA400NamingTheOwnersItDoes() throws Exception {
    serve(OWNERS);
    String id = fourEntities();

    TestHttp.Answer unknown = http.get("/api/runs/" + id + "/issues?owner=Nobody", null);

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(json.readTree(unknown.body()).get("error").get("message").asText())
        .isEqualTo("owner: 'Nobody' is not one of Registrar, Staff office");
  }

  @Test
  void withoutOwnersInTheServedConfigTheFilterIsA400SayingSo() throws Exception {
    serve(Map.of());
    String id = fourEntities();

    TestHttp.Answer answer = http.get("/api/runs/" + id + "/issues?owner=Registrar", null);

    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = json.readTree(answer.body()).get("error");
    assertThat(error.get("message").asText())
        .isEqualTo("owner: 'Registrar': the config served for this run's base names no owner");
    assertThat(http.get("/runs/" + id, null).body())
        .as("no Owner select on the run page")
        .doesNotContain("name=\"owner\"");
  }

  @Test
  void theRunPageFiltersByOwnerAndItsLinksFormAndCsvKeepTheOwner() {
    serve(OWNERS);
    String id = fourEntities();

    String page = http.get("/runs/" + id + "?owner=Staff%20office&ack=no", null).body();

    assertThat(page.split("<tr class=\"issue\"", -1)).hasSize(4);
    assertThat(page).contains("bad t1").contains("bad c1").contains("bad c2");
    assertThat(page).doesNotContain("bad s1").doesNotContain("bad r1");
    // The pager counts the owner's slice from the per-check counts, and pages within it.
    assertThat(page).contains("<span class=\"range\">1–3 of 3</span>");
    String second = http.get("/runs/" + id + "?owner=Staff%20office&limit=2", null).body();
    assertThat(second)
        .contains("<span class=\"range\">1–2 of 3</span>")
        .contains("href=\"/runs/" + id + "?owner=Staff%20office&amp;offset=2&amp;limit=2\"");
    assertThat(page).contains("<option value=\"Staff office\" selected>Staff office</option>");
    assertThat(page).contains("/runs/" + id + "/issues.csv?owner=Staff%20office&amp;ack=no");
    // "Acknowledge all" counts and describes the owner's slice.
    assertThat(page)
        .contains("Acknowledge all <span class=\"ack-count\">3</span> in this view")
        .contains("owner Staff office, every check, state open, not acknowledged");
    // The link an owner's digest sends.
    String digest =
        http.get("/runs/" + id + "?owner=Staff%20office&severity=fail&state=new&ack=no", null)
            .body();
    assertThat(digest.split("<tr class=\"issue\"", -1)).hasSize(3);
    assertThat(digest).contains("bad t1").contains("bad c1").doesNotContain("bad c2");
    String csv = http.get("/runs/" + id + "/issues.csv?owner=Staff%20office", null).body();
    assertThat(csv.split("\r\n")).hasSize(4);
  }

  @Test
  void acknowledgingAllOfAnOwnersViewTakesOnlyItsEntities() {
    serve(OWNERS);
    String id = fourEntities();

    TestHttp.Answer posted =
        http.postForm(
            "/runs/" + id + "/acks?owner=Registrar",
            Map.of("scope", "slice", "expected", "1", "reason", "known"),
            Map.of("HX-Request", "true"));

    assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    assertThat(posted.body()).contains("Acknowledged 1 issue in this view (owner Registrar");
    assertThat(store.acks().list(false))
        .singleElement()
        .satisfies(a -> assertThat(a.recordId()).isEqualTo("s1"));
  }
}
