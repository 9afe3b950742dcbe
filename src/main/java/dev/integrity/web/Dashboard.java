package dev.integrity.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.Until;
import dev.integrity.model.Ack;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckRepository;
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
 * and issues, schedules, alerts and acknowledgements. Cancel and "Run now" go through the API and
 * its auth; acknowledging and revoking post to the dashboard's own routes, which need the token
 * like the API (see {@link Access}). This class owns the routes and their handlers: each reads its
 * request, gets its page's view model ({@link Views}; the runs and run pages' from {@link
 * RunViews}, the small pages' built here) and renders it with the JTE templates in src/main/jte,
 * which escape every value, so text from Airtable is always escaped. Thread-safe.
 */
final class Dashboard {
  static final int ISSUES_PAGE_SIZE = 50;
  static final int MAX_ISSUES_PAGE_SIZE = 500;
  static final int ALERTS_ON_PAGE = 200;
  static final String HTMX = "/webjars/htmx.org/2.0.4/dist/htmx.min.js";
  static final String CHART_JS = "/webjars/chart.js/4.4.1/dist/chart.umd.js";

  /** The run page's query parameter naming the run where the last acknowledgement shows. */
  private static final String APPLIED_IN = "appliedIn";

  private final WebBackend backend;
  private final RunViews runs;
  private final AckViews acks;

  private final Clock clock;
  private final TemplateEngine templates = templates();

  Dashboard(
      WebBackend backend,
      ObjectMapper mapper,
      Clock clock,
      Duration refresh,
      boolean tokenRequired) {
    this.backend = backend;
    this.runs = new RunViews(backend, mapper, clock, refresh, tokenRequired);
    this.acks = new AckViews(backend, clock, tokenRequired);
    this.clock = clock;
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
    routes.post("/runs/{id}/acks", this::acknowledge);
    routes.get("/acks", ctx -> ctx.html(acksPage(endedParam(ctx), null)));
    routes.post("/acks/{id}/revoke", this::revoke);
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
    IssueParams params = IssueParams.of(ctx, run, backend);
    int limit = boundedInt(ctx.queryParam("limit"), ISSUES_PAGE_SIZE, 1, MAX_ISSUES_PAGE_SIZE);
    int offset = boundedInt(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE);
    // After acknowledging from an older run without htmx, the redirect names the later runs.
    ctx.html(runPage(run, params, limit, offset, null, ctx.queryParams(APPLIED_IN)));
  }

  String runPage(RunReport run, IssueParams params, int limit, int offset) {
    return runPage(run, params, limit, offset, null, List.of());
  }

  /**
   * The run page with {@code flash} (what the last action did, or null) above its issues, and where
   * that action's acknowledgements show when this run is not the latest ({@code appliedIn}: run
   * ids).
   */
  String runPage(
      RunReport run,
      IssueParams params,
      int limit,
      int offset,
      String flash,
      List<String> appliedIn) {
    Views.RunPage page = runs.runPage(run, params, limit, offset);
    List<IssueRow> shown = backend.issues(run.id(), params.query(), limit, offset);
    AckViews.RunAcks ackParts =
        acks.runAcks(
            run,
            params,
            limit,
            offset,
            page.cancel() != null,
            shown,
            backend.checkCounts(run.id()),
            flash,
            appliedIn);
    StringOutput out = new StringOutput(8192);
    templates.render("run.jte", java.util.Map.of("page", page, "acks", ackParts), out);
    return out.toString();
  }

  /**
   * Acknowledges from the run page ({@code scope}: {@code issue}, {@code slice} for every open
   * unacknowledged issue of the view, one acknowledgement each, or {@code check} for one of the
   * whole check), then shows the same view: rendered for htmx, which swaps it in, else a redirect
   * to it. Bad input is a 400 whose message htmx shows next to the form, or an error page.
   */
  private void acknowledge(Context ctx) {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run, backend);
    int limit = boundedInt(ctx.queryParam("limit"), ISSUES_PAGE_SIZE, 1, MAX_ISSUES_PAGE_SIZE);
    int offset = boundedInt(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE);
    String base = backend.baseOfRun(run.id()).orElse(null);
    String reason = form(ctx, "reason");
    if (reason == null) {
      throw ApiException.badRequest("reason: say why these issues are acknowledged");
    }
    String by = form(ctx, "by");
    java.time.Instant until;
    try {
      until = Until.parse(form(ctx, "until"), clock);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    String scope = form(ctx, "scope");
    // The entities acknowledged: each acknowledgement changes its entity's latest run.
    java.util.Set<String> entities = new java.util.LinkedHashSet<>();
    String flash;
    try {
      flash =
          switch (scope == null ? "" : scope) {
            case "issue" -> {
              String entity = requiredForm(ctx, "entity");
              String check = requiredForm(ctx, "check");
              entities.add(entity);
              Ack ack =
                  backend.acknowledge(
                      new AckRepository.NewAck(
                          base,
                          entity,
                          check,
                          form(ctx, "record"),
                          form(ctx, "field"),
                          reason,
                          by,
                          until));
              yield "Acknowledged 1 issue: " + ack.scope() + ".";
            }
            case "check" -> {
              Ack ack =
                  backend.acknowledge(
                      new AckRepository.NewAck(
                          base,
                          requiredForm(ctx, "entity"),
                          requiredForm(ctx, "check"),
                          null,
                          null,
                          reason,
                          by,
                          until));
              entities.add(ack.entity());
              yield "Acknowledged every issue of " + ack.scope() + ".";
            }
            case "slice" -> {
              long expected = boundedInt(requiredForm(ctx, "expected"), 0, 0, Integer.MAX_VALUE);
              List<AckRepository.NewAck> each =
                  sliceAcks(run, params, base, reason, by, until, expected);
              backend.acknowledgeAll(each);
              each.forEach(a -> entities.add(a.entity()));
              yield "Acknowledged "
                  + each.size()
                  + (each.size() == 1 ? " issue" : " issues")
                  + " in this view ("
                  + AckViews.describe(params)
                  + ").";
            }
            default ->
                throw ApiException.badRequest(
                    "scope: '" + scope + "' is not one of issue, slice, check");
          };
    } catch (BadRequestException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    List<String> appliedIn = laterRuns(run, base, entities);
    if (htmx(ctx)) {
      ctx.html(runPage(requireRun(run.id()), params, limit, offset, flash, appliedIn));
    } else {
      // Back to the same view and page: the form's action carries them as its query; and the
      // later runs where the acknowledgements show, when this run is not the latest.
      String query = ctx.queryString();
      StringBuilder back = new StringBuilder(query == null ? "" : query);
      for (String id : appliedIn) {
        back.append(back.isEmpty() ? "" : "&")
            .append(APPLIED_IN)
            .append('=')
            .append(java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8));
      }
      ctx.redirect(
          "/runs/" + Formats.segment(run.id()) + (back.isEmpty() ? "" : "?" + back) + "#issues",
          io.javalin.http.HttpStatus.SEE_OTHER);
    }
  }

