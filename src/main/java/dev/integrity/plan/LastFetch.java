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

  /** Records per page of a list request: Airtable's largest page, which the client asks for. */
  public static final int PAGE_SIZE = 100;

  /**
   * The pages one whole-table iteration takes for {@code records} records: what the planner counts
   * with, whether the table was read whole or as partitions (whose part-filled pages add requests,
   * not pages of the table). At least one: an empty table answers one empty page.
   */
  public static int pagesOf(long records) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (records + PAGE_SIZE - 1) / PAGE_SIZE));
  }

  /** The table read page after page: pages x latency. */
  Duration alone() {
    return perPage.multipliedBy(pages);
  }
}
