package dev.integrity.plan;

import java.time.Duration;
import java.util.Objects;

/**
 * What the last run that fetched a table saw: its page count and the time one page request took
 * (per page, as the client measured it). Immutable.
 */
public record LastFetch(int pages, Duration perPage) {
  public LastFetch {
    Objects.requireNonNull(perPage, "perPage");
    if (pages < 0 || perPage.isNegative()) {
      throw new IllegalArgumentException("pages and per-page latency must not be negative");
    }
  }

  /** The table read page after page: pages x latency. */
  Duration alone() {
    return perPage.multipliedBy(pages);
  }
}