  /**
   * The latest runs of the acknowledged entities when they are not this run: an acknowledgement
   * changes its entity's latest run only, so acknowledging from an older run's page leaves that
   * page as it was, and the answer must say where it shows. Unknown base: none (the backend then
   * picks the base from the entity).
   */
  private List<String> laterRuns(RunReport run, String base, java.util.Set<String> entities) {
    if (base == null) {
      return List.of();
    }
    java.util.Set<String> later = new java.util.LinkedHashSet<>();
    for (String entity : entities) {
      backend.latestRunOf(base, entity).filter(id -> !id.equals(run.id())).ifPresent(later::add);
    }
    return List.copyOf(later);
  }

  /**
   * One acknowledgement per open unacknowledged issue of the view, provided the view still holds
   * the number the person confirmed and no more than the cap.
   */
  private List<AckRepository.NewAck> sliceAcks(
      RunReport run,
      IssueParams params,
      String base,
      String reason,
      String by,
      java.time.Instant until,
      long expected) {
    var eligible = AckViews.eligible(params.query());
    if (eligible.isEmpty()) {
      throw ApiException.badRequest(
          "this view holds no open unacknowledged issues: nothing to acknowledge");
    }
    List<IssueRow> rows = backend.issues(run.id(), eligible.get(), AckViews.SLICE_CAP + 1, 0);
    if (rows.size() > AckViews.SLICE_CAP) {
      throw ApiException.badRequest(
          "this view holds more than "
              + String.format(java.util.Locale.ROOT, "%,d", AckViews.SLICE_CAP)
              + " issues to acknowledge: narrow it with the filters, or acknowledge the whole"
              + " check");
    }
    if (rows.size() != expected) {
      throw new ApiException(
          409,
          "conflict",
          "this view now holds "
              + rows.size()
              + " issues to acknowledge, not the "
              + expected
              + " you confirmed: reload the page and confirm again");
    }
    return rows.stream()
        .map(
            i ->
                new AckRepository.NewAck(
                    base, i.entity(), i.checkId(), i.recordId(), i.field(), reason, by, until))
        .toList();
  }

  private static boolean htmx(Context ctx) {
    return "true".equals(ctx.header("HX-Request"));
  }

  /** A form field, trimmed; null when absent or blank. */
  private static String form(Context ctx, String name) {
    String value = ctx.formParam(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String requiredForm(Context ctx, String name) {
    String value = form(ctx, name);
    if (value == null) {
      throw ApiException.badRequest(name + ": is required");
    }
    return value;
  }

  private static boolean endedParam(Context ctx) {
    String ended = ctx.queryParam("ended");
    return ended != null && !ended.isBlank() && !ended.equals("0");
  }

  /** The Acknowledged page; {@code ended}: the ended ones too. */
  String acksPage(boolean ended, String flash) {
    return render("acks.jte", acks.acksPage(ended, flash));
  }

  private void revoke(Context ctx) {
    String id = ctx.pathParam("id");
    Ack ack =
        backend
            .revokeAck(id)
            .orElseThrow(() -> ApiException.notFound("no acknowledgement with id '" + id + "'"));
    boolean ended = endedParam(ctx);
    if (htmx(ctx)) {
      ctx.html(acksPage(ended, "Revoked the acknowledgement of " + ack.scope() + "."));
    } else {
      ctx.redirect(ended ? "/acks?ended=1" : "/acks", io.javalin.http.HttpStatus.SEE_OTHER);
    }
  }

  /** Status, times, counts and entities; polls itself while the run has not ended. */
  String runSummary(RunReport run) {
    return render("run_summary.jte", runs.runSummary(run));
  }

  /** The current slice as CSV: the same rows, in the same order, as the API gives for it. */
  private void issuesCsv(Context ctx) throws java.io.IOException {
    RunReport run = requireRun(ctx.pathParam("id"));
    IssueParams params = IssueParams.of(ctx, run, backend);
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
