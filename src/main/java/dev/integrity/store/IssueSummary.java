package dev.integrity.store;

import java.util.Map;

/**
 * Counts of a run's issues: {@code total} and {@code bySeverity} count open issues (new and
 * persisting), {@code newCount} the new ones, {@code resolvedCount} those gone since the previous
 * run. Immutable and thread-safe.
 */
public record IssueSummary(
    long total, Map<String, Long> bySeverity, long newCount, long resolvedCount) {
  public IssueSummary {
    bySeverity = Map.copyOf(bySeverity);
  }
}
