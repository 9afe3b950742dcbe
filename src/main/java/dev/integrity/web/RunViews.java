package dev.integrity.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunStatus;
import dev.integrity.run.RunReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The view models ({@link Views}) of the runs page (status filters, the polled table and the
 * chart's data) and of one run's page (its summary, per-check table with sparklines, issue filters,
 * a page of issues, the cancel button), read from the backend at the injected clock's now. {@link
 * Dashboard} renders them. Thread-safe: it only reads its final fields and the thread-safe backend.
 */
final class RunViews {
  static final int RUNS_ON_PAGE = 50;
  static final int RUNS_IN_CHART = 30;

  private final WebBackend backend;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final Duration refresh;
  private final boolean tokenRequired;

  RunViews(
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

  /** The runs page: one filter link per status, the bases to start a run on, and the section. */
  Views.RunsPage runsPage(String status) {
    List<Views.Filter> filters = new ArrayList<>();
    filters.add(new Views.Filter("/", "all", status == null));
    for (RunStatus s : RunStatus.values()) {
      filters.add(new Views.Filter("/?status=" + s.wire(), s.wire(), s.wire().equals(status)));
    }
    return new Views.RunsPage(
        filters,
        backend.bases(),
        tokenRequired,
        RUNS_IN_CHART,
        runsSection(status),
        backend.costWarnings());
  }

  /** The polled part of the runs page: the table plus the chart's data. */
  Views.RunsSection runsSection(String status) {
    List<RunReport> runs = backend.runs(status, RUNS_ON_PAGE);
    List<Views.RunRow> rows = new ArrayList<>();
    for (RunReport run : runs) {
      rows.add(
          new Views.RunRow(
              run.id(),
              "/runs/" + Formats.segment(run.id()),
              troubled(run),
              run.status(),
              run.schedule() == null ? run.trigger() : run.trigger() + " (" + run.schedule() + ")",
              run.modeReason() == null ? run.mode() : run.mode() + " *",
              run.modeReason() == null
                  ? null
                  : "full scan instead of incremental: " + run.modeReason(),
              run.instance() == null ? "" : run.instance(),
              run.createdAt(),
              runDuration(run),
              run.issues().total(),
              run.issues().newCount(),
              run.issues().resolvedCount(),
              run.issues().retiredCount(),
              run.error()));
    }
    String url = "/fragments/runs" + (status == null ? "" : "?status=" + status);
    return new Views.RunsSection(url, Formats.htmxInterval(refresh), chartData(runs), rows);
  }

  /** One run's page, showing {@code limit} issues of the slice from {@code offset} on. */
  Views.RunPage runPage(RunReport run, IssueParams params, int limit, int offset) {
    // One row more than shown tells whether there is a next page.
    List<IssueRow> issues = backend.issues(run.id(), params.query(), limit + 1, offset);
    boolean more = issues.size() > limit;
    List<IssueRow> shown = more ? issues.subList(0, limit) : issues;
    String base = "/runs/" + Formats.segment(run.id());
    String query = params.queryString();
    List<CheckCount> counts = backend.checkCounts(run.id());

    List<Views.IssueLine> lines = new ArrayList<>();
    Instant now = clock.instant();
    for (IssueRow issue : shown) {
      lines.add(issueLine(issue, now));
    }
    String pageBase = base + "?" + (query.isEmpty() ? "" : query + "&");
    // The counts and the page come from two reads; a page that shows more than the counts knew
    // (a run still writing) is believed.
    long counted = sliceTotal(counts, params.query());
    if (counted < 0) {
      counted = backend.countIssues(run.id(), params.query());
    }
    long total =
        shown.isEmpty()
            ? counted
            : Math.max(counted, (long) offset + shown.size() + (more ? 1 : 0));
    Views.Paging paging =
        new Views.Paging(
            offset > 0
                ? pageBase + "offset=" + Math.max(0, offset - limit) + "&limit=" + limit
                : null,
            shown.isEmpty() ? null : offset + 1L,
            shown.isEmpty() ? null : (long) offset + shown.size(),
            total,
            more ? pageBase + "offset=" + (offset + limit) + "&limit=" + limit : null);
    Views.Cancel cancel =
        terminal(run.status())
            ? null
            : new Views.Cancel("/api/runs/" + Formats.segment(run.id()) + "/cancel", tokenRequired);
    Views.RunBase runBase =
        backend.runBase(run.id()).map(b -> new Views.RunBase(b.baseId(), b.config())).orElse(null);
    return new Views.RunPage(
        run.id(),
        runBase,
        cancel,
        summaryTable(run, counts, base, params.query()),
        tables(run, now),
        runSummary(run),
        filterForm(run, params, counts, base, backend.owners(run.id())),
        base + "/issues.csv" + (query.isEmpty() ? "" : "?" + query),
        lines,
        paging);
  }

  private static Views.IssueLine issueLine(IssueRow issue, Instant now) {
    String state = issue.state() == null ? IssueRow.NEW : issue.state();
    Instant first = issue.firstSeenAt();
    return new Views.IssueLine(
        issue.entity(),
        issue.recordId(),
        Html.safeHttpUrl(issue.url()),
        issue.checkId(),
        issue.field(),
        issue.severity(),
        state,
        first,
        IssueRow.RESOLVED.equals(state) || IssueRow.RETIRED.equals(state)
            ? "had been open"
            : "open for",
        first == null ? null : Formats.age(Duration.between(first, now)),
        issue.message());
  }

  /** More table issues than this on one run page would be a config with hundreds of tables. */
  static final int TABLE_ISSUES_ON_PAGE = 500;

  /**
   * Each entity of the run with its record count over the last {@link #RUNS_IN_CHART} runs that
   * checked it (oldest first) and its table-level issues: the checks of whole tables go above the
   * record issues, where a mass deletion or a stalled automation is seen first.
   */
  private Views.TablesSection tables(RunReport run, Instant now) {
    Map<String, List<Views.IssueLine>> byEntity = new LinkedHashMap<>();
    for (IssueRow issue : backend.tableIssues(run.id(), TABLE_ISSUES_ON_PAGE)) {
      byEntity.computeIfAbsent(issue.entity(), e -> new ArrayList<>()).add(issueLine(issue, now));
    }
    List<Views.TableLine> rows = new ArrayList<>();
    for (RunReport.EntityReport e :
        run.entities() == null ? List.<RunReport.EntityReport>of() : run.entities()) {
      List<Long> counts =
          new ArrayList<>(
              backend.recordCounts(run.id(), e.name(), RUNS_IN_CHART).stream()
                  .map(dev.integrity.store.EntityCount::records)
                  .toList());
      java.util.Collections.reverse(counts);
      rows.add(
          new Views.TableLine(
              e.name(),
              e.table(),
              e.checked() ? String.format(java.util.Locale.ROOT, "%,d", e.records()) : "–",
              Sparkline.of(counts),
              byEntity.getOrDefault(e.name(), List.of())));
    }
    return new Views.TablesSection(RUNS_IN_CHART, rows);
  }

  /** One row per (entity, check, severity), each linking to its slice, with a 30-run sparkline. */
  private Views.SummaryTable summaryTable(
      RunReport run, List<CheckCount> counts, String base, dev.integrity.store.IssueQuery query) {
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
              c.retired(),
              Sparkline.of(series),
              c.entity().equals(query.entity())
                  && c.check().equals(query.check())
                  && c.severity().equals(query.severity())));
    }
    // What changed tonight first, then the biggest; ties keep the store's entity/check order.
    rows.sort(
        java.util.Comparator.comparingLong(Views.SummaryLine::newCount)
            .thenComparingLong(Views.SummaryLine::count)
            .reversed());
    return new Views.SummaryTable(RUNS_IN_CHART, rows);
  }

  /**
   * How many issues the slice holds, from the run's per-check counts (no second scan of the
   * issues): the pager's "of 364".
   */
  /**
   * The slice's size from the per-check counts, or -1 when they cannot tell: the acknowledged (or
   * not) among the new or the persisting ones are not counted apart.
   */
  static long sliceTotal(List<CheckCount> counts, dev.integrity.store.IssueQuery q) {
    boolean newOrPersisting =
        q.state() == dev.integrity.store.IssueFilter.NEW
            || q.state() == dev.integrity.store.IssueFilter.PERSISTING;
    if (newOrPersisting && q.ack() != dev.integrity.store.AckFilter.ALL) {
      return -1;
    }
    long total = 0;
    for (CheckCount c : counts) {
      if (!q.includesEntity(c.entity())
          || (q.check() != null && !q.check().equals(c.check()))
          || (q.severity() != null && !q.severity().equals(c.severity()))) {
        continue;
      }
      long open = c.open();
      long closed =
          switch (q.state()) {
            case RESOLVED -> c.resolved();
            case RETIRED -> c.retired();
            case ALL -> c.resolved() + c.retired();
            case NEW, PERSISTING, OPEN -> 0;
          };
      // Only open issues are ever acknowledged.
      long openPart =
          switch (q.ack()) {
            case ALL -> open;
            case YES -> c.acknowledged();
            case NO -> open - c.acknowledged();
          };
      total +=
          switch (q.state()) {
            case NEW -> c.newCount();
            case PERSISTING -> c.persisting();
            case OPEN -> openPart;
            case ALL, RESOLVED, RETIRED ->
                (q.state() == dev.integrity.store.IssueFilter.ALL ? openPart : 0)
                    + (q.ack() == dev.integrity.store.AckFilter.YES ? 0 : closed);
          };
    }
    return total;
  }

  /** A GET form, so the filters live in the URL and survive paging and reload. */
  private static Views.FilterForm filterForm(
      RunReport run,
      IssueParams params,
      List<CheckCount> counts,
      String base,
      Map<String, String> owners) {
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
    List<Views.Select> selects = new ArrayList<>();
    // The owner filter only where the config served for the run's base names owners.
    List<String> ownerNames = owners.values().stream().distinct().sorted().toList();
    if (!ownerNames.isEmpty()) {
      selects.add(select("Owner", "owner", ownerNames, params.owner(), "all"));
    }
    selects.add(select("Entity", "entity", entities, q.entity(), "all"));
    selects.add(select("Check", "check", checks, q.check(), "all"));
    selects.add(select("Severity", "severity", IssueParams.SEVERITIES, q.severity(), "all"));
    selects.add(select("State", "state", states, q.state().wire(), null));
    selects.add(ackSelect(q.ack()));
    return new Views.FilterForm(base, List.copyOf(selects));
  }

  /** The {@code ack} filter: all (the default), acknowledged or not acknowledged. */
  private static Views.Select ackSelect(dev.integrity.store.AckFilter chosen) {
    return new Views.Select(
        "Acknowledged",
        "ack",
        List.of(
            new Views.Option("", "all", chosen == dev.integrity.store.AckFilter.ALL),
            new Views.Option("yes", "acknowledged", chosen == dev.integrity.store.AckFilter.YES),
            new Views.Option(
                "no", "not acknowledged", chosen == dev.integrity.store.AckFilter.NO)));
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

  /** Status, times, counts and entities; polls itself while the run has not ended. */
  Views.RunSummary runSummary(RunReport run) {
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
              e.durationMs() == null ? "" : Formats.formatMillis(e.durationMs()),
              e.checked(),
              e.checked() ? Long.toString(e.issues()) : "–",
              String.join(", ", e.partialChecks()),
              // The run's error says a shared cause once; the row says only what differs.
              run.entityError(e)));
    }
    String severities =
        run.issues().bySeverity().entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(s -> s.getKey() + " " + s.getValue())
            .collect(Collectors.joining(", "));
    // A run that checked some but not all of its entities says so first: its counts cover only
    // the entities it checked, and nobody should read them as covering the whole base.
    return new Views.RunSummary(
        live ? "/fragments/runs/" + Formats.segment(run.id()) : null,
        live ? "every " + Formats.htmxInterval(refresh) + ", refresh" : null,
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
        run.apiCalls() == null ? "–" : String.format(java.util.Locale.ROOT, "%,d", run.apiCalls()),
        backend.monthlyCalls(run.id()).orElse(null),
        run.issues().total(),
        severities.isEmpty() ? "" : " (" + severities + ")",
        run.issues().newCount(),
        run.issues().resolvedCount(),
        run.issues().retiredCount(),
        run.error(),
        entities,
        run.issues().acknowledged());
  }

  /** A run that ended in error or timeout: the runs table and chart make it stand out. */
  static boolean troubled(RunReport run) {
    return "error".equals(run.status()) || "timeout".equals(run.status());
  }

  /** A run that ended in error, timeout or was cancelled: the chart marks it. */
  static boolean endedEarly(RunReport run) {
    return troubled(run) || "cancelled".equals(run.status());
  }

  /** Whether a run with this status has ended; a status this version does not know counts so. */
  private static boolean terminal(String status) {
    try {
      return RunStatus.parse(status).terminal();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** The run's duration once it has one, else the time it has been running so far, else "". */
  private String runDuration(RunReport run) {
    if (run.durationMs() != null) {
      return Formats.formatMillis(run.durationMs());
    }
    if (run.startedAt() != null && !terminal(run.status())) {
      Duration running = Duration.between(run.startedAt(), clock.instant());
      return "running " + Formats.formatMillis(Math.max(0, running.toMillis()));
    }
    return "";
  }

  /** The newest {@link #RUNS_IN_CHART} runs, oldest first, as the JSON dashboard.js charts. */
  private String chartData(List<RunReport> runs) {
    List<RunReport> recent = new ArrayList<>(runs.subList(0, Math.min(RUNS_IN_CHART, runs.size())));
    java.util.Collections.reverse(recent);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("labels", recent.stream().map(r -> Formats.iso(r.createdAt())).toList());
    data.put("ids", recent.stream().map(RunReport::id).toList());
    data.put(
        "durations",
        recent.stream().map(r -> r.durationMs() == null ? null : r.durationMs() / 1000.0).toList());
    data.put("issues", recent.stream().map(r -> r.issues().total()).toList());
    // Open fail and warn bars leave out the acknowledged issues, which stack apart.
    data.put("fail", recent.stream().map(r -> r.issues().unacknowledgedOf("fail")).toList());
    data.put("warn", recent.stream().map(r -> r.issues().unacknowledgedOf("warn")).toList());
    data.put("acknowledged", recent.stream().map(r -> r.issues().acknowledged()).toList());
    data.put("new", recent.stream().map(r -> r.issues().newCount()).toList());
    data.put("troubled", recent.stream().map(RunViews::troubled).toList());
    // The chart marks each run that ended early: its status, or null.
    data.put("ended", recent.stream().map(r -> endedEarly(r) ? r.status() : null).toList());
    try {
      return mapper.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("chart data of plain lists always serializes", e);
    }
  }
}
