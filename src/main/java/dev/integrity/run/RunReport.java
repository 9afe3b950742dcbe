package dev.integrity.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * A run as the contract shows it (CLI JSON, REST API): field names and order are the contract's.
 * Immutable.
 */
public record RunReport(
    String id,
    String status,
    String trigger,
    String schedule,
    String mode,
    @JsonInclude(JsonInclude.Include.NON_NULL) String modeReason,
    String instance,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Long durationMs,
    Long apiCalls,
    String error,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<EntityReport> entities,
    Issues issues) {

  /**
   * Marks the log line of a run's ending that says what its report's {@code error} says: a command
   * that prints the report where the same person reads its logs may leave the line off its console.
   */
  public static final Marker ENDING = MarkerFactory.getMarker("run-ending");

  /** A report whose API calls are not known. */
  public RunReport(
      String id,
      String status,
      String trigger,
      String schedule,
      String mode,
      String modeReason,
      String instance,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      Long durationMs,
      String error,
      List<EntityReport> entities,
      Issues issues) {
    this(
        id,
        status,
        trigger,
        schedule,
        mode,
        modeReason,
        instance,
        createdAt,
        startedAt,
        finishedAt,
        durationMs,
        null,
        error,
        entities,
        issues);
  }

  /**
   * One entity of a run.
   *
   * @param checked whether the run checked it (its issues count in the run's)
   * @param issues its open issues in this run
   * @param partialChecks the ids of its checks that did not run whole (a link whose target was not
   *     fetched checks only its counts); their earlier issues stay open
   */
  public record EntityReport(
      String name,
      String table,
      String status,
      long records,
      int pages,
      Long durationMs,
      String error,
      boolean checked,
      long issues,
      List<String> partialChecks) {}

  /**
   * Issue counts over the checked entities: {@code total} and {@code bySeverity} the open ones;
   * {@code new}, {@code resolved} and {@code retired} compare each with the last run that checked
   * it; {@code acknowledged} the open ones an acknowledgement covers (counted in {@code total} too)
   * and {@code acknowledgedBySeverity} the same by severity.
   */
  public record Issues(
      long total,
      Map<String, Long> bySeverity,
      @JsonProperty("new") long newCount,
      @JsonProperty("resolved") long resolvedCount,
      @JsonProperty("retired") long retiredCount,
      long acknowledged,
      Map<String, Long> acknowledgedBySeverity) {
    /** Counts with nothing acknowledged. */
    public Issues(
        long total,
        Map<String, Long> bySeverity,
        long newCount,
        long resolvedCount,
        long retiredCount) {
      this(total, bySeverity, newCount, resolvedCount, retiredCount, 0, Map.of());
    }

    /** The open issues of a severity that no acknowledgement covers. */
    public long unacknowledgedOf(String severity) {
      return bySeverity.getOrDefault(severity, 0L)
          - acknowledgedBySeverity.getOrDefault(severity, 0L);
    }
  }

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
            ? new Issues(0, Map.of(), 0, 0, 0)
            : new Issues(
                s.total(),
                s.bySeverity(),
                s.newCount(),
                s.resolvedCount(),
                s.retiredCount(),
                s.acknowledged(),
                s.acknowledgedBySeverity());
    return new RunReport(
        run.id(),
        run.status().wire(),
        run.trigger().wire(),
        run.schedule(),
        run.mode().wire(),
        run.modeReason(),
        instance(run.owner()),
        run.createdAt(),
        run.startedAt(),
        run.finishedAt(),
        duration,
        run.apiCalls(),
        run.error(),
        entities,
        issues);
  }

  /**
   * The instance that ran a run, {@code host:pid}, from its owner id ({@code host/pid/nonce}, the
   * nonce telling apart two processes that reused a pid); an owner id of another form as it is.
   */
  public static String instance(String owner) {
    if (owner == null) {
      return null;
    }
    String[] parts = owner.split("/", -1);
    return parts.length == 3 ? parts[0] + ":" + parts[1] : owner;
  }

  private static EntityReport entity(EntityProgress p) {
    return new EntityReport(
        p.name(),
        p.table(),
        p.status().wire(),
        p.records(),
        p.pages(),
        p.durationMs(),
        p.error(),
        p.checked(),
        p.issues(),
        p.partialChecks());
  }

  /**
   * For an ended run that did not check every entity: "checked 3 of 4 entities; students: error: …"
   * (one part per unchecked entity); empty for a complete or still running run, or without
   * entities.
   */
  public java.util.Optional<String> partial() {
    long checked = entities == null ? 0 : entities.stream().filter(EntityReport::checked).count();
    // Nothing checked is no partial result (the error says what happened); all checked is whole.
    if (checked == 0
        || checked == entities.size()
        || List.of("queued", "running").contains(status)) {
      return java.util.Optional.empty();
    }
    StringBuilder out =
        new StringBuilder("checked ")
            .append(checked)
            .append(" of ")
            .append(entities.size())
            .append(" entities");
    for (EntityReport e : entities) {
      if (!e.checked()) {
        out.append("; ").append(e.name()).append(": ").append(e.status());
        if (e.error() != null) {
          out.append(": ").append(e.error());
        }
      }
    }
    return java.util.Optional.of(out.toString());
  }

  /**
   * What an entity's error says beside the run's: a failure said once. When the run's error already
   * says it (a wrong token fails the schema read, and every entity is "not started: " + that), only
   * what differs is left ("not started"); an error the run's own error quotes whole leaves nothing
   * (null). Without a run error, the entity's error as it is.
   */
  public String entityError(EntityReport e) {
    return entityError(e.error(), error);
  }

  /** As {@link #entityError(EntityReport)}, for the two texts. */
  public static String entityError(String entityError, String runError) {
    if (entityError == null || runError == null || runError.isBlank()) {
      return entityError;
    }
    if (runError.contains(entityError)) {
      return null;
    }
    int at = entityError.indexOf(runError);
    if (at < 0) {
      return entityError;
    }
    String rest =
        (entityError.substring(0, at) + entityError.substring(at + runError.length())).strip();
    while (!rest.isEmpty() && ":;,(".indexOf(rest.charAt(rest.length() - 1)) >= 0) {
      rest = rest.substring(0, rest.length() - 1).strip();
    }
    return rest.isEmpty() ? null : rest;
  }

  /** Open issues of severity {@code fail} that no acknowledgement covers, for the exit code. */
  public long failIssues() {
    return issues.unacknowledgedOf("fail");
  }
}
