package dev.integrity.model;

import java.util.List;

/**
 * The open issues of one (entity, check) over a base's recent runs, oldest first; a run that found
 * none of them counts 0. Immutable and thread-safe.
 */
public record CheckHistory(String entity, String check, List<Long> counts) {
  public CheckHistory {
    counts = List.copyOf(counts);
  }
}
