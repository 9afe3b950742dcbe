package dev.integrity.store;

import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Issues per run and their history against the previous run that covered the same entity.
 * Implementations are thread-safe; the writers they hand out are not.
 */
public interface IssueRepository {
  /** A batching writer for the run's issues (1,000 rows per batch). */
  IssueWriter writer(String runId);

  /** A batching writer with its own batch size. */
  IssueWriter writer(String runId, int batchSize);

  /**
   * For each entity, compares this run's issues with those of the last run of the base that checked
   * it ({@link RunRepository#lastChecked}): fingerprints open there become {@code persisting}, the
   * rest stay {@code new}. That run's open issues absent now are copied into this run: {@code
   * retired} when their check is not among the entity's configured checks; kept open ({@code
   * persisting}, as they were) when a part of their check did not run ({@link
   * EntityCoverage#notEvaluated}), so they count neither as new nor as resolved; else {@code
   * resolved}. Without such a run everything is {@code new}. A persisting, resolved or retired
   * issue keeps the previous run's first-seen time; a new one is first seen at this run's start.
   * Also records the run's counts per check for {@link #history}. Idempotent.
   *
   * @return each entity's open issues in this run (found and kept open), in the given order
   */
  Map<String, Long> computeStates(String runId, String baseId, List<EntityCoverage> coverage);

  IssueSummary summary(String runId);

  /**
   * One row per (entity, check, severity) of the run, ordered by entity, check, severity; an SQL
   * aggregate, so it is cheap whatever the number of issues.
   */
  List<CheckCount> checkCounts(String runId);

  /**
   * For each (entity, check) of the run, its open issues in each of the base's last {@code runs}
   * finished runs up to and including this one (oldest first).
   */
  List<CheckHistory> history(String runId, int runs);

  /** A page of the run's issues in the order they were written. */
  default List<IssueRow> list(String runId, IssueFilter filter, int limit, int offset) {
    return list(runId, IssueQuery.of(filter), limit, offset);
  }

  /**
   * The run's issues of whole tables ({@code volume}, {@code freshness}: an empty record id), at
   * most {@code limit}, in the order they were written; every state.
   */
  List<IssueRow> tableIssues(String runId, int limit);

  /** A page of one slice of the run's issues in the order they were written. */
  List<IssueRow> list(String runId, IssueQuery query, int limit, int offset);

  /** How many of the run's issues a slice holds: one SQL count. */
  long count(String runId, IssueQuery query);

  /** Streams the run's issues without holding them all in memory. */
  default void forEach(String runId, IssueFilter filter, Consumer<IssueRow> consumer) {
    forEach(runId, IssueQuery.of(filter), consumer);
  }

  /** Streams one slice of the run's issues in the order they were written. */
  void forEach(String runId, IssueQuery query, Consumer<IssueRow> consumer);
}
