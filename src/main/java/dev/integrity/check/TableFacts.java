package dev.integrity.check;

import java.time.Instant;
import java.util.List;

/**
 * What the checks of a whole table ({@code volume}, {@code freshness}) need besides the records,
 * handed in by the run rather than read from a clock or the store inside the engine. Immutable and
 * thread-safe.
 *
 * @param runStart the run's start by its injected clock, or null when unknown (freshness is then
 *     not judged, and its earlier issue stays open)
 * @param earlierCounts the entity's record counts in the earlier runs that checked it, newest first
 *     (at least the last 14, for {@code anomaly}); null when unknown (the store could not say), so
 *     that the parts of {@code volume} that compare with them are not judged
 */
public record TableFacts(Instant runStart, List<Long> earlierCounts) {
  /** How many earlier counts {@code anomaly} looks at. */
  public static final int ANOMALY_RUNS = 14;

  /** With fewer earlier counts than this, {@code anomaly} is not applied. */
  public static final int ANOMALY_MIN_RUNS = 5;

  public TableFacts {
    earlierCounts = earlierCounts == null ? null : List.copyOf(earlierCounts);
  }

  /** Nothing known: no table check can be judged (evaluations outside a run). */
  public static TableFacts unknown() {
    return new TableFacts(null, null);
  }
}
