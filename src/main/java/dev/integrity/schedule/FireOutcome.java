package dev.integrity.schedule;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a schedule's fire led to: a started run or a skip with its reason. Immutable and
 * thread-safe.
 */
public sealed interface FireOutcome {
  /**
   * The fire created run {@code runId}, which goes on asynchronously; {@code ended} completes when
   * it has ended. The fire holds its db-scheduler worker until then (bounded), so that a worker is
   * the unit of work: an instance takes no more runs than it has workers, and the others take the
   * rest.
   */
  record Started(String runId, CompletionStage<?> ended) implements FireOutcome {
    public Started {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(ended, "ended");
    }

    /** A run the handler does not follow (it ended already, or another part waits for it). */
    public Started(String runId) {
      this(runId, CompletableFuture.completedFuture(null));
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
