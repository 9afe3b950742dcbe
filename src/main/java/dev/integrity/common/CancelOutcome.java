package dev.integrity.common;

/**
 * What asking a run to stop achieved: the one type the store, the run engine, the API and the CLI
 * all answer with. Switch on it exhaustively.
 */
public enum CancelOutcome {
  /** The run was queued (or active in this process) and is now {@code cancelled}. */
  CANCELLED,
  /** The run is running elsewhere; its owner stops it at its next heartbeat. */
  REQUESTED,
  /** The run had already ended; nothing changed. */
  ALREADY_ENDED,
  /** No run has that id. */
  NOT_FOUND
}
