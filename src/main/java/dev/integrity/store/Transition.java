package dev.integrity.store;

import dev.integrity.model.RunStatus;

/**
 * Outcome of a compare-and-set status change: applied, or lost to whoever changed the run first
 * (with the status it has now). Immutable and thread-safe.
 */
public sealed interface Transition {
  /** True when this call changed the status. */
  boolean applied();

  /** This call changed the status from {@code from} to {@code to}. */
  record Applied(RunStatus from, RunStatus to) implements Transition {
    @Override
    public boolean applied() {
      return true;
    }
  }

  /** The run was not in a status (or state) this change applies to; it stays {@code current}. */
  record Lost(RunStatus current) implements Transition {
    @Override
    public boolean applied() {
      return false;
    }
  }
}
