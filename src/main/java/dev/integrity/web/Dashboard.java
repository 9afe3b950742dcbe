package dev.integrity.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AlertRow;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
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
 * auth. This class builds the pages' view models ({@link Views}); the JTE templates in src/main/jte
 * render them and escape every value, so text from Airtable is always escaped. Thread-safe.
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
  private final TemplateEngine templates = templates();

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

  /**
   * The templates compiled at build time (jte-maven-plugin) into this package: no compiler and no
   * template files at run time. HTML mode escapes every value by the context it lands in.
   */
  private static TemplateEngine templates() {
    return TemplateEngine.createPrecompiled(
        null, ContentType.Html, Dashboard.class.getClassLoader(), Dashboard.class.getPackageName());
  }

  void register(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.html(runsPage(statusParam(ctx))));
    routes.get("/fragments/runs", ctx -> ctx.html(runsSection(statusParam(ctx))));
    routes.get("/runs/{id}", this::runPage);
    routes.get("/runs/{id}/issues.csv", this::issuesCsv);
    routes.get(
        "/fragments/runs/{id}", ctx -> ctx.html(runSummary(requireRun(ctx.pathParam("id")))));
    routes.get("/schedules", ctx -> ctx.html(schedulesPage()));
    routes.get("/alerts", ctx -> ctx.html(alertsPage()));
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

  // ---- pages: each builds its view model (Views) and renders its template (src/main/jte) ----

  private String render(String template, Object model) {
    StringOutput out = new StringOutput(8192);
    templates.render(template, model, out);
    return out.toString();
  }

  String runsPage(String status) {
    List<Views.Filter> filters = new ArrayList<>();
    filters.add(new Views.Filter("/", "all", status == null));
    for (RunStatus s : RunStatus.values()) {
      filters.add(new Views.Filter("/?status=" + s.wire(), s.wire(), s.wire().equals(status)));
    }
    return render(
        "runs.jte",
        new Views.RunsPage(
            filters, backend.bases(), tokenRequired, RUNS_IN_CHART, runsModel(status)));
  }

  /** The polled part of the runs page: the table plus the chart's data. */
  String runsSection(String status) {
    return render("runs_section.jte", runsModel(status));
  }

  private Views.RunsSection runsModel(String status) {
    List<RunReport> runs = backend.runs(status, RUNS_ON_PAGE);
    List<Views.RunRow> rows = new ArrayList<>();
    for (RunReport run : runs) {
      rows.add(
          new Views.RunRow(
              run.id(),
              "/runs/" + segment(run.id()),
              troubled(run),
              run.status(),
              run.schedule() == null ? run.trigger() : run.trigger() + " (" + run.schedule() + ")",
              run.modeReason() == null ? run.mode() : run.mode() + " *",
              run.modeReason() == null
                  ? null
                  : "full scan instead of incremental: " + run.modeReason(),
              run.createdAt(),
              runDuration(run),
              run.issues().total(),
              run.issues().newCount(),
              run.issues().resolvedCount(),
              run.error()));
    }
    String url = "/fragments/runs" + (status == null ? "" : "?status=" + status);
    return new Views.RunsSection(url, htmxInterval(refresh), chartData(runs), rows);
  }

  private void runPage(Context ctx) {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run);
    int limit = boundedInt(ctx.queryParam("limit"), ISSUES_PAGE_SIZE, 1, MAX_ISSUES_PAGE_SIZE);
    int offset = boundedInt(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE);
    ctx.html(runPage(run, params, limit, offset));
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

  String runPage(RunReport run, IssueParams params, int limit, int offset) {
    // One row more than shown tells whether there is a next page.
    List<IssueRow> issues = backend.issues(run.id(), params.query(), limit + 1, offset);
    boolean more = issues.size() > limit;
    List<IssueRow> shown = more ? issues.subList(0, limit) : issues;
    String base = "/runs/" + segment(run.id());
    String query = params.queryString();
    List<CheckCount> counts = backend.checkCounts(run.id());

    List<Views.IssueLine> lines = new ArrayList<>();
    Instant now = clock.instant();
    for (IssueRow issue : shown) {
      String state = issue.state() == null ? IssueRow.NEW : issue.state();
      Instant first = issue.firstSeenAt();
      lines.add(
          new Views.IssueLine(
              issue.entity(),
              issue.recordId(),
              Html.safeHttpUrl(issue.url()),
              issue.checkId(),
              issue.field(),
              issue.severity(),
              state,
              first,
              IssueRow.RESOLVED.equals(state) ? "had been open" : "open for",
              first == null ? null : age(Duration.between(first, now)),
              issue.message()));
    }
    String pageBase = base + "?" + (query.isEmpty() ? "" : query + "&");
    Views.Paging paging =
        new Views.Paging(
            offset > 0
                ? pageBase + "offset=" + Math.max(0, offset - limit) + "&limit=" + limit
                : null,
            shown.isEmpty() ? null : offset + 1L,
            shown.isEmpty() ? null : (long) offset + shown.size(),
            more ? pageBase + "offset=" + (offset + limit) + "&limit=" + limit : null);
    Views.Cancel cancel =
        terminal(run.status())
            ? null
            : new Views.Cancel("/api/runs/" + segment(run.id()) + "/cancel", tokenRequired);
    return render(
        "run.jte",
        new Views.RunPage(
            run.id(),
            cancel,
            summaryTable(run, counts, base),
            runSummaryModel(run),
            filterForm(run, params, counts, base),
            base + "/issues.csv" + (query.isEmpty() ? "" : "?" + query),
            lines,
            paging));
  }

  /** One row per (entity, check, severity), each linking to its slice, with a 30-run sparkline. */
  private Views.SummaryTable summaryTable(RunReport run, List<CheckCount> counts, String base) {
    if (counts.isEmpty()) {
      return new Views.SummaryTable(RUNS_IN_CHART, List.of());
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
    List<Views.SummaryLine> rows = new ArrayList<>();
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
          new Views.SummaryLine(
              c.entity(),
              c.check(),
              c.severity(),
              base + "?" + slice.queryString(),
              c.open(),
              c.newCount(),
              c.resolved(),
              Sparkline.of(series)));
    }
    return new Views.SummaryTable(RUNS_IN_CHART, rows);
  }

  /** A GET form, so the filters live in the URL and survive paging and reload. */
  private static Views.FilterForm filterForm(
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
    return new Views.FilterForm(
        base,
        List.of(
            select("Entity", "entity", entities, q.entity(), "all"),
            select("Check", "check", checks, q.check(), "all"),
            select("Severity", "severity", IssueParams.SEVERITIES, q.severity(), "all"),
            select("State", "state", states, q.state().wire(), null)));
  }

  private static Views.Select select(
      String label, String name, List<String> values, String chosen, String any) {
    List<Views.Option> options = new ArrayList<>();
    if (any != null) {
      options.add(new Views.Option("", any, false));
    }
    for (String v : values) {
      options.add(new Views.Option(v, v, v.equals(chosen)));
    }
    return new Views.Select(label, name, options);
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
  String runSummary(RunReport run) {
    return render("run_summary.jte", runSummaryModel(run));
  }

  private Views.RunSummary runSummaryModel(RunReport run) {
    boolean live = !terminal(run.status());
    List<Views.EntityLine> entities = new ArrayList<>();
    for (RunReport.EntityReport e :
        run.entities() == null ? List.<RunReport.EntityReport>of() : run.entities()) {
      entities.add(
          new Views.EntityLine(
              e.name(),
              e.table(),
              e.status(),
              e.records(),
              e.pages(),
              e.durationMs() == null ? "" : formatMillis(e.durationMs()),
              e.checked(),
              e.checked() ? Long.toString(e.issues()) : "–",
              e.error()));
    }
    String severities =
        run.issues().bySeverity().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(s -> s.getKey() + " " + s.getValue())
            .collect(Collectors.joining(", "));
    // A run that checked some but not all of its entities says so first: its counts cover only
    // the entities it checked, and nobody should read them as covering the whole base.
    return new Views.RunSummary(
        live ? "/fragments/runs/" + segment(run.id()) : null,
        live ? "every " + htmxInterval(refresh) + ", refresh" : null,
        run.partial().orElse(null),
        run.status(),
        run.trigger(),
        run.schedule() == null ? "–" : run.schedule(),
        run.modeReason() == null
            ? run.mode()
            : run.mode() + " (asked for incremental: " + run.modeReason() + ")",
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        runDuration(run),
        run.issues().total(),
        severities.isEmpty() ? "" : " (" + severities + ")",
        run.issues().newCount(),
        run.issues().resolvedCount(),
        run.error(),
        entities);
  }

  /** A run that ended in error or timeout: the runs table and chart make it stand out. */
  static boolean troubled(RunReport run) {
    return "error".equals(run.status()) || "timeout".equals(run.status());
  }

  String schedulesPage() {
    List<Views.ScheduleLine> rows = new ArrayList<>();
    for (ScheduleView s : backend.schedules()) {
      ScheduleView.LastFire fire = s.lastFire();
      rows.add(
          new Views.ScheduleLine(
              s.name(),
              s.baseId(),
              s.cron(),
              s.timezone() == null ? "UTC" : s.timezone(),
              s.entities().isEmpty() ? "all" : String.join(", ", s.entities()),
              s.enabled(),
              s.nextFireAt(),
              s.lastRunId(),
              s.lastRunId() == null ? null : "/runs/" + segment(s.lastRunId()),
              s.lastRunStatus(),
              s.consecutiveSkips() >= 3,
              s.consecutiveSkips(),
              fire == null ? null : fire.outcome(),
              fire == null ? null : fire.at(),
              fire == null ? null : fire.reason()));
    }
    return render("schedules.jte", new Views.SchedulesPage(rows));
  }

  String alertsPage() {
    List<Views.AlertLine> rows = new ArrayList<>();
    for (AlertRow a : backend.alerts(ALERTS_ON_PAGE)) {
      rows.add(
          new Views.AlertLine(
              a.openedAt(),
              a.state(),
              a.kind(),
              a.baseId(),
              a.runId(),
              a.runId() == null ? null : "/runs/" + segment(a.runId()),
              a.schedule(),
              a.message(),
              a.resolvedAt()));
    }
    return render("alerts.jte", new Views.AlertsPage(rows));
  }

  /** A small page for errors met by a browser on a dashboard path. */
  String errorPage(int status, String message) {
    return render("error.jte", new Views.ErrorPage(status, message));
  }

  // ---- pieces ----

  private RunReport requireRun(String id) {
    return backend.run(id).orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
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

  /** Times go out as ISO-8601 UTC; dashboard.js shows them in the browser's zone. */
  static String iso(Instant instant) {
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
