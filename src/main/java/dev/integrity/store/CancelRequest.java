package dev.integrity.store;

/** Outcome of asking a run to stop. Immutable and thread-safe. */
public sealed interface CancelRequest {
  /** The run was still queued and is now {@code cancelled}. */
  record Cancelled() implements CancelRequest {}

  /** The run is running; its owner stops at its next heartbeat and ends it {@code cancelled}. */
  record Requested() implements CancelRequest {}

  /** The run had already ended with {@code status}; nothing changed. */
  record AlreadyTerminal(RunStatus status) implements CancelRequest {}

  /** No run has that id. */
  record NotFound() implements CancelRequest {}
}
