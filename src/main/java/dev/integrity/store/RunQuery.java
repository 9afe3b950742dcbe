package dev.integrity.store;

import dev.integrity.model.RunStatus;

/**
 * A filter for listing runs, newest first; null status or base means any. Immutable and
 * thread-safe.
 */
public record RunQuery(RunStatus status, String baseId, int limit) {
  public RunQuery {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }

  public static RunQuery latest(int limit) {
    return new RunQuery(null, null, limit);
  }
}
