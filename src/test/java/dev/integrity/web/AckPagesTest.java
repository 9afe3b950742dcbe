package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.model.Ack;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.AckFilter;
import dev.integrity.store.AckRepository;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledging from the dashboard over real HTTP and a real SQLite store, without a browser: the
 * forms' posts, what the pages then show (escaped), the confirmed count of "acknowledge all", and
 * the token the posts need. The browser side is {@link AckBrowserTest}.
 */
class AckPagesTest {
  private static final String BASE = "appACKPAGES000001";
  private static final String TOKEN = "ack-pages-token-0123456789";
  private static final Map<String, String> HTMX = Map.of("HX-Request", "true");
  private static final Map<String, String> BROWSER = Map.of("Accept", "text/html");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
  @TempDir Path dir;
  private Store store;
  private WebServer server;
  private TestHttp http;
  private String run;

  @BeforeEach
  void start() {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("acks.db")), clock);
    run =
        run(
            issue("rec1", "required:Name", "fail"),
            issue("rec2", "required:Name", "fail"),
            issue("rec3", "required:Name", "fail"),
            issue("rec1", "format:Email", "warn"),
            issue("rec2", "format:Email", "warn"));
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

  private void serve(Secret token) {
    WebSettings settings = WebSettings.defaults(clock).withPort(0);
    server =
        new WebServer(
                new StoreBackend(store, BASE),
                token == null ? settings : settings.withApiToken(token))
            .start();
    http = new TestHttp(server.url());
  }

  private static IssueRow issue(String record, String check, String severity) {
    return new IssueRow(
        null,
        "students",
        record,
        check,
        check.startsWith("format") ? "Email" : "Name",
        severity,
        "bad " + record,
        null,
        null);
  }

  private String run(IssueRow... issues) {
    clock.advance(Duration.ofHours(1));
    RunRecord r = store.runs().create(BASE, Trigger.MANUAL, null, List.of("students"));
    store.runs().claim(r.id(), "test-owner");
    store
        .runs()
        .saveEntities(r.id(), List.of(EntityProgress.pending(r.id(), "students", "Students")));
    try (IssueWriter writer = store.issues().writer(r.id())) {
      for (IssueRow issue : issues) {
        writer.add(issue);
      }
    }
    store
        .issues()
        .computeStates(
            r.id(),
            BASE,
            List.of(EntityCoverage.complete("students", List.of("required:Name", "format:Email"))));
    store
        .runs()
        .updateEntity(
            EntityProgress.pending(r.id(), "students", "Students").checkedWith(issues.length));
    store.runs().finish(r.id(), RunStatus.SUCCEEDED, null);
    return r.id();
  }

  private static Map<String, String> fields(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }

  private List<IssueRow> acknowledged() {
    return store.issues().list(run, IssueQuery.of(IssueFilter.OPEN).withAck(AckFilter.YES), 100, 0);
  }

  @Test
  void a_reason_with_markup_is_escaped_on_the_run_page_and_the_acknowledged_page() {
    serve(null);
    TestHttp.Answer posted =
        http.postForm(
            "/runs/" + run + "/acks?entity=students",
            fields(
                "scope", "issue",
                "entity", "students",
                "check", "required:Name",
                "record", "rec1",
                "field", "Name",
                "reason", "<script>alert(1)</script> known",
                "by", "<b>Ann</b>",
                "until", "2026-12-31"),
            HTMX);

    assertThat(posted.status()).isEqualTo(200);
    assertThat(posted.body())
        .contains("Acknowledged 1 issue: students / required:Name, record rec1, field Name")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; known")
        .contains("&lt;b&gt;Ann&lt;/b&gt;")
        .doesNotContain("<script>alert(1)")
        .doesNotContain("<b>Ann");
    assertThat(acknowledged())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.recordId()).isEqualTo("rec1");
              assertThat(i.ack().until()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
            });
    String acks = http.get("/acks", null).body();
    assertThat(acks)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt; known")
        .doesNotContain("<script>alert(1)")
        .contains("<td class=\"num covers\">1</td>");
  }

  @Test
  void acknowledging_from_an_older_run_page_says_it_applies_from_the_latest_run_and_links_it() {
    String older = run;
    String latest =
        run(issue("rec1", "required:Name", "fail"), issue("rec2", "required:Name", "fail"));
    serve(null);

    TestHttp.Answer posted =
        http.postForm(
            "/runs/" + older + "/acks?entity=students",
            fields(
                "scope", "issue",
                "entity", "students",
                "check", "required:Name",
                "record", "rec1",
                "field", "Name",
                "reason", "known"),
            HTMX);

    assertThat(posted.status()).isEqualTo(200);
    assertThat(posted.body())
        .contains("Acknowledged 1 issue: students / required:Name, record rec1, field Name")
        .contains(
            "It applies from the latest run that checked the entity, <a"
                + " href=\"/runs/"
                + latest
                + "?entity=students#issues\">"
                + latest
                + "</a>, and shows there; this page keeps what was true when this run ran.");
    // Where it says: the latest run has the acknowledgement, the older one keeps its open issue.
    assertThat(
            store
                .issues()
                .list(latest, IssueQuery.of(IssueFilter.OPEN).withAck(AckFilter.YES), 9, 0))
        .singleElement()
        .satisfies(i -> assertThat(i.recordId()).isEqualTo("rec1"));
    assertThat(acknowledged()).isEmpty();

    // Without htmx the post redirects back to the older page, which says the same.
    TestHttp.Answer redirected =
        http.postForm(
            "/runs/" + older + "/acks?entity=students",
            fields(
                "scope", "check",
                "entity", "students",
                "check", "format:Email",
                "reason", "known"),
            BROWSER);
    assertThat(redirected.status()).isEqualTo(303);
    String location =
        redirected
            .headers()
            .lines()
            .filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("location:"))
            .map(l -> l.substring("location:".length()).strip())
            .findFirst()
            .orElseThrow();
    assertThat(location).startsWith("/runs/" + older + "?");
    assertThat(http.get(location, null).body())
        .contains("<h1>Run <code>" + older + "</code></h1>")
        .contains(
            "It applies from the latest run that checked the entity, <a href=\"/runs/" + latest);
  }

  @Test
  void acknowledging_from_the_latest_run_page_names_no_other_run() {
    serve(null);

    TestHttp.Answer posted =
        http.postForm(
            "/runs/" + run + "/acks",
            fields(
                "scope", "check",
                "entity", "students",
                "check", "format:Email",
                "reason", "known"),
            HTMX);

    assertThat(posted.status()).isEqualTo(200);
    assertThat(posted.body())
        .contains("Acknowledged every issue of")
        .doesNotContain("It applies from the latest run");
    assertThat(http.get("/runs/" + run + "?appliedIn=" + run, null).body())
        .as("a link naming this run itself says nothing")
        .doesNotContain("It applies from the latest run");
    String elsewhere =
        store.runs().create("appOTHERBASE00001", Trigger.MANUAL, null, List.of("students")).id();
    assertThat(http.get("/runs/" + run + "?appliedIn=" + elsewhere, null).body())
        .as("nor one naming a run of another base")
        .doesNotContain("It applies from the latest run");
  }

  @Test
  void the_summary_and_the_run_counts_show_the_acknowledged_apart() {
    serve(null);
    store
        .acks()
        .create(
            new AckRepository.NewAck(
                BASE, "students", "format:Email", null, null, "known", null, null));

    String page = http.get("/runs/" + run, null).body();

    assertThat(page)
        .contains("<span class=\"acknowledged\">2 acknowledged</span>")
        .containsPattern("data-check=\"format:Email\"[^\\n]*<td class=\"num acknowledged\">2</td>")
        .containsPattern(
            "data-check=\"required:Name\"[^\\n]*<td class=\"num acknowledged\">0</td>");
    // The ack filter lists exactly the acknowledged ones, each with its badge.
    String only = http.get("/runs/" + run + "?ack=yes", null).body();
    assertThat(only.split("<tr class=\"issue\"", -1)).hasSize(3);
    assertThat(only.split("badge-acknowledged", -1)).hasSize(3);
    assertThat(only).contains("<option value=\"yes\" selected>acknowledged</option>");
    // The runs chart stacks the acknowledged apart from the open fail and warn issues.
    assertThat(http.get("/fragments/runs", null).body())
        .contains("&#34;fail&#34;:[3]")
        .contains("&#34;warn&#34;:[0]")
        .contains("&#34;acknowledged&#34;:[2]");
  }

  @Test
  void acknowledge_all_names_the_count_and_filters_and_takes_exactly_the_confirmed_issues() {
    serve(null);
    store
        .acks()
        .create(
            new AckRepository.NewAck(
                BASE, "students", "required:Name", "rec3", "Name", "known", null, null));
    String view = "/runs/" + run + "?entity=students&check=required:Name";

    String page = http.get(view, null).body();
    // Three open issues in the view, one already acknowledged: two to acknowledge.
    assertThat(page)
        .contains("Acknowledge all <span class=\"ack-count\">2</span> in this view")
        .contains(
            "hx-confirm=\"Acknowledge all 2 open, unacknowledged issues in this view (entity"
                + " students, check required:Name, state open), one acknowledgement per issue?\"")
        .contains("<input type=\"hidden\" name=\"expected\" value=\"2\">")
        .contains("Acknowledge every issue of required:Name on students");

    // A count that is no longer the view's is refused, and nothing is stored.
    TestHttp.Answer stale =
        http.postForm(
            "/runs/" + run + "/acks?entity=students&check=required:Name",
            fields("scope", "slice", "expected", "3", "reason", "bulk"),
            HTMX);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.body()).contains("now holds 2 issues to acknowledge, not the 3 you confirmed");
    assertThat(acknowledged()).hasSize(1);

    TestHttp.Answer done =
        http.postForm(
            "/runs/" + run + "/acks?entity=students&check=required:Name",
            fields("scope", "slice", "expected", "2", "reason", "bulk", "by", "ops"),
            Map.of());
    assertThat(done.status()).isEqualTo(303);
    assertThat(done.headers())
        .contains("Location: /runs/" + run + "?entity=students&check=required:Name");
    assertThat(acknowledged())
        .extracting(IssueRow::recordId)
        .containsExactlyInAnyOrder("rec1", "rec2", "rec3");
    // One acknowledgement per issue, each naming its record; the warn issues are untouched.
    assertThat(store.acks().list(false))
        .filteredOn(a -> a.reason().equals("bulk"))
        .extracting(Ack::recordId)
        .containsExactlyInAnyOrder("rec1", "rec2");
    assertThat(http.get(view, null).body()).doesNotContain("Acknowledge all");
  }

  @Test
  void more_than_the_cap_in_a_view_is_refused_with_a_message_saying_how_to_narrow_it() {
    IssueRow[] many = new IssueRow[AckViews.SLICE_CAP + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = issue("rec" + i, "required:Name", "fail");
    }
    String big = run(many);
    serve(null);

    String page = http.get("/runs/" + big + "?entity=students&check=required:Name", null).body();
    assertThat(page)
        .contains("Acknowledge all <span class=\"ack-count\">10,001</span> in this view")
        .contains("more than 10,000 at once: narrow it with the filters, or acknowledge the whole")
        .doesNotContain("name=\"expected\"");
    TestHttp.Answer refused =
        http.postForm(
            "/runs/" + big + "/acks?entity=students&check=required:Name",
            fields("scope", "slice", "expected", "10001", "reason", "bulk"),
            HTMX);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("more than 10,000 issues to acknowledge");
    assertThat(store.acks().list(true)).isEmpty();
  }

  @Test
  void bad_input_shows_its_message_without_a_stack_trace() {
    serve(null);
    TestHttp.Answer noReason =
        http.postForm(
            "/runs/" + run + "/acks",
            fields("scope", "issue", "entity", "students", "check", "required:Name"),
            BROWSER);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.contentType()).startsWith("text/html");
    assertThat(noReason.body()).contains("reason: say why").doesNotContain("Exception");

    TestHttp.Answer badUntil =
        http.postForm(
            "/runs/" + run + "/acks",
            fields(
                "scope",
                "issue",
                "entity",
                "students",
                "check",
                "required:Name",
                "reason",
                "x",
                "until",
                "next week"),
            HTMX);
    assertThat(badUntil.status()).isEqualTo(400);
    assertThat(badUntil.body()).contains("until: 'next week' is not a date");

    TestHttp.Answer past =
        http.postForm(
            "/runs/" + run + "/acks",
            fields(
                "scope",
                "issue",
                "entity",
                "students",
                "check",
                "required:Name",
                "reason",
                "x",
                "until",
                "2026-01-01"),
            HTMX);
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.body()).contains("not in the future");
    assertThat(store.acks().list(true)).isEmpty();
  }

  @Test
  void with_a_token_the_posts_need_it_even_on_loopback_and_another_origin_is_refused() {
    serve(new Secret(TOKEN));
    Map<String, String> ack =
        fields("scope", "check", "entity", "students", "check", "format:Email", "reason", "known");

    assertThat(http.get("/runs/" + run, null).status()).isEqualTo(200);
    TestHttp.Answer anonymous = http.postForm("/runs/" + run + "/acks", ack, HTMX);
    assertThat(anonymous.status()).isEqualTo(401);
    // The page asked for no login, so no Basic challenge that would pop one up.
    assertThat(anonymous.headers()).doesNotContain("Basic");
    assertThat(anonymous.body()).contains("type INTEGRITY_API_TOKEN into the page");
    assertThat(
            http.postForm(
                    "/runs/" + run + "/acks",
                    ack,
                    Map.of("Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example"))
                .status())
        .isEqualTo(403);
    assertThat(store.acks().list(true)).isEmpty();

    TestHttp.Answer ok =
        http.postForm("/runs/" + run + "/acks", ack, Map.of("Authorization", "Bearer " + TOKEN));
    assertThat(ok.status()).isEqualTo(303);
    Ack made = store.acks().list(false).get(0);
    assertThat(made.recordId()).isNull();

    assertThat(http.postForm("/acks/" + made.id() + "/revoke", Map.of(), HTMX).status())
        .isEqualTo(401);
    TestHttp.Answer revoked =
        http.postForm(
            "/acks/" + made.id() + "/revoke",
            Map.of(),
            Map.of("Authorization", "Bearer " + TOKEN, "HX-Request", "true"));
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body()).contains("Revoked the acknowledgement of students / format:Email");
    assertThat(store.acks().find(made.id()).orElseThrow().status(clock.instant()))
        .isEqualTo(Ack.Status.REVOKED);
    for (TestHttp.Answer answer : http.answers()) {
      assertThat(answer.body()).doesNotContain(TOKEN);
    }
  }
}
