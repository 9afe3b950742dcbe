package dev.integrity.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.integrity.store.EntityProgress;
import dev.integrity.store.IssueSummary;
import dev.integrity.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as the contract shows it (CLI JSON, REST API): field names and order are the contract's.
 * Immutable.
 */
public record RunReport(
    String id,
    String status,
    String trigger,
    String schedule,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    String error,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<EntityReport> entities,
    Issues issues) {

  /** One entity of a run. */
  public record EntityReport(
      String name,
      String table,
      String status,
      long records,
      int pages,
      Long durationMs,
      String error) {}

  /** Issue counts; {@code new} and {@code resolved} compare with the last succeeded run. */
  public record Issues(
      long total,
      Map<String, Long> bySeverity,
      @JsonProperty("new") long newCount,
      @JsonProperty("resolved") long resolvedCount) {}

  /** The report with entities ({@code runs show}, {@code run}, {@code GET /api/runs/{id}}). */
  public static RunReport of(RunRecord run, List<EntityProgress> entities, IssueSummary issues) {
    return build(run, entities.stream().map(RunReport::entity).toList(), issues);
  }

  /** The report without entities ({@code runs list}, {@code GET /api/runs}). */
  public static RunReport summary(RunRecord run, IssueSummary issues) {
    return build(run, null, issues);
  }

  private static RunReport build(RunRecord run, List<EntityReport> entities, IssueSummary s) {
    Long duration =
        run.startedAt() != null && run.finishedAt() != null
            ? Duration.between(run.startedAt(), run.finishedAt()).toMillis()
            : null;
    Issues issues =
        s == null
            ? new Issues(0, Map.of(), 0, 0)
            : new Issues(s.total(), s.bySeverity(), s.newCount(), s.resolvedCount());
    return new RunReport(
        run.id(),
        run.status().wire(),
        run.trigger().wire(),
        run.schedule(),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        duration,
        run.error(),
        entities,
        issues);
  }

  private static EntityReport entity(EntityProgress p) {
    return new EntityReport(
        p.name(), p.table(), p.status().wire(), p.records(), p.pages(), p.durationMs(), p.error());
  }

  /** Issues of severity {@code fail}, for the exit code. */
  public long failIssues() {
    return issues.bySeverity().getOrDefault("fail", 0L);
  }
}
