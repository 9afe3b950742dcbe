package dev.integrity.model;

import java.util.Map;

/**
 * Counts of a run's issues: {@code total} and {@code bySeverity} count open issues (new and
 * persisting), {@code newCount} and {@code newBySeverity} the new ones, {@code resolvedCount} those
 * found fine since the previous run, {@code retiredCount} those whose check left the config. The
 * maps hold only severities with a count above zero. {@code acknowledged} counts the open issues an
 * acknowledgement covers (they count in {@code total} too), {@code alertingBySeverity} the open
 * unacknowledged issues that alert: new ones, and those whose acknowledgement expired since the
 * previous run. Immutable and thread-safe.
 */
public record IssueSummary(
    long total,
    Map<String, Long> bySeverity,
    long newCount,
    long resolvedCount,
    long retiredCount,
    Map<String, Long> newBySeverity,
    long acknowledged,
    Map<String, Long> acknowledgedBySeverity,
    Map<String, Long> alertingBySeverity) {
  public IssueSummary {
    bySeverity = Map.copyOf(bySeverity);
    newBySeverity = Map.copyOf(newBySeverity);
    acknowledgedBySeverity = Map.copyOf(acknowledgedBySeverity);
    alertingBySeverity = Map.copyOf(alertingBySeverity);
  }

  /** Counts without acknowledgements: every new issue alerts. */
  public IssueSummary(
      long total,
      Map<String, Long> bySeverity,
      long newCount,
      long resolvedCount,
      long retiredCount,
      Map<String, Long> newBySeverity) {
    this(
        total,
        bySeverity,
        newCount,
        resolvedCount,
        retiredCount,
        newBySeverity,
        0,
        Map.of(),
        newBySeverity);
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

  /** The open issues of that severity no acknowledgement covers. */
  public long unacknowledgedOf(String severity) {
    return bySeverity.getOrDefault(severity, 0L)
        - acknowledgedBySeverity.getOrDefault(severity, 0L);
  }

  /** The open unacknowledged issues of that severity that alert (new, or acknowledged no more). */
  public long alertingOf(String severity) {
    return alertingBySeverity.getOrDefault(severity, 0L);
  }
}
