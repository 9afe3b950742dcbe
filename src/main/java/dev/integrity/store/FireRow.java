package dev.integrity.store;

import java.time.Instant;

/**
 * One fire of a schedule: {@code started} (with the run it created) or {@code skipped} (with the
 * reason, e.g. the active run). Immutable and thread-safe.
 *
 * @param firedAt when it fired; null when recording means now
 */
public record FireRow(
    String schedule, String baseId, Instant firedAt, String outcome, String runId, String reason) {
  public static final String STARTED = "started";
  public static final String SKIPPED = "skipped";
}
