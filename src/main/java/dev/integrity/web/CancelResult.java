package dev.integrity.web;

/** The outcome of asking a run to stop. Immutable and thread-safe. */
public enum CancelResult {
  /** The run was queued and is now {@code cancelled}. */
  CANCELLED,
  /** The run is running; its owner stops it at its next heartbeat. */
  REQUESTED,
  /** The run had already ended; nothing changed. */
  ALREADY_ENDED,
  /** There is no run with that id. */
  NOT_FOUND
}
