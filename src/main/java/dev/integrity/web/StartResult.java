package dev.integrity.web;

import dev.integrity.run.RunReport;
import java.util.Objects;

/** The outcome of asking the service to start a run. Immutable and thread-safe. */
public sealed interface StartResult {
  /** The run was created (queued or already running). */
  record Started(RunReport run) implements StartResult {
    public Started {
      Objects.requireNonNull(run, "run");
    }
  }

  /** Not started: the base already has an active run. */
  record Busy(String activeRunId) implements StartResult {}

  /** Not started: the request names an unknown entity or base, or no base when several run. */
  record BadRequest(String message) implements StartResult {
    public BadRequest {
      Objects.requireNonNull(message, "message");
    }
  }
}
