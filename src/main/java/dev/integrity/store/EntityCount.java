package dev.integrity.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An entity's record count in one run that checked it: the history that {@code volume} compares
 * with and the run page's sparkline of each table draws. Immutable.
 *
 * @param createdAt when the run was created (the order of runs)
 */
public record EntityCount(String runId, Instant createdAt, long records) {
  public EntityCount {
    Objects.requireNonNull(runId, "runId");
  }
}
