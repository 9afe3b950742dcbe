package dev.integrity.reaper;

import dev.integrity.config.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * When the reaper ends a run: {@code heartbeatStale} ({@code RUN_HEARTBEAT_STALE_SECONDS}) is how
 * long a running run may go without a heartbeat, and a queued one without being claimed, before its
 * owner counts as lost; {@code hungThreshold} ({@code HUNG_RUN_THRESHOLD_MINUTES}) is how long a
 * run may be running at all. Immutable and thread-safe.
 */
public record ReaperSettings(Duration heartbeatStale, Duration hungThreshold) {
  public ReaperSettings {
    requirePositive(heartbeatStale, "heartbeatStale (RUN_HEARTBEAT_STALE_SECONDS)");
    requirePositive(hungThreshold, "hungThreshold (HUNG_RUN_THRESHOLD_MINUTES)");
  }

  /** The contract's {@code RUN_HEARTBEAT_STALE_SECONDS} and {@code HUNG_RUN_THRESHOLD_MINUTES}. */
  public static ReaperSettings from(Limits limits) {
    return new ReaperSettings(limits.heartbeatStale(), limits.hungRunThreshold());
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
