package dev.integrity.run;

import dev.integrity.check.CheckEngine;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.IssueRow;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Checks one entity of a run and returns its issues, stopping as soon as the run ends; then, in
 * {@link #store}, writes them and compares them with the last run that checked the entity. The
 * check runs outside the run's commit lock (it is CPU work); only the store step runs under it.
 * Thread-safe: several entities are checked at once.
 */
final class EntityChecker {
  private final String runId;
  private final String baseId;
  private final CheckEngine checks;
  private final Store store;

  EntityChecker(String runId, String baseId, CheckEngine checks, Store store) {
    this.runId = runId;
    this.baseId = baseId;
    this.checks = checks;
    this.store = store;
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
                      IssueRow.NEW));
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
      checked.issues().forEach(writer::add);
    }
    return store
        .issues()
        .computeStates(runId, baseId, List.of(checked.coverage()))
        .getOrDefault(entity, (long) checked.issues().size());
  }

  static String recordUrl(String baseId, String tableId, String recordId) {
    return "https://airtable.com/" + baseId + "/" + tableId + "/" + recordId;
  }

  /** Thrown into the check engine to stop evaluating once the run has ended. */
  static final class RunEndedException extends RuntimeException {
    RunEndedException() {
      super("run ended while checking", null, false, false);
    }
  }
}
