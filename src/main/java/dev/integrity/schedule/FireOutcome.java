package dev.integrity.schedule;

import java.util.Objects;

/**
 * What a schedule's fire led to: a started run or a skip with its reason. Immutable and
 * thread-safe.
 */
public sealed interface FireOutcome {
  /** The fire created run {@code runId}, which now goes on asynchronously. */
  record Started(String runId) implements FireOutcome {
    public Started {
      Objects.requireNonNull(runId, "runId");
    }
  }

  /**
   * The fire started nothing; {@code reason} says why (for the API and logs) and {@code
   * activeRunId} names the run that blocked it, or is null when none did.
   */
  record Skipped(String reason, String activeRunId) implements FireOutcome {
    public Skipped {
      Objects.requireNonNull(reason, "reason");
    }

    /** The usual skip: the base already has a queued or running run. */
    public static Skipped activeRun(String baseId, String activeRunId) {
      return new Skipped(
          "base " + baseId + " already has an active run (" + activeRunId + ")", activeRunId);
    }
  }
}
