package dev.integrity.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the {@link FetchPlan} of a run from what the last run of each table saw. The base's floor
 * is all its known pages at the base's rate (pages / rate): no plan can be faster. A table whose
 * pages alone, one after another at its per-page latency, would take longer than that floor would
 * make the whole run wait on it, so it is read as the smallest K partitions side by side that bring
 * it under the floor (pages x latency / K &lt;= floor), capped at {@code maxPartitions} and at its
 * page count. Tables start largest first.
 *
 * <p>A table no run has fetched (the first night, or a table new to the base) starts after the
 * known ones with its first page alone, read as one whole-table iteration would read it ({@link
 * FetchPlan.Table#firstPageFirst()}). A first page without an {@code offset} is the whole table: a
 * small table costs nothing extra. A first page with an offset says only that more pages follow,
 * not how many; and the table may be the one that finishes last, read alone at the end. One
 * iteration sends at most 1 / latency requests a second, so the first page's latency decides
 * ({@link #afterFirstPage}): when one iteration keeps up with the base's rate (rate x latency &lt;=
 * 1) the table is read on from that page's offset. Otherwise an offset iteration cannot be cut into
 * ranges once started, so the rest of the table is read as K record-id partitions side by side,
 * each leaving out the first page's records by id ({@link FetchPlan.Table#listOptions(List, String,
 * String, java.util.Collection)}), K = rate x latency rounded up, at least 2, at most {@code
 * maxPartitions}: enough that its partitions alone keep the base's rate busy should it be the last
 * table reading. No more than that: each partition may end on a part-filled page, and the client
 * spaces its requests a little over 1 / rate apart, which leaves K iterations the few milliseconds
 * each page spends being decoded and reported (measured on the skewed base at 300 ms a page: two
 * partitions alone send at the client's pace; three for every table only added part-filled pages).
 * So the first page is never read twice, and such a table costs at most K - 1 part-filled pages
 * more than its pages; the next run plans it by the pages it turned out to have. Stateless.
 */
public final class FetchPlanner {
  /** The default cap on K: more partitions only add requests that wait on the rate. */
  public static final int DEFAULT_MAX_PARTITIONS = 8;

  private final int maxPartitions;

  public FetchPlanner(int maxPartitions) {
    if (maxPartitions < 1 || maxPartitions > Partitions.MAX) {
      throw new IllegalArgumentException(
          "maxPartitions must be 1.." + Partitions.MAX + ", got " + maxPartitions);
    }
    this.maxPartitions = maxPartitions;
  }

  public FetchPlanner() {
    this(DEFAULT_MAX_PARTITIONS);
  }

  /**
   * The plan for {@code entities} (in the order asked).
   *
   * @param last per entity name, what the last run that fetched it saw; missing = never fetched
   * @param ratePerSecond the base's request rate
   */
  public FetchPlan plan(List<String> entities, Map<String, LastFetch> last, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
    }
    long totalPages =
        entities.stream().map(last::get).filter(f -> f != null).mapToLong(LastFetch::pages).sum();
    double floorSeconds = totalPages / ratePerSecond;
    String floorText =
        "floor "
            + seconds(floorSeconds)
            + " ("
            + totalPages
            + " pages / "
            + number(ratePerSecond)
            + " per s)";

    List<String> known = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String entity : entities) {
      (last.containsKey(entity) ? known : unknown).add(entity);
    }
    // Stable sort: equal page counts keep the order asked.
    known.sort(Comparator.comparingInt((String e) -> last.get(e).pages()).reversed());

    List<FetchPlan.Table> tables = new ArrayList<>();
    int partitioned = 0;
    for (String entity : known) {
      FetchPlan.Table table = table(entity, last.get(entity), floorSeconds, floorText);
      partitioned += table.partitioned() ? 1 : 0;
      tables.add(table);
    }
    for (String entity : unknown) {
      tables.add(
          new FetchPlan.Table(
              entity,
              null,
              Partitions.of(1),
              entity
                  + ": no earlier run fetched it -> its first page first, after the known tables;"
                  + " more pages -> record-id partitions"));
    }

    String reason;
    if (known.isEmpty()) {
      reason =
          "no earlier run fetched these tables: in config order, each from its first page (one"
              + " page is the whole table; more pages: record-id partitions side by side)";
    } else {
      reason =
          "largest first by last run's pages; "
              + floorText
              + "; "
              + partitioned
              + " of "
              + tables.size()
              + " tables partitioned";
    }
    return new FetchPlan(tables, reason);
  }

  /**
   * How a table no run has fetched is read once its first page came back with an {@code offset}: on
   * as one iteration (one partition) when rate x first-page latency &lt;= 1, else as K partitions,
   * K = ceil(rate x latency) between 2 and {@code maxPartitions} (see the class comment). The
   * plan's {@link FetchPlan.Table#last()} stays null: nothing is known of the table but that it has
   * more than one page.
   *
   * @param firstPageLatency how long the first page's request took (send to body read)
   * @param ratePerSecond the base's request rate
   */
  public FetchPlan.Table afterFirstPage(
      String entity, Duration firstPageLatency, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
    }
    double latency = firstPageLatency == null ? 0 : Math.max(0, seconds(firstPageLatency));
    double busy = ratePerSecond * latency;
    int k = busy <= 1 ? 1 : Math.min(maxPartitions, Math.max(2, (int) Math.ceil(busy)));
    return new FetchPlan.Table(
        entity,
        null,
        Partitions.of(k),
        entity
            + ": first page "
            + seconds(latency)
            + ", more pages follow -> "
            + (k == 1 ? "read on as one iteration" : k + " partitions")
            + " (rate "
            + number(ratePerSecond)
            + " per s x "
            + seconds(latency)
            + " = "
            + String.format(Locale.ROOT, "%.2f", busy)
            + " iterations to keep the rate busy; more than 1: at least 2, at most "
            + maxPartitions
            + ")");
  }

  private FetchPlan.Table table(
      String entity, LastFetch last, double floorSeconds, String floorText) {
    double aloneSeconds = seconds(last.alone());
    String figures =
        entity
            + ": "
            + last.pages()
            + " pages x "
            + seconds(seconds(last.perPage()))
            + " = "
            + seconds(aloneSeconds)
            + " alone";
    if (aloneSeconds <= floorSeconds || last.pages() < 2) {
      return new FetchPlan.Table(
          entity, last, Partitions.of(1), figures + " <= " + floorText + " -> one iteration");
    }
    int needed = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(aloneSeconds / floorSeconds));
    int k = Math.min(needed, Math.min(maxPartitions, last.pages()));
    String cap =
        k < needed
            ? " (capped from " + needed + " at " + Math.min(maxPartitions, last.pages()) + ")"
            : "";
    return new FetchPlan.Table(
        entity,
        last,
        Partitions.of(k),
        figures
            + " > "
            + floorText
            + " -> "
            + k
            + " partitions"
            + cap
            + ", "
            + seconds(aloneSeconds / k)
            + " each");
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.2f s", s);
  }

  private static String number(double n) {
    return n == Math.rint(n) ? Long.toString((long) n) : String.format(Locale.ROOT, "%.2f", n);
  }
}
