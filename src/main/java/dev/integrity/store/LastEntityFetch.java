package dev.integrity.store;

/**
 * What the newest run that fetched an entity of a base saw, for the fetch planner: its page count
 * and per-page latency. Immutable.
 *
 * @param pageLatencyMs as recorded, or null when that run did not record it (then {@link
 *     #perPageMs()} falls back to the fetch's duration over its pages)
 * @param durationMs the fetch's duration, null when not recorded
 */
public record LastEntityFetch(
    String runId, String entity, int pages, Long pageLatencyMs, Long durationMs) {

  /** The per-page latency: as recorded, else duration / pages; null when neither is known. */
  public Long perPageMs() {
    if (pageLatencyMs != null) {
      return pageLatencyMs;
    }
    if (durationMs != null && pages > 0) {
      return durationMs / pages;
    }
    return null;
  }
}
