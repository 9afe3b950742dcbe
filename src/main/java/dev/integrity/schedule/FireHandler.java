package dev.integrity.schedule;

import dev.integrity.model.RunMode;
import java.time.Instant;
import java.util.List;

/**
 * Starts the run a schedule's fire asks for. Called on a db-scheduler worker thread, at most once
 * per fire across all instances sharing the database; implementations must be thread-safe.
 */
@FunctionalInterface
public interface FireHandler {
  /**
   * Starts a run (asynchronously) or reports why it was skipped; must not block for the run: the
   * schedule service waits on {@link FireOutcome.Started#ended()} itself.
   *
   * @param entities the entities to run; empty means all of the base's
   * @param mode the mode stored with the schedule: a full scan or an incremental run
   */
  FireOutcome fire(String scheduleName, String baseId, List<String> entities, RunMode mode);

  /**
   * A fire time of the schedule passed without a fire of its own, because its previous fire was
   * still waiting for a worker or still running its run; {@code reason} says which. Counts as a
   * skipped fire. Does nothing by default.
   */
  default void passed(String scheduleName, String baseId, Instant at, String reason) {}
}
