package dev.integrity.reaper;

import dev.integrity.model.RunStatus;
import java.util.Objects;

/**
 * One hung run a sweep found: why, the status it ended as (or would end as, in a dry run, or did
 * end as when another reaper got there first), the message stored with it, and whether this sweep
 * changed it. Immutable and thread-safe.
 *
 * @param applied true only when this sweep's compare-and-set ended the run
 */
public record Reaped(
    String runId,
    String baseId,
    Reason reason,
    RunStatus endedAs,
    String message,
    boolean applied) {

  public Reaped {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(endedAs, "endedAs");
  }

  /** Why a run counts as hung. Immutable and thread-safe. */
  public enum Reason {
    /** Running, but its owner has not stamped a heartbeat within the stale bound: it is gone. */
    STALE_HEARTBEAT,
    /** Running for longer than the hung-run threshold, though its owner still heartbeats. */
    OVERDUE,
    /** Queued and never claimed within the stale bound. */
    UNCLAIMED;

    /** The lower-case name used in logs and metrics, e.g. {@code "stale_heartbeat"}. */
    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
