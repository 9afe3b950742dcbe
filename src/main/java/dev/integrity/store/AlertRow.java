package dev.integrity.store;

import java.time.Instant;

/**
 * One alert: an open condition identified by {@code key} (e.g. {@code "run-timeout:run_x"}), and
 * when it was resolved. Immutable and thread-safe.
 *
 * @param state {@code "open"} or {@code "resolved"}
 */
public record AlertRow(
    long id,
    String key,
    String kind,
    String baseId,
    String runId,
    String schedule,
    String message,
    String state,
    Instant openedAt,
    Instant resolvedAt) {
  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";
}
