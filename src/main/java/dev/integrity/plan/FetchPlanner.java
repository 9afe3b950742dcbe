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
 * page count. Tables start largest first. A table no run has fetched is read as one iteration after
 * the known ones: without figures there is nothing to plan on. Stateless.
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
              entity + ": no earlier run fetched it -> one iteration, after the known tables"));
    }

    String reason;
    if (known.isEmpty()) {
      reason = "no earlier run fetched these tables: reading them as today, in config order";
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
