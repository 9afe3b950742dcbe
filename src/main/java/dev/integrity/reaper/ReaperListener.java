package dev.integrity.reaper;

/**
 * Hears what the {@link ReaperService}'s sweeps do, e.g. for metrics and alerts. Called on the
 * sweeping thread, so implementations must be thread-safe and quick; what they throw is logged and
 * ignored.
 */
public interface ReaperListener {
  /** A sweep ended this run (only runs the sweep itself changed, {@code applied} true). */
  default void onReaped(Reaped reaped) {}

  /** A whole sweep failed, e.g. the database was unreachable; the next one runs as planned. */
  default void onSweepFailed(Exception failure) {}

  /** A listener that does nothing. */
  static ReaperListener none() {
    return new ReaperListener() {};
  }
}
