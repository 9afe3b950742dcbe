package dev.integrity.web;

import static dev.integrity.web.Html.fill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.run.RunReport;
import dev.integrity.store.AlertRow;
import dev.integrity.store.CheckCount;
import dev.integrity.store.CheckHistory;
import dev.integrity.store.IssueRow;
import dev.integrity.store.RunStatus;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The server-rendered dashboard: runs (with a chart and htmx polling), one run with its entities
 * and issues, schedules and alerts. Read-only; the one action, cancel, goes through the API and its
 * auth. Every value passes through {@link Html#fill}, so text from Airtable is always escaped.
 * Thread-safe.
 */
final class Dashboard {
  static final int RUNS_ON_PAGE = 50;
  static final int RUNS_IN_CHART = 30;
  static final int ISSUES_PAGE_SIZE = 50;
  static final int MAX_ISSUES_PAGE_SIZE = 500;
  static final int ALERTS_ON_PAGE = 200;
  static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  static final String CHART_JS = "/webjars/chart.js/4.4.1/dist/chart.umd.js";

  private final WebBackend backend;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Duration refresh;
  private final boolean tokenRequired;

  Dashboard(
      WebBackend backend,
      ObjectMapper mapper,
      Clock clock,
      Duration refresh,
      boolean tokenRequired) {
    this.backend = backend;
    this.mapper = mapper;
    this.clock = clock;
    this.refresh = refresh;
    this.tokenRequired = tokenRequired;
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.html(runsPage(statusParam(ctx)).html()));
    routes.get("/fragments/runs", ctx -> ctx.html(runsSection(statusParam(ctx)).html()));
    routes.get("/runs/{id}", this::runPage);
    routes.get("/runs/{id}/issues.csv", this::issuesCsv);
    routes.get(
        "/fragments/runs/{id}",
        ctx -> ctx.html(runSummary(requireRun(ctx.pathParam("id"))).html()));
    routes.get("/schedules", ctx -> ctx.html(schedulesPage().html()));
    routes.get("/alerts", ctx -> ctx.html(alertsPage().html()));
  }

  private static String statusParam(Context ctx) {
    String status = ctx.queryParam("status");
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return RunStatus.parse(status).wire();
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  // ---- pages ----

  private Html.Raw layout(String title, Html.Raw content, boolean chart) {
    return fill(
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>
        <title>{} · Integrity Runner</title>
        <link rel="icon" href="data:,">
        <link rel="stylesheet" href="/static/dashboard.css">
        <script src="{}"></script>
        {}<script src="/static/dashboard.js" defer></script>
        </head>
        <body>
        <header><nav><strong>Integrity Runner</strong>
        <a href="/">Runs</a> <a href="/schedules">Schedules</a> <a href="/alerts">Alerts</a></nav></header>
        <main>
        {}
        </main>
        </body>
        </html>
        """,
        title,
        HTMX,
        chart ? fill("<script src=\"{}\" defer></script>\n", CHART_JS) : new Html.Raw(""),
        content);
  }

  Html.Raw runsPage(String status) {
    List<Html.Raw> filters = new ArrayList<>();
    filters.add(filterLink("/", "all", status == null));
    for (RunStatus s : RunStatus.values()) {
      filters.add(filterLink("/?status=" + s.wire(), s.wire(), s.wire().equals(status)));
    }
    Html.Raw content =
        fill(
            """
            <h1>Runs</h1>
            <nav class="filters">{}</nav>
            {}
            <figure class="chart"><div class="chart-box"><canvas id="runs-chart"\
             aria-label="Open issues per severity and new issues over recent runs"></canvas></div>
            <figcaption>Open issues per severity and new issues of the last {} runs, oldest first;\
             runs that ended in error or timeout are marked</figcaption>
            </figure>
            {}
            """,
            Html.join(filters),
            runNow(),
            RUNS_IN_CHART,
            runsSection(status));
    return layout("Runs", content, true);
  }

  /** The polled part of the runs page: the table plus the chart's data. */
  Html.Raw runsSection(String status) {
    List<RunReport> runs = backend.runs(status, RUNS_ON_PAGE);
    List<Html.Raw> rows = new ArrayList<>();
    for (RunReport run : runs) {
      rows.add(
          fill(
              """
              <tr data-run-id="{}" class="{}"><td><a href="/runs/{}">{}</a></td><td>{}</td><td>{}</td>\
              <td class="mode" title="{}">{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td>\
              <td class="num">{}</td><td class="error">{}</td></tr>
              """,
              run.id(),
              troubled(run) ? "run-troubled" : "",
              segment(run.id()),
              run.id(),
              badge(run.status()),
              run.schedule() == null ? run.trigger() : run.trigger() + " (" + run.schedule() + ")",
              run.modeReason() == null
                  ? ""
                  : "full scan instead of incremental: " + run.modeReason(),
              run.modeReason() == null ? run.mode() : run.mode() + " *",
              time(run.createdAt()),
              runDuration(run),
              run.issues().total(),
              run.issues().newCount(),
              run.issues().resolvedCount(),
              run.error()));
    }
    String url = "/fragments/runs" + (status == null ? "" : "?status=" + status);
    return fill(
        """
        <section id="runs" hx-get="{}" hx-trigger="every {}, refresh" hx-swap="outerHTML" data-chart="{}">
        <table class="runs">
        <thead><tr><th>Run</th><th>Status</th><th>Trigger</th><th>Mode</th><th>Created</th>\
        <th>Duration</th><th>Issues</th><th>New</th><th>Resolved</th><th>Error</th></tr></thead>
        <tbody>
        {}</tbody>
        </table>
        {}</section>
        """,
        url,
        htmxInterval(refresh),
        chartData(runs),
        Html.join(rows),
        runs.isEmpty() ? new Html.Raw("<p class=\"empty\">No runs yet.</p>\n") : new Html.Raw(""));
  }

  private void runPage(Context ctx) {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run);
    int limit = boundedInt(ctx.queryParam("limit"), ISSUES_PAGE_SIZE, 1, MAX_ISSUES_PAGE_SIZE);
    int offset = boundedInt(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE);
    ctx.html(runPage(run, params, limit, offset).html());
  }

  /** The current slice as CSV: the same rows, in the same order, as the API gives for it. */
  private void issuesCsv(Context ctx) throws java.io.IOException {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run);
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header(
        "Content-Disposition", "attachment; filename=\"" + segment(run.id()) + "-issues.csv\"");
    java.io.Writer out =
        new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8));
    out.write(Csv.HEADER);
    backend.forEachIssue(
        run.id(),
        params.query(),
        issue -> {
          try {
            out.write(Csv.row(issue));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    out.flush();
  }

  Html.Raw runPage(RunReport run, IssueParams params, int limit, int offset) {
    // One row more than shown tells whether there is a next page.
    List<IssueRow> issues = backend.issues(run.id(), params.query(), limit + 1, offset);
    boolean more = issues.size() > limit;
    List<IssueRow> shown = more ? issues.subList(0, limit) : issues;
    String base = "/runs/" + segment(run.id());
    String query = params.queryString();
    List<CheckCount> counts = backend.checkCounts(run.id());

    List<Html.Raw> rows = new ArrayList<>();
    Instant now = clock.instant();
    for (IssueRow issue : shown) {
      String state = issue.state() == null ? IssueRow.NEW : issue.state();
      rows.add(
          fill(
              """
              <tr class="issue"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
              <td>{}</td><td>{}</td><td class="message">{}</td></tr>
              """,
              issue.entity(),
              recordLink(issue),
              issue.checkId(),
              issue.field(),
              badge(issue.severity()),
              state,
              openFor(issue, state, now),
              issue.message()));
    }
    List<Html.Raw> paging = new ArrayList<>();
    String pageBase = base + "?" + (query.isEmpty() ? "" : query + "&");
    if (offset > 0) {
      paging.add(
          fill(
              "<a rel=\"prev\" href=\"{}\">« Previous</a> ",
              pageBase + "offset=" + Math.max(0, offset - limit) + "&limit=" + limit));
    }
    if (!shown.isEmpty()) {
      paging.add(fill("<span class=\"range\">{}–{}</span> ", offset + 1, offset + shown.size()));
    }
    if (more) {
      paging.add(
          fill(
              "<a rel=\"next\" href=\"{}\">Next »</a>",
              pageBase + "offset=" + (offset + limit) + "&limit=" + limit));
    }
    Html.Raw content =
        fill(
            """
            <h1>Run <code>{}</code></h1>
            {}<h2>Summary</h2>
            {}
            {}
            <h2 id="issues">Issues</h2>
            {}
            <p class="download"><a id="csv" href="{}">Download CSV of this view</a></p>
            <table class="issues">
            <thead><tr><th>Entity</th><th>Record</th><th>Check</th><th>Field</th><th>Severity</th>\
            <th>State</th><th>First seen</th><th>Message</th></tr></thead>
            <tbody>
            {}</tbody>
            </table>
            {}<nav class="paging">{}</nav>
            """,
            run.id(),
            cancelControl(run),
            summaryTable(run, counts, base),
            runSummary(run),
            filterForm(run, params, counts, base),
            base + "/issues.csv" + (query.isEmpty() ? "" : "?" + query),
            Html.join(rows),
            shown.isEmpty()
                ? new Html.Raw("<p class=\"empty\">No issues in this view.</p>\n")
                : new Html.Raw(""),
            Html.join(paging));
    return layout("Run " + run.id(), content, false);
  }

  /** One row per (entity, check, severity), each linking to its slice, with a 30-run sparkline. */
  private Html.Raw summaryTable(RunReport run, List<CheckCount> counts, String base) {
    if (counts.isEmpty()) {
      return new Html.Raw("<p class=\"empty\">No issues in this run.</p>\n");
    }
    Map<String, List<Long>> history = new java.util.HashMap<>();
    for (CheckHistory h : backend.history(run.id(), RUNS_IN_CHART)) {
      history.put(h.entity() + "\u0000" + h.check(), h.counts());
    }
    // This run's own point comes from the live counts, so a run still going shows it too.
    Map<String, Long> current = new java.util.HashMap<>();
    for (CheckCount c : counts) {
      current.merge(c.entity() + "\u0000" + c.check(), c.open(), Long::sum);
    }
    List<Html.Raw> rows = new ArrayList<>();
    for (CheckCount c : counts) {
      String key = c.entity() + "\u0000" + c.check();
      List<Long> series = new ArrayList<>(history.getOrDefault(key, List.of()));
      if (series.isEmpty()) {
        series.add(current.get(key));
      } else {
        series.set(series.size() - 1, current.get(key));
      }
      IssueParams slice =
          new IssueParams(
              new dev.integrity.store.IssueQuery(
                  c.entity(), c.check(), c.severity(), dev.integrity.store.IssueFilter.OPEN));
      rows.add(
          fill(
              """
              <tr class="check" data-entity="{}" data-check="{}" data-severity="{}">\
              <td>{}</td><td><a href="{}#issues">{}</a></td><td>{}</td><td class="num">{}</td>\
              <td class="num">{}</td><td class="num">{}</td><td>{}</td></tr>
              """,
              c.entity(),
              c.check(),
              c.severity(),
              c.entity(),
              base + "?" + slice.queryString(),
              c.check(),
              badge(c.severity()),
              c.open(),
              c.newCount(),
              c.resolved(),
              Sparkline.svg(series)));
    }
    return fill(
        """
        <table class="summary">
        <thead><tr><th>Entity</th><th>Check</th><th>Severity</th><th>Count</th><th>New</th>\
        <th>Resolved</th><th>Last {} runs</th></tr></thead>
        <tbody>
        {}</tbody>
        </table>
        """,
        RUNS_IN_CHART,
        Html.join(rows));
  }

  /** A GET form, so the filters live in the URL and survive paging and reload. */
  private static Html.Raw filterForm(
      RunReport run, IssueParams params, List<CheckCount> counts, String base) {
    dev.integrity.store.IssueQuery q = params.query();
    List<String> entities =
        run.entities() == null
            ? List.of()
            : run.entities().stream().map(RunReport.EntityReport::name).toList();
    List<String> checks =
        counts.stream().map(CheckCount::check).distinct().sorted().collect(Collectors.toList());
    if (q.check() != null && !checks.contains(q.check())) {
      checks.add(q.check());
    }
    List<String> states =
        java.util.Arrays.stream(dev.integrity.store.IssueFilter.values())
            .map(dev.integrity.store.IssueFilter::wire)
            .toList();
    return fill(
        """
        <form class="filters" id="filters" method="get" action="{}">
        <label>Entity {}</label>
        <label>Check {}</label>
        <label>Severity {}</label>
        <label>State {}</label>
        <button type="submit">Filter</button> <a href="{}">Clear</a>
        </form>
        """,
        base,
        select("entity", entities, q.entity(), "all"),
        select("check", checks, q.check(), "all"),
        select("severity", IssueParams.SEVERITIES, q.severity(), "all"),
        select("state", states, q.state().wire(), null),
        base);
  }

  private static Html.Raw select(String name, List<String> values, String chosen, String any) {
    List<Html.Raw> options = new ArrayList<>();
    if (any != null) {
      options.add(fill("<option value=\"\">{}</option>", any));
    }
    for (String v : values) {
      options.add(
          v.equals(chosen)
              ? fill("<option value=\"{}\" selected>{}</option>", v, v)
              : fill("<option value=\"{}\">{}</option>", v, v));
    }
    return fill("<select name=\"{}\">{}</select>", name, Html.join(options));
  }

  /** "open for 12 days" (or, resolved, how long it had been open), the exact time as a tooltip. */
  private static Html.Raw openFor(IssueRow issue, String state, Instant now) {
    if (issue.firstSeenAt() == null) {
      return new Html.Raw("");
    }
    String age = age(Duration.between(issue.firstSeenAt(), now));
    return fill(
        "{} <span class=\"age\">({} {})</span>",
        time(issue.firstSeenAt()),
        IssueRow.RESOLVED.equals(state) ? "had been open" : "open for",
        age);
  }

  static String age(Duration d) {
    if (d.isNegative()) {
      d = Duration.ZERO;
    }
    long days = d.toDays();
    if (days >= 1) {
      return days + (days == 1 ? " day" : " days");
    }
    long hours = d.toHours();
    if (hours >= 1) {
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = d.toMinutes();
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }

  /** Status, times, counts and entities; polls itself while the run has not ended. */
  Html.Raw runSummary(RunReport run) {
    boolean live = !terminal(run.status());
    List<Html.Raw> entities = new ArrayList<>();
    for (RunReport.EntityReport e :
        run.entities() == null ? List.<RunReport.EntityReport>of() : run.entities()) {
      entities.add(
          fill(
              """
              <tr><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td>\
              <td>{}</td><td class="checked">{}</td><td class="num">{}</td><td class="error">{}</td></tr>
              """,
              e.name(),
              e.table(),
              badge(e.status()),
              e.records(),
              e.pages(),
              e.durationMs() == null ? "" : formatMillis(e.durationMs()),
              e.checked() ? "yes" : "no",
              e.checked() ? Long.toString(e.issues()) : "–",
              e.error()));
    }
    String severities =
        run.issues().bySeverity().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(s -> s.getKey() + " " + s.getValue())
            .collect(Collectors.joining(", "));
    Html.Raw poll =
        live
            ? fill(
                " hx-get=\"/fragments/runs/{}\" hx-trigger=\"every {}, refresh\""
                    + " hx-swap=\"outerHTML\"",
                segment(run.id()),
                htmxInterval(refresh))
            : new Html.Raw("");
    return fill(
        """
        <section id="run-summary"{}>
        {}<dl class="run">
        <dt>Status</dt><dd>{}</dd>
        <dt>Trigger</dt><dd>{}</dd>
        <dt>Schedule</dt><dd>{}</dd>
        <dt>Mode</dt><dd>{}</dd>
        <dt>Created</dt><dd>{}</dd>
        <dt>Started</dt><dd>{}</dd>
        <dt>Finished</dt><dd>{}</dd>
        <dt>Duration</dt><dd>{}</dd>
        <dt>Issues</dt><dd>{} open{}, {} new, {} resolved</dd>
        <dt>Error</dt><dd class="error">{}</dd>
        </dl>
        <h2>Entities</h2>
        <table class="entities">
        <thead><tr><th>Entity</th><th>Table</th><th>Status</th><th>Records</th><th>Pages</th>\
        <th>Duration</th><th>Checked</th><th>Issues</th><th>Error</th></tr></thead>
        <tbody>
        {}</tbody>
        </table>
        </section>
        """,
        poll,
        partialBanner(run),
        badge(run.status()),
        run.trigger(),
        run.schedule() == null ? "–" : run.schedule(),
        run.modeReason() == null
            ? run.mode()
            : run.mode() + " (asked for incremental: " + run.modeReason() + ")",
        time(run.createdAt()),
        time(run.startedAt()),
        time(run.finishedAt()),
        runDuration(run),
        run.issues().total(),
        severities.isEmpty() ? "" : " (" + severities + ")",
        run.issues().newCount(),
        run.issues().resolvedCount(),
        run.error(),
        Html.join(entities));
  }

  /**
   * A run that checked some but not all of its entities says so first: its counts cover only the
   * entities it checked, and nobody should read them as covering the whole base.
   */
  private static Html.Raw partialBanner(RunReport run) {
    return run.partial()
        .map(p -> fill("<p class=\"partial\" role=\"status\">Partial results: {}</p>\n", p))
        .orElse(new Html.Raw(""));
  }

  /** A run that ended in error or timeout: the runs table and chart make it stand out. */
  static boolean troubled(RunReport run) {
    return "error".equals(run.status()) || "timeout".equals(run.status());
  }

  /** One "Run now" button per base; dashboard.js posts to the API with the token, if one is set. */
  private Html.Raw runNow() {
    List<Html.Raw> buttons = new ArrayList<>();
    for (String base : backend.bases()) {
      buttons.add(
          fill(
              "<button type=\"button\" class=\"run-now\" data-base=\"{}\">Run now: {}</button> ",
              base,
              base));
    }
    if (buttons.isEmpty()) {
      return new Html.Raw("");
    }
    return fill(
        """
        <div class="actions">
        {}{}<span id="run-now-result" role="status"></span>
        </div>
        """,
        tokenInput(),
        Html.join(buttons));
  }

  private Html.Raw tokenInput() {
    return tokenRequired
        ? new Html.Raw(
            "<label>API token <input type=\"password\" id=\"api-token\" autocomplete=\"off\">"
                + "</label>\n")
        : new Html.Raw("");
  }

  private Html.Raw cancelControl(RunReport run) {
    if (terminal(run.status())) {
      return new Html.Raw("");
    }
    // The button calls the API itself, so it needs the token like any other client: the browser
    // sends it as a bearer header (never a cookie), which a foreign page cannot make it do.
    Html.Raw token = tokenInput();
    return fill(
        """
        <div class="actions">
        {}<button type="button" id="cancel-run" class="cancel" hx-post="/api/runs/{}/cancel"\
         hx-swap="none">Cancel run</button>
        <span id="cancel-result" role="status"></span>
        </div>
        """,
        token,
        segment(run.id()));
  }

  Html.Raw schedulesPage() {
    List<Html.Raw> rows = new ArrayList<>();
    for (ScheduleView s : backend.schedules()) {
      rows.add(
          fill(
              """
              <tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td>\
              <td>{}</td><td>{}</td><td class="num{}">{}</td><td>{}</td></tr>
              """,
              s.name(),
              s.baseId(),
              s.cron(),
              s.timezone() == null ? "UTC" : s.timezone(),
              s.entities().isEmpty() ? "all" : String.join(", ", s.entities()),
              s.enabled() ? "yes" : "no",
              time(s.nextFireAt()),
              s.lastRunId() == null
                  ? new Html.Raw("–")
                  : fill(
                      "<a href=\"/runs/{}\">{}</a> {}",
                      segment(s.lastRunId()),
                      s.lastRunId(),
                      s.lastRunStatus() == null ? new Html.Raw("") : badge(s.lastRunStatus())),
              s.consecutiveSkips() >= 3 ? " warn" : "",
              s.consecutiveSkips(),
              s.lastFire() == null
                  ? new Html.Raw("–")
                  : fill(
                      "{} {}{}",
                      s.lastFire().outcome(),
                      time(s.lastFire().at()),
                      s.lastFire().reason() == null ? "" : ": " + s.lastFire().reason())));
    }
    Html.Raw content =
        fill(
            """
            <h1>Schedules</h1>
            <table class="schedules">
            <thead><tr><th>Name</th><th>Base</th><th>Cron</th><th>Time zone</th><th>Entities</th>\
            <th>Enabled</th><th>Next fire</th><th>Last run</th><th>Skipped in a row</th>\
            <th>Last fire</th></tr></thead>
            <tbody>
            {}</tbody>
            </table>
            {}""",
            Html.join(rows),
            rows.isEmpty()
                ? new Html.Raw("<p class=\"empty\">No schedules.</p>\n")
                : new Html.Raw(""));
    return layout("Schedules", content, false);
  }

  Html.Raw alertsPage() {
    List<Html.Raw> rows = new ArrayList<>();
    for (AlertRow a : backend.alerts(ALERTS_ON_PAGE)) {
      rows.add(
          fill(
              """
              <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
              <td class="message">{}</td><td>{}</td></tr>
              """,
              time(a.openedAt()),
              badge(a.state()),
              a.kind(),
              a.baseId(),
              a.runId() == null
                  ? new Html.Raw("")
                  : fill("<a href=\"/runs/{}\">{}</a>", segment(a.runId()), a.runId()),
              a.schedule(),
              a.message(),
              time(a.resolvedAt())));
    }
    Html.Raw content =
        fill(
            """
            <h1>Alerts</h1>
            <table class="alerts">
            <thead><tr><th>Opened</th><th>State</th><th>Kind</th><th>Base</th><th>Run</th>\
            <th>Schedule</th><th>Message</th><th>Resolved</th></tr></thead>
            <tbody>
            {}</tbody>
            </table>
            {}""",
            Html.join(rows),
            rows.isEmpty()
                ? new Html.Raw("<p class=\"empty\">No alerts.</p>\n")
                : new Html.Raw(""));
    return layout("Alerts", content, false);
  }

  /** A small page for errors met by a browser on a dashboard path. */
  Html.Raw errorPage(int status, String message) {
    return layout(
        "Error " + status,
        fill(
            "<h1>Error {}</h1>\n<p class=\"error\">{}</p>\n<p><a href=\"/\">All runs</a></p>\n",
            status,
            message),
        false);
  }

  // ---- pieces ----

  private RunReport requireRun(String id) {
    return backend.run(id).orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
  }

  private static Html.Raw filterLink(String href, String label, boolean current) {
    return current
        ? fill("<a class=\"current\" aria-current=\"page\" href=\"{}\">{}</a> ", href, label)
        : fill("<a href=\"{}\">{}</a> ", href, label);
  }

  private static Html.Raw badge(String status) {
    String word = status == null ? "unknown" : status;
    return fill("<span class=\"badge badge-{}\">{}</span>", word, word);
  }

  private static Html.Raw recordLink(IssueRow issue) {
    String url = Html.safeHttpUrl(issue.url());
    if (url == null) {
      return fill("{}", issue.recordId());
    }
    return fill(
        "<a href=\"{}\" target=\"_blank\" rel=\"noopener noreferrer\">{}</a>",
        url,
        issue.recordId());
  }

  private String runDuration(RunReport run) {
    if (run.durationMs() != null) {
      return formatMillis(run.durationMs());
    }
    if (run.startedAt() != null && !terminal(run.status())) {
      Duration running = Duration.between(run.startedAt(), clock.instant());
      return "running " + formatMillis(Math.max(0, running.toMillis()));
    }
    return "";
  }

  private static boolean terminal(String status) {
    try {
      return RunStatus.parse(status).terminal();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  static String formatMillis(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    long seconds = ms / 1000;
    if (seconds < 3600) {
      return (seconds / 60) + " min " + (seconds % 60) + " s";
    }
    return (seconds / 3600) + " h " + (seconds % 3600 / 60) + " min";
  }

  /** A time the browser shows in its own zone (dashboard.js); the ISO time stays as tooltip. */
  private static Html.Raw time(Instant instant) {
    if (instant == null) {
      return new Html.Raw("");
    }
    String iso = iso(instant);
    return fill("<time datetime=\"{}\" title=\"{}\">{}</time>", iso, iso, iso);
  }

  private static String iso(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String htmxInterval(Duration interval) {
    return Math.max(1, interval.toMillis()) + "ms";
  }

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private String chartData(List<RunReport> runs) {
    List<RunReport> recent = new ArrayList<>(runs.subList(0, Math.min(RUNS_IN_CHART, runs.size())));
    java.util.Collections.reverse(recent);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("labels", recent.stream().map(r -> iso(r.createdAt())).toList());
    data.put("ids", recent.stream().map(RunReport::id).toList());
    data.put(
        "durations",
        recent.stream().map(r -> r.durationMs() == null ? null : r.durationMs() / 1000.0).toList());
    data.put("issues", recent.stream().map(r -> r.issues().total()).toList());
    data.put(
        "fail",
        recent.stream().map(r -> r.issues().bySeverity().getOrDefault("fail", 0L)).toList());
    data.put(
        "warn",
        recent.stream().map(r -> r.issues().bySeverity().getOrDefault("warn", 0L)).toList());
    data.put("new", recent.stream().map(r -> r.issues().newCount()).toList());
    data.put("troubled", recent.stream().map(Dashboard::troubled).toList());
    try {
      return mapper.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart data of plain lists always serializes", e);
    }
  }

  private static int boundedInt(String raw, int fallback, int min, int max) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      return Math.max(min, Math.min(max, value));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("expected a whole number, got '" + raw + "'");
    }
  }
}
