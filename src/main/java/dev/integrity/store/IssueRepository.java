package dev.integrity.store;

import java.util.List;
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
   * it ({@link RunRepository#lastChecked}): fingerprints seen there (and not resolved) become
   * {@code persisting}, the rest stay {@code new}, and that run's open issues absent now are copied
   * into this run as {@code resolved}. Without such a run everything is {@code new}. Idempotent.
   */
  void computeStates(String runId, String baseId, List<String> entities);

  IssueSummary summary(String runId);

  /** A page of the run's issues in the order they were written. */
  List<IssueRow> list(String runId, IssueFilter filter, int limit, int offset);

  /** Streams the run's issues without holding them all in memory. */
  void forEach(String runId, IssueFilter filter, Consumer<IssueRow> consumer);
}
