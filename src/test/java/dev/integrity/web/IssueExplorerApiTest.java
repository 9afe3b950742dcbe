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
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The issue explorer's API, run page and CSV over HTTP against a real SQLite store. */
class IssueExplorerApiTest {
  private static final String BASE = "appEXPLORER000001";
  private static final List<String> ENTITIES = List.of("teachers", "classes");
  private final ObjectMapper json = new ObjectMapper();
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));

  @TempDir Path dir;
  private Store store;
  private WebServer server;
  private TestHttp http;

  @BeforeEach
  void start() {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("explorer.db")), clock);
    server =
        new WebServer(new StoreBackend(store, BASE), WebSettings.defaults(clock).withPort(0))
            .start();
    http = new TestHttp(server.url());
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
    store.close();
  }

  private static IssueRow issue(String entity, String record, String check, String severity) {
    return new IssueRow(
        null,
        entity,
        record,
        check,
        check.startsWith("rule") ? null : "Name",
        severity,
        "=HYPERLINK(\"x\") \"quoted\", with comma <b>" + record,
        "https://airtable.com/" + BASE + "/tbl/" + record,
        null);
  }

  private RunRecord run(List<IssueRow> issues) {
    return run(issues, List.of("required-name", "rule-dates"));
  }

  /** A run of both entities, each configured with {@code checks}, all run whole. */
  private RunRecord run(List<IssueRow> issues, List<String> checks) {
    clock.advance(Duration.ofDays(4));
    RunRecord run = store.runs().create(BASE, Trigger.MANUAL, null, ENTITIES);
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(
            run.id(), ENTITIES.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    try (IssueWriter writer = store.issues().writer(run.id())) {
      issues.forEach(writer::add);
    }
    // Every entity is configured with both checks, and both ran whole.
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            ENTITIES.stream().map(e -> EntityCoverage.complete(e, checks)).toList());
    // A run marks each entity checked once its issues are stored; new/resolved compare with that.
    ENTITIES.forEach(
        e -> store.runs().updateEntity(EntityProgress.pending(run.id(), e, e).checkedWith(0)));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run;
  }

  /** Run 1 finds t1, t2 (fail), c1 (warn); run 2 keeps t2 and c1, drops t1, adds t3 and c2. */
  private List<RunRecord> twoRuns() {
    RunRecord first =
        run(
            List.of(
                issue("teachers", "t1", "required-name", "fail"),
                issue("teachers", "t2", "required-name", "fail"),
                issue("classes", "c1", "rule-dates", "warn")));
    RunRecord second =
        run(
            List.of(
                issue("teachers", "t2", "required-name", "fail"),
                issue("teachers", "t3", "required-name", "fail"),
                issue("classes", "c1", "rule-dates", "warn"),
                issue("classes", "c2", "required-name", "fail")));
    return List.of(first, second);
  }

  private JsonNode get(String path) throws Exception {
    TestHttp.Answer answer = http.get(path, null);
    assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
    return json.readTree(answer.body());
  }

  private List<String> records(String path) throws Exception {
    List<String> out = new ArrayList<>();
    get(path).forEach(n -> out.add(n.get("recordId").asText() + ":" + n.get("state").asText()));
    return out;
  }

  @Test
  void summary_has_one_row_per_entity_check_and_severity_with_new_persisting_and_resolved()
      throws Exception {
    String id = twoRuns().get(1).id();
    JsonNode summary = get("/api/runs/" + id + "/summary");
    assertThat(summary.toString())
        .isEqualTo(
            "[{\"entity\":\"classes\",\"check\":\"required-name\",\"severity\":\"fail\","
                + "\"count\":1,\"new\":1,\"persisting\":0,\"resolved\":0,\"retired\":0,\"acknowledged\":0},"
                + "{\"entity\":\"classes\",\"check\":\"rule-dates\",\"severity\":\"warn\","
                + "\"count\":1,\"new\":0,\"persisting\":1,\"resolved\":0,\"retired\":0,\"acknowledged\":0},"
                + "{\"entity\":\"teachers\",\"check\":\"required-name\",\"severity\":\"fail\","
                + "\"count\":2,\"new\":1,\"persisting\":1,\"resolved\":1,\"retired\":0,\"acknowledged\":0}]");
  }

  @Test
  void each_filter_slices_the_issues_and_paging_keeps_the_slice() throws Exception {
    String id = twoRuns().get(1).id();
    String base = "/api/runs/" + id + "/issues";
    assertThat(records(base)).containsExactly("t2:persisting", "t3:new", "c1:persisting", "c2:new");
    assertThat(records(base + "?entity=teachers")).containsExactly("t2:persisting", "t3:new");
    assertThat(records(base + "?check=required-name"))
        .containsExactly("t2:persisting", "t3:new", "c2:new");
    assertThat(records(base + "?severity=warn")).containsExactly("c1:persisting");
    assertThat(records(base + "?state=new")).containsExactly("t3:new", "c2:new");
    assertThat(records(base + "?state=persisting"))
        .containsExactly("t2:persisting", "c1:persisting");
    assertThat(records(base + "?state=resolved")).containsExactly("t1:resolved");
    assertThat(records(base + "?only=resolved")).containsExactly("t1:resolved");
    assertThat(records(base + "?state=all&entity=teachers"))
        .containsExactly("t2:persisting", "t3:new", "t1:resolved");
    assertThat(records(base + "?check=required-name&severity=fail&limit=1&offset=1"))
        .containsExactly("t3:new");
    assertThat(records(base + "?check=required-name&severity=fail&limit=2&offset=2"))
        .containsExactly("c2:new");
    TestHttp.Answer unknown = http.get(base + "?entity=students", null);
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(json.readTree(unknown.body()).get("error").get("message").asText())
        .isEqualTo("entity: 'students' is not one of teachers, classes");
  }

  @Test
  void first_seen_at_is_the_start_of_the_unbroken_series() throws Exception {
    List<RunRecord> runs = twoRuns();
    Instant start1 = store.runs().find(runs.get(0).id()).orElseThrow().startedAt();
    Instant start2 = store.runs().find(runs.get(1).id()).orElseThrow().startedAt();
    JsonNode issues = get("/api/runs/" + runs.get(1).id() + "/issues?state=all");
    List<String> seen = new ArrayList<>();
    issues.forEach(n -> seen.add(n.get("recordId").asText() + "@" + n.get("firstSeenAt").asText()));
    assertThat(seen)
        .containsExactly(
            "t2@" + start1, "t3@" + start2, "c1@" + start1, "c2@" + start2, "t1@" + start1);
  }

  @Test
  void the_csv_of_a_slice_has_a_header_and_the_same_rows_as_the_api() throws Exception {
    String id = twoRuns().get(1).id();
    for (String filter :
        List.of(
            "", "?state=all", "?entity=teachers&state=all", "?check=required-name&severity=fail")) {
      TestHttp.Answer csv = http.get("/runs/" + id + "/issues.csv" + filter, null);
      assertThat(csv.status()).isEqualTo(200);
      assertThat(csv.contentType()).startsWith("text/csv");
      List<String> lines = List.of(csv.body().split("\r\n"));
      assertThat(lines.getFirst())
          .isEqualTo(
              "entity,recordId,check,field,severity,message,value,url,state,firstSeenAt,acknowledged");
      JsonNode api =
          get(
              "/api/runs/"
                  + id
                  + "/issues"
                  + filter
                  + (filter.isEmpty() ? "?" : "&")
                  + "limit=1000");
      List<String> expected = new ArrayList<>();
      api.forEach(
          n ->
              expected.add(
                  String.join(
                      ",",
                      Csv.cell(n.get("entity").asText()),
                      Csv.cell(n.get("recordId").asText()),
                      Csv.cell(n.get("check").asText()),
                      n.get("field").isNull() ? "" : Csv.cell(n.get("field").asText()),
                      Csv.cell(n.get("severity").asText()),
                      Csv.cell(n.get("message").asText()),
                      n.get("value").isNull() ? "" : Csv.cell(n.get("value").asText()),
                      Csv.cell(n.get("url").asText()),
                      Csv.cell(n.get("state").asText()),
                      Csv.cell(n.get("firstSeenAt").asText()),
                      n.get("acknowledged").isNull()
                          ? ""
                          : Csv.cell(n.get("acknowledged").get("reason").asText()))));
      assertThat(lines.subList(1, lines.size())).as(filter).isEqualTo(expected).isNotEmpty();
    }
    // A cell that would run as a spreadsheet formula is defused and quoted.
    assertThat(http.get("/runs/" + id + "/issues.csv", null).body())
        .contains("\"'=HYPERLINK(\"\"x\"\") \"\"quoted\"\", with comma <b>t2\"");
  }

  @Test
  void the_run_page_shows_the_summary_first_with_links_to_slices_and_escapes_airtable_text()
      throws Exception {
    String id = twoRuns().get(1).id();
    String page = http.get("/runs/" + id + "?entity=teachers&state=all", null).body();
    assertThat(page.indexOf("<table class=\"summary\">"))
        .isPositive()
        .isLessThan(page.indexOf("<table class=\"issues\">"));
    assertThat(page)
        .contains(
            "href=\"/runs/"
                + id
                + "?entity=teachers&amp;check=required-name&amp;severity=fail#issues\"")
        .contains("href=\"/runs/" + id + "/issues.csv?entity=teachers&amp;state=all\"")
        .contains("<svg class=\"spark\"")
        .contains("open for 4 days")
        .contains("&lt;b&gt;t2")
        .doesNotContain("<b>t2");
  }

  @Test
  void issues_of_a_removed_check_are_retired_in_the_api_the_summary_the_csv_and_the_run_page()
      throws Exception {
    twoRuns();
    // rule-dates left the config: c1, open until now, is retired; t2 and c2 are fixed (resolved).
    RunRecord third =
        run(List.of(issue("teachers", "t3", "required-name", "fail")), List.of("required-name"));
    String id = third.id();
    String base = "/api/runs/" + id + "/issues";

    assertThat(records(base + "?state=retired")).containsExactly("c1:retired");
    assertThat(records(base)).containsExactly("t3:persisting");
    assertThat(records(base + "?state=resolved")).containsExactly("t2:resolved", "c2:resolved");
    assertThat(records(base + "?state=open")).containsExactly("t3:persisting");
    assertThat(records(base + "?state=all"))
        .containsExactly("t3:persisting", "t2:resolved", "c1:retired", "c2:resolved");
    assertThat(get("/api/runs/" + id + "/summary").toString())
        .contains(
            "{\"entity\":\"classes\",\"check\":\"rule-dates\",\"severity\":\"warn\","
                + "\"count\":0,\"new\":0,\"persisting\":0,\"resolved\":0,\"retired\":1,\"acknowledged\":0}");
    JsonNode counts = get("/api/runs/" + id).get("issues");
    assertThat(counts.get("total").asLong()).isEqualTo(1);
    assertThat(counts.get("bySeverity").toString()).isEqualTo("{\"fail\":1}");
    assertThat(counts.get("resolved").asLong()).isEqualTo(2);
    assertThat(counts.get("retired").asLong()).isEqualTo(1);
    TestHttp.Answer bad = http.get(base + "?state=gone", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).get("error").get("message").asText())
        .isEqualTo("state: 'gone' is not one of new, persisting, resolved, retired, open, all");

    List<String> csv =
        List.of(http.get("/runs/" + id + "/issues.csv?state=retired", null).body().split("\r\n"));
    assertThat(csv).hasSize(2);
    assertThat(csv.get(1)).startsWith("classes,c1,rule-dates,,warn,").contains(",retired,");

    String page = http.get("/runs/" + id + "?state=retired", null).body();
    assertThat(page)
        .contains("<option value=\"retired\" selected>retired</option>")
        .contains("2 resolved, 1 retired")
        .contains("<th>Retired</th>")
        .contains("<td>retired</td>")
        .contains("had been open");
  }
}
