package dev.integrity.run;

import dev.integrity.check.CheckEngine;
import dev.integrity.check.TableFacts;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.IssueRow;
import dev.integrity.store.EntityCount;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one entity of a run and returns its issues, stopping as soon as the run ends; then, in
 * {@link #store}, writes them and compares them with the last run that checked the entity. The
 * check runs outside the run's commit lock (it is CPU work); only the store step runs under it.
 * Thread-safe: several entities are checked at once.
 */
final class EntityChecker {
  private static final Logger log = LoggerFactory.getLogger(EntityChecker.class);

  private final String runId;
  private final String baseId;
  private final CheckEngine checks;
  private final Store store;
  private final Instant runStart;

  /**
   * @param runStart the run's start by its injected clock, what freshness measures ages at
   */
  EntityChecker(String runId, String baseId, CheckEngine checks, Store store, Instant runStart) {
    this.runId = runId;
    this.baseId = baseId;
    this.checks = checks;
    this.store = store;
    this.runStart = runStart;
  }

  /**
   * What checking an entity gave: its issues, and what the checks covered (which parts could not
   * run without a link target).
   */
  record Checked(List<IssueRow> issues, EntityCoverage coverage) {}

  /**
   * Every issue of the entity; link targets are the record ids of the entities fetched in this run
   * (an absent key: the target was not fetched, so link checks count only).
   *
   * @throws RunEndedException when {@code ended} turns true meanwhile
   */
  Checked check(
      String entity,
      String tableId,
      List<AirtableRecord> records,
      Map<String, Set<String>> recordIdsByEntity,
      BooleanSupplier ended) {
    List<IssueRow> issues = new ArrayList<>();
    EntityCoverage coverage =
        checks.evaluate(
            entity,
            records,
            recordIdsByEntity,
            new TableFacts(runStart, earlierCounts(entity)),
            issue -> {
              if (ended.getAsBoolean()) {
                throw new RunEndedException();
              }
              issues.add(
                  new IssueRow(
                      runId,
                      issue.entity(),
                      issue.recordId(),
                      issue.checkId(),
                      issue.field(),
                      issue.severity().wire(),
                      issue.message(),
                      recordUrl(baseId, tableId, issue.recordId()),
                      IssueRow.NEW,
                      null,
                      issue.value()));
            });
    return new Checked(issues, coverage);
  }

  /**
   * Writes the entity's issues and sets their states (new, persisting, resolved, retired), keeping
   * open the earlier issues of the parts that did not run.
   *
   * @return the entity's open issues in this run: those found and those kept open
   */
  long store(String entity, Checked checked) {
    try (IssueWriter writer = store.issues().writer(runId)) {
      // The table's own issues (volume, freshness: no record id) first, so that listings in the
      // order of writing show them above the entity's record issues.
      checked.issues().stream().filter(i -> i.recordId().isEmpty()).forEach(writer::add);
      checked.issues().stream().filter(i -> !i.recordId().isEmpty()).forEach(writer::add);
    }
    return store
        .issues()
        .computeStates(runId, baseId, List.of(checked.coverage()))
        .getOrDefault(entity, (long) checked.issues().size());
  }

  /**
   * The entity's record counts in the earlier runs that checked it, newest first, for {@code
   * volume}; null when the store cannot say, so that volume's comparisons are not judged (and its
   * earlier issue stays open) rather than judged against no history.
   */
  private List<Long> earlierCounts(String entity) {
    if (!checks.comparesWithEarlierCounts(entity)) {
      return List.of(); // nothing reads them: no query
    }
    try {
      return store.runs().checkedCounts(baseId, entity, runId, TableFacts.ANOMALY_RUNS + 1).stream()
          .filter(c -> !c.runId().equals(runId))
          .limit(TableFacts.ANOMALY_RUNS)
          .map(EntityCount::records)
          .toList();
    } catch (RuntimeException e) {
      log.warn(
          "run {}: could not read the earlier record counts of {}; volume is not judged: {}",
          runId,
          entity,
          e.toString());
      return null;
    }
  }

  /** A record's link; a table-level issue (empty record id) links to the table. */
  static String recordUrl(String baseId, String tableId, String recordId) {
    String table = "https://airtable.com/" + baseId + "/" + tableId;
    return recordId == null || recordId.isEmpty() ? table : table + "/" + recordId;
  }

  /** Thrown into the check engine to stop evaluating once the run has ended. */
  static final class RunEndedException extends RuntimeException {
    RunEndedException() {
      super("run ended while checking", null, false, false);
    }
  }
}
