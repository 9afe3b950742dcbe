package dev.integrity.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;
import dev.integrity.common.Texts;
import dev.integrity.cost.MonthlyUse;
import dev.integrity.model.CheckCount;
import dev.integrity.run.RunReport;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders runs for people (text) and scripts (JSON). Stateless. */
final class Reports {
  private static final ObjectMapper JSON = JsonMapper.indented();
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Reports() {}

  static void json(PrintStream out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void print(PrintStream out, RunReport r, Format format) {
    print(out, r, format, null);
  }

  /**
   * As {@link #print(PrintStream, RunReport, Format)}; the text also puts the run's API calls
   * against its base's month ({@code month}: null when unknown).
   */
  static void print(PrintStream out, RunReport r, Format format, MonthlyUse month) {
    if (format == Format.JSON) {
      json(out, r);
      return;
    }
    out.printf(
        "Run %s %s%s (trigger %s%s%s)%n",
        r.id(),
        r.status(),
        r.durationMs() == null ? "" : " in " + seconds(r.durationMs()),
        r.trigger(),
        r.schedule() == null ? "" : ", schedule " + r.schedule(),
        "incremental".equals(r.mode()) ? ", incremental" : "");
    if (r.modeReason() != null) {
      out.printf("Full scan instead of incremental: %s%n", r.modeReason());
    }
    if (r.entities() != null && !r.entities().isEmpty()) {
      out.printf(
          "  %-16s %-20s %-9s %9s %6s %9s %-7s %7s%n",
          "ENTITY", "TABLE", "STATUS", "RECORDS", "PAGES", "TIME", "CHECKED", "ISSUES");
      for (RunReport.EntityReport e : r.entities()) {
        out.printf(
            "  %-16s %-20s %-9s %,9d %6d %9s %-7s %7s%s%s%n",
            e.name(),
            e.table(),
            e.status(),
            e.records(),
            e.pages(),
            e.durationMs() == null ? "-" : seconds(e.durationMs()),
            e.checked() ? "yes" : "no",
            e.checked() ? String.format("%,d", e.issues()) : "-",
            // The run's error (below) says a shared cause once; a row says only what differs.
            r.entityError(e) == null ? "" : "  " + r.entityError(e),
            // Their earlier issues are kept open, neither new nor resolved.
            e.partialChecks().isEmpty()
                ? ""
                : "  not run whole (earlier issues kept open): "
                    + String.join(", ", e.partialChecks()));
      }
    }
    // A partial run says so before its counts, which cover only the checked entities.
    // An ERROR run's own message often says the same ("checked 3 of 4 entities; …"): said once.
    String partial = r.partial().orElse(null);
    boolean errorSaysPartial =
        partial != null
            && r.error() != null
            && r.error().contains(partial.substring(0, partial.indexOf(" entities")));
    if (partial != null && (!errorSaysPartial || r.error().equals(partial))) {
      out.printf("Partial: %s%n", partial);
    }
    out.printf("Issues: %s%n", issues(r.issues()));
    if (r.apiCalls() != null || month != null) {
      out.printf(
          "API calls: %s this run%s%n",
          r.apiCalls() == null ? "-" : String.format("%,d", r.apiCalls()),
          month == null ? "" : "; base " + month.baseId() + ": " + month.text());
    }
    if (r.error() != null && !r.error().equals(partial)) {
      out.printf("Error: %s%n", r.error());
    }
  }

  static String issues(RunReport.Issues i) {
    String severities =
        i.bySeverity().entrySet().stream()
            .map(e -> e.getKey() + " " + String.format("%,d", e.getValue()))
            .collect(Collectors.joining(", "));
    return String.format("%,d", i.total())
        + (severities.isEmpty() ? "" : " (" + severities + ")")
        + String.format("; new %,d, resolved %,d", i.newCount(), i.resolvedCount())
        + (i.retiredCount() == 0 ? "" : String.format(", retired %,d", i.retiredCount()))
        + (i.acknowledged() == 0 ? "" : String.format("; acknowledged %,d", i.acknowledged()));
  }

  static void list(PrintStream out, List<RunReport> runs, Format format) {
    if (format == Format.JSON) {
      json(out, runs);
      return;
    }
    if (runs.isEmpty()) {
      out.println("No runs.");
      return;
    }
    out.printf(
        "%-30s %-10s %-9s %-11s %-19s %9s %8s %6s %8s  %s%n",
        "ID",
        "STATUS",
        "TRIGGER",
        "MODE",
        "CREATED",
        "DURATION",
        "ISSUES",
        "NEW",
        "RESOLVED",
        "ERROR");
    for (RunReport r : runs) {
      out.printf(
          "%-30s %-10s %-9s %-11s %-19s %9s %,8d %,6d %,8d  %s%n",
          r.id(),
          r.status(),
          r.trigger(),
          r.mode() == null ? "-" : r.mode(),
          r.createdAt() == null ? "-" : WHEN.format(r.createdAt()),
          r.durationMs() == null ? "-" : seconds(r.durationMs()),
          r.issues().total(),
          r.issues().newCount(),
          r.issues().resolvedCount(),
          r.error() == null ? "" : Texts.shorten(r.error(), 80));
    }
  }

  /**
   * The run's issues per entity and check: open (new and persisting), of which new, and resolved;
   * retired ones only when there are any. Nothing when the run has no issues at all.
   */
  static void checks(PrintStream out, List<CheckCount> rows) {
    if (rows.isEmpty()) {
      return;
    }
    boolean retired = rows.stream().anyMatch(c -> c.retired() > 0);
    out.println();
    out.printf(
        "  %-16s %-34s %-5s %7s %6s %8s%s%n",
        "ENTITY", "CHECK", "SEV", "COUNT", "NEW", "RESOLVED", retired ? "  RETIRED" : "");
    for (CheckCount c : rows) {
      out.printf(
          "  %-16s %-34s %-5s %,7d %,6d %,8d%s%n",
          c.entity(),
          c.check(),
          c.severity(),
          c.open(),
          c.newCount(),
          c.resolved(),
          retired ? String.format("  %,7d", c.retired()) : "");
    }
  }

  /**
   * The entries of {@code byKey}, whose keys start with an entity name and a tab, with the entities
   * in {@code entities}' order (the config's); entries of one entity keep their order.
   */
  static <V> Map<String, V> byEntity(Map<String, V> byKey, List<String> entities) {
    Map<String, V> ordered = new LinkedHashMap<>();
    byKey.entrySet().stream()
        .sorted(
            Comparator.comparingInt(
                e ->
                    entities.indexOf(
                        e.getKey().substring(0, e.getKey().indexOf('\t') + 1).strip())))
        .forEach(e -> ordered.put(e.getKey(), e.getValue()));
    return ordered;
  }

  static String seconds(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }
}
