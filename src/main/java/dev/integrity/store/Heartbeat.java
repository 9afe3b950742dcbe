package dev.integrity.store;

import dev.integrity.model.RunStatus;

/**
 * What a run's owner learns at a heartbeat: the run's status, whether someone asked it to stop, and
 * whether it still owns the run (false once reaped or finished elsewhere). Immutable and
 * thread-safe.
 */
public record Heartbeat(RunStatus status, boolean cancelRequested, boolean stillOwned) {}
