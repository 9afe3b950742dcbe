package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 on the run page: the issues of whole tables (volume, freshness) above the record issues,
 * and each table's record count over its last runs, drawn on the server, from a real SQLite store.
 */
class TablesOnRunPageTest {
  private static final String BASE = "appTABLESPAGE0001";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));

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

  /** A finished run that checked students ({@code records} of them) and found these issues. */
  private String run(long records, IssueRow... issues) {
    clock.advance(Duration.ofDays(1));
    RunRecord run = store.runs().create(BASE, Trigger.SCHEDULE, null, List.of("students"));
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "students", "Students")));
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (IssueRow issue : issues) {
        writer.add(issue);
      }
    }
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            List.of(EntityCoverage.complete("students", List.of("volume", "required:Name"))));
    store
        .runs()
        .updateEntity(
            new EntityProgress(
                    run.id(), "students", "Students", EntityStatus.FETCHED, records, 3, 900L, null)
                .checkedWith(issues.length));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  private static IssueRow recordIssue(String recordId) {
    return new IssueRow(
        null,
        "students",
        recordId,
        "required:Name",
        "Name",
        "fail",
        "Name is missing",
        "https://airtable.com/" + BASE + "/tblStudents/" + recordId,
        null);
  }

  private static IssueRow volumeIssue(String message) {
    return new IssueRow(
        null,
        "students",
        "",
        "volume",
        "",
        "fail",
        message,
        "https://airtable.com/" + BASE + "/tblStudents",
        null);
  }

  @Test
  void table_issues_come_above_the_record_issues_with_the_record_count_of_the_last_runs() {
    run(10_000);
    run(9_990, recordIssue("rec1"));
    String id =
        run(
            2_013,
            recordIssue("rec1"),
            recordIssue("rec2"),
            volumeIssue(
                "2,013 records, 80% fewer than the 9,990 of the last run (maxDrop 20%)"
                    + " <script>alert(1)</script>"));

    String page = http.get("/runs/" + id, null).body();

    int tables = page.indexOf("<h2 id=\"tables\">");
    int tableIssue = page.indexOf("80% fewer than the 9,990");
    int recordIssues = page.indexOf("<h2 id=\"issues\">");
    assertThat(tables).isPositive();
    assertThat(tableIssue).isGreaterThan(tables).isLessThan(recordIssues);
    assertThat(page.substring(tables, recordIssues))
        .contains("<td class=\"num\">2,013</td>")
        .contains("data-check=\"volume\" data-state=\"new\"")
        .contains("href=\"https://airtable.com/" + BASE + "/tblStudents\"")
        // The records of the 3 runs that checked the table, oldest first, drawn on the server.
        .contains("aria-label=\"records of the last 3 runs: 10000, 9990, 2013\"")
        .doesNotContain("Name is missing");
    // Text from Airtable is escaped wherever it is shown.
    assertThat(page).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;");
  }

  @Test
  void a_resolved_table_issue_is_shown_as_resolved_and_a_table_without_issues_says_none() {
    run(100, volumeIssue("50 records, below min 80"));
    String resolved = run(100);
    String quiet = run(100);

    String page = http.get("/runs/" + resolved, null).body();
    assertThat(page).contains("data-check=\"volume\" data-state=\"resolved\"");
    String next = http.get("/runs/" + quiet, null).body();
    int tables = next.indexOf("<h2 id=\"tables\">");
    assertThat(next.substring(tables, next.indexOf("<h2 id=\"issues\">")))
        .contains("<span class=\"empty\">none</span>")
        .doesNotContain("below min 80");
  }
}
