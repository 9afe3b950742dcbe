package dev.integrity.run;

import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;

/**
 * Observes runs for progress displays and alerts; called from run threads, so implementations must
 * be thread-safe and must not throw or block.
 */
public interface RunListener {
  /** A run was created, queued, with the entities it will check. */
  default void onRunSubmitted(RunRecord run) {}

  default void onEntityProgress(String runId, EntityProgress progress) {}

  default void onRunEnded(RunRecord run) {}

  static RunListener none() {
    return new RunListener() {};
  }
}
