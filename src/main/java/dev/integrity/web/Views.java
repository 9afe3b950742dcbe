package dev.integrity.web;

import java.time.Instant;
import java.util.List;

/**
 * The view models the dashboard's templates (src/main/jte) render: plain values, already formatted,
 * with no markup in them. The templates escape every value they print (JTE's HTML mode), so text
 * from Airtable can sit in any field here.
 */
final class Views {
  private Views() {}

  /** A link of the runs page's status filter. */
  record Filter(String href, String label, boolean current) {}

  record RunsPage(
      List<Filter> filters,
      List<String> bases,
      boolean tokenRequired,
      int chartRuns,
      RunsSection section,
      List<String> costWarnings) {}

  /** The polled part of the runs page: the table plus the chart's data (JSON). */
  record RunsSection(String url, String interval, String chartJson, List<RunRow> rows) {}

  // A "Mode" column (full|incremental) goes after "Trigger" once runs carry a mode: one field here,
  // one <th> and one <td> in runs_section.jte.
  record RunRow(
      String id,
      String href,
      boolean troubled,
      String status,
      String trigger,
      String mode,
      String modeTitle,
      String instance,
      Instant createdAt,
      String duration,
      long issues,
      long newCount,
      long resolved,
      long retired,
      String error) {}

  /** The base a run checked, and the config file that names it when this service knows it. */
  record RunBase(String id, String config) {}

  record RunPage(
      String id,
      RunBase base,
      Cancel cancel,
      SummaryTable summary,
      TablesSection tables,
      RunSummary run,
      FilterForm filters,
      String csvUrl,
      List<IssueLine> issues,
      Paging paging) {}

  /** The cancel button of a run that has not ended; null once it has. */
  record Cancel(String url, boolean tokenRequired) {}

  record SummaryTable(int runs, List<SummaryLine> rows) {}

  record SummaryLine(
      String entity,
      String check,
      String severity,
      String href,
      long count,
      long newCount,
      long resolved,
      long retired,
      Spark spark,
      boolean selected) {}

  /**
   * Each entity of a run as a table: its record count over the last {@code runs} runs that checked
   * it, and its table-level issues (volume, freshness), shown above the record issues.
   */
  record TablesSection(int runs, List<TableLine> rows) {}

  /** {@code records} is "–" when this run did not check the entity. */
  record TableLine(
      String entity, String table, String records, Spark spark, List<IssueLine> issues) {}

  /** A sparkline's geometry (see {@link Sparkline}); null when there is nothing to draw. */
  record Spark(
      int width, int height, int runs, String title, String points, String lastX, String lastY) {}

  record FilterForm(String action, List<Select> selects) {}

  record Select(String label, String name, List<Option> options) {}

  record Option(String value, String label, boolean selected) {}

  record IssueLine(
      String entity,
      String recordId,
      String url,
      String check,
      String field,
      String severity,
      String state,
      Instant firstSeenAt,
      String ageLabel,
      String age,
      String message) {}

  /**
   * Previous/next links (null when there is none), the 1-based range shown (null if empty) and what
   * the pager says: "1–50 of 364", "0 of 364" past the end, null for an empty slice.
   */
  record Paging(String prev, Long from, Long to, long total, String next) {
    String range() {
      if (total == 0 && from == null) {
        return null;
      }
      return from == null
          ? "0 of " + String.format(java.util.Locale.ROOT, "%,d", total)
          : String.format(java.util.Locale.ROOT, "%,d–%,d of %,d", from, to, total);
    }
  }

  /** Status, times, counts and entities of a run; pollUrl is null once the run has ended. */
  record RunSummary(
      String pollUrl,
      String pollTrigger,
      String partial,
      String status,
      String trigger,
      String schedule,
      String mode,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String duration,
      String apiCalls,
      String monthlyCalls,
      long total,
      String severities,
      long newCount,
      long resolved,
      long retired,
      String error,
      List<EntityLine> entities,
      long acknowledged) {

    /**
     * The run has ended without checking any entity (a wrong token, an unreachable base): its page
     * says so and why, never "no issues", which would read as a clean night.
     */
    boolean endedUnchecked() {
      return finishedAt != null && entities.stream().noneMatch(EntityLine::checked);
    }
  }

  record EntityLine(
      String name,
      String table,
      String status,
      long records,
      long pages,
      String duration,
      boolean checked,
      String issues,
      String partialChecks,
      String error) {}

  record SchedulesPage(List<ScheduleLine> rows, List<String> costWarnings) {}

  record ScheduleLine(
      String name,
      String baseId,
      String cron,
      String timezone,
      String entities,
      boolean enabled,
      Instant nextFireAt,
      String lastRunId,
      String lastRunHref,
      String lastRunStatus,
      boolean skipsWarn,
      int consecutiveSkips,
      String lastFireOutcome,
      Instant lastFireAt,
      String lastFireReason) {}

  record AlertsPage(List<AlertLine> rows) {}

  record AlertLine(
      Instant openedAt,
      String state,
      String kind,
      String baseId,
      String runId,
      String runHref,
      String schedule,
      String message,
      Instant resolvedAt) {}

  record ErrorPage(int status, String message) {}
}
