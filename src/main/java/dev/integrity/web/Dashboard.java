package dev.integrity.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AlertRow;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server-rendered dashboard: runs (with a chart and htmx polling), one run with its entities
 * and issues, schedules and alerts. Read-only; the one action, cancel, goes through the API and its
 * auth. This class owns the routes and their handlers: each reads its request, gets its page's view
 * model ({@link Views}; the runs and run pages' from {@link RunViews}, the small pages' built here)
 * and renders it with the JTE templates in src/main/jte, which escape every value, so text from
 * Airtable is always escaped. Thread-safe.
 */
final class Dashboard {
  static final int ISSUES_PAGE_SIZE = 50;
  static final int MAX_ISSUES_PAGE_SIZE = 500;
  static final int ALERTS_ON_PAGE = 200;
  static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  static final String CHART_JS = "/webjars/chart.js/4.4.1/dist/chart.umd.js";

  private final WebBackend backend;
  private final RunViews runs;
  private final TemplateEngine templates = templates();

  Dashboard(
      WebBackend backend,
      ObjectMapper mapper,
      Clock clock,
      Duration refresh,
      boolean tokenRequired) {
    this.backend = backend;
    this.runs = new RunViews(backend, mapper, clock, refresh, tokenRequired);
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

  /** A whole number clamped to [min, max]; absent or blank gives the fallback, junk a 400. */
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

  private RunReport requireRun(String id) {
    return backend.run(id).orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
  }

  private String render(String template, Object model) {
    StringOutput out = new StringOutput(8192);
    templates.render(template, model, out);
    return out.toString();
  }

  String runsPage(String status) {
    return render("runs.jte", runs.runsPage(status));
  }

  /** The polled part of the runs page: the table plus the chart's data. */
  String runsSection(String status) {
    return render("runs_section.jte", runs.runsSection(status));
  }

  private void runPage(Context ctx) {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run);
    int limit = boundedInt(ctx.queryParam("limit"), ISSUES_PAGE_SIZE, 1, MAX_ISSUES_PAGE_SIZE);
    int offset = boundedInt(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE);
    ctx.html(runPage(run, params, limit, offset));
  }

  String runPage(RunReport run, IssueParams params, int limit, int offset) {
    return render("run.jte", runs.runPage(run, params, limit, offset));
  }

  /** Status, times, counts and entities; polls itself while the run has not ended. */
  String runSummary(RunReport run) {
    return render("run_summary.jte", runs.runSummary(run));
  }

  /** The current slice as CSV: the same rows, in the same order, as the API gives for it. */
  private void issuesCsv(Context ctx) throws java.io.IOException {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run);
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header(
        "Content-Disposition",
        "attachment; filename=\"" + Formats.segment(run.id()) + "-issues.csv\"");
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
              s.lastRunId() == null ? null : "/runs/" + Formats.segment(s.lastRunId()),
              s.lastRunStatus(),
              s.consecutiveSkips() >= 3,
              s.consecutiveSkips(),
              fire == null ? null : fire.outcome(),
              fire == null ? null : fire.at(),
              fire == null ? null : fire.reason()));
    }
    return render("schedules.jte", new Views.SchedulesPage(rows, backend.costWarnings()));
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
              a.runId() == null ? null : "/runs/" + Formats.segment(a.runId()),
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
}
