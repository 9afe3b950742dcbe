package dev.integrity.model;

import java.util.Map;

/**
 * Counts of a run's issues: {@code total} and {@code bySeverity} count open issues (new and
 * persisting), {@code newCount} and {@code newBySeverity} the new ones, {@code resolvedCount} those
 * found fine since the previous run, {@code retiredCount} those whose check left the config. The
 * maps hold only severities with a count above zero. Immutable and thread-safe.
 */
public record IssueSummary(
    long total,
    Map<String, Long> bySeverity,
    long newCount,
    long resolvedCount,
    long retiredCount,
    Map<String, Long> newBySeverity) {
  public IssueSummary {
    bySeverity = Map.copyOf(bySeverity);
    newBySeverity = Map.copyOf(newBySeverity);
  }

  /** Counts without retired issues. */
  public IssueSummary(
      long total,
      Map<String, Long> bySeverity,
      long newCount,
      long resolvedCount,
      Map<String, Long> newBySeverity) {
    this(total, bySeverity, newCount, resolvedCount, 0, newBySeverity);
  }

  /** The new issues of that severity, e.g. {@code "fail"}; 0 when there are none. */
  public long newOf(String severity) {
    return newBySeverity.getOrDefault(severity, 0L);
  }
}
