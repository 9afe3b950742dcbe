package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.Issue;
import dev.integrity.check.SimilarityProbe;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Precision, recall and time of the {@code similar} check on {@link PlantedStudents}: First Name
 * and Last Name at threshold 0.9, without and with {@code same: [Birth Date]}. Precision: the
 * issues whose best match is a planted twin, of all issues; recall: the records of planted clusters
 * whose issue names a twin, of all such records (and per kind of edit, for the planted copies).
 * Time: the engine's evaluate, best of three after one warm-up, single thread.
 *
 * <p>Args: {@code [records=10000] [more sizes…]}, e.g. {@code 10000 100000}; sizes up to 20,000
 * also score every pair to count the pairs blocking misses.
 */
public final class SimilarBenchmark {
  /** {@code -Dbench.threshold=0.95} to see the trade-off; the check's default otherwise. */
  private static final double THRESHOLD =
      Double.parseDouble(
          System.getProperty(
              "bench.threshold", Double.toString(CheckSpec.Similar.DEFAULT_THRESHOLD)));

  private static final Pattern NAMED = Pattern.compile("(rec[P0-9]+) '");

  private SimilarBenchmark() {}

  public static void main(String[] args) {
    List<Integer> sizes = new ArrayList<>();
    for (String a : args) {
      sizes.add(Integer.parseInt(a.replace("_", "")));
    }
    if (sizes.isEmpty()) {
      sizes.add(10_000);
    }
    for (int size : sizes) {
      // 5% of the students get twins (a tenth of them two): records ~ students x 1.055.
      PlantedStudents data = new PlantedStudents((int) Math.round(size / 1.055), 0.05, 42);
      System.out.printf(
          "%n%d records (%d planted copies)%n", data.records.size(), data.editOf.size());
      for (List<String> same : List.of(List.<String>of(), List.of("Birth Date"))) {
        CheckSpec.Similar spec =
            new CheckSpec.Similar(List.of("First Name", "Last Name"), THRESHOLD, same);
        CheckEngine engine = engine(spec);
        List<Issue> issues = new ArrayList<>();
        engine.evaluate("students", data.records, Map.of(), issues::add); // warm-up
        long best = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
          issues.clear();
          long start = System.nanoTime();
          engine.evaluate("students", data.records, Map.of(), issues::add);
          best = Math.min(best, System.nanoTime() - start);
        }
        report(data, issues, same, best);
        if (size <= 20_000) {
          blockingLoss(spec, data);
        }
      }
    }
  }

  private static void report(
      PlantedStudents data, List<Issue> issues, List<String> same, long nanos) {
    int truePositives = 0;
    int shownFalse = 0;
    Map<String, Boolean> foundTwin = new LinkedHashMap<>();
    for (Issue issue : issues) {
      int mine = data.cluster.get(issue.recordId());
      Matcher m = NAMED.matcher(issue.message().substring(issue.message().indexOf(" is like ")));
      boolean first = true;
      boolean twin = false;
      while (m.find()) {
        boolean same_ = mine >= 0 && data.cluster.get(m.group(1)) == mine;
        if (first && same_) {
          truePositives++;
        } else if (first && shownFalse < 3) {
          shownFalse++;
          System.out.println("  not planted: " + issue.message());
        }
        twin |= same_;
        first = false;
      }
      foundTwin.put(issue.recordId(), twin);
    }
    long actual = data.cluster.values().stream().filter(c -> c >= 0).count();
    long found = foundTwin.values().stream().filter(b -> b).count();
    Map<PlantedStudents.Edit, int[]> byEdit = new EnumMap<>(PlantedStudents.Edit.class);
    data.editOf.forEach(
        (id, edit) -> {
          int[] c = byEdit.computeIfAbsent(edit, e -> new int[2]);
          c[1]++;
          if (Boolean.TRUE.equals(foundTwin.get(id))) {
            c[0]++;
          }
        });
    System.out.printf(
        "same %s: %d issues, precision %.3f, recall %.3f (%d of %d records of planted clusters),"
            + " evaluate %.2f s%n",
        same,
        issues.size(),
        issues.isEmpty() ? 1.0 : truePositives / (double) issues.size(),
        found / (double) actual,
        found,
        actual,
        nanos / 1e9);
    StringBuilder kinds = new StringBuilder("  recall of planted copies by edit:");
    byEdit.forEach(
        (edit, c) ->
            kinds.append(String.format(" %s %d/%d", edit.name().toLowerCase(), c[0], c[1])));
    System.out.println(kinds);
  }

  /** The pairs scoring every pair finds that blocking does not (the check is never above it). */
  private static void blockingLoss(CheckSpec.Similar spec, PlantedStudents data) {
    long start = System.nanoTime();
    Map<String, java.util.Set<String>> all = SimilarityProbe.pairs(spec, data.records, true);
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, java.util.Set<String>> blocked = SimilarityProbe.pairs(spec, data.records, false);
    long pairs = all.values().stream().mapToLong(java.util.Set::size).sum() / 2;
    long kept = 0;
    for (var e : all.entrySet()) {
      for (String other : e.getValue()) {
        if (blocked.getOrDefault(e.getKey(), java.util.Set.of()).contains(other)) {
          kept++;
        }
      }
    }
    kept /= 2;
    System.out.printf(
        "  blocking keeps %d of the %d pairs at or above the threshold that scoring every pair"
            + " finds (%.4f); every pair took %.1f s%n",
        kept, pairs, pairs == 0 ? 1.0 : kept / (double) pairs, seconds);
  }

  static CheckEngine engine(CheckSpec... checks) {
    Map<String, EntityConfig> entities = new LinkedHashMap<>();
    entities.put("students", new EntityConfig("students", "Students", List.of(checks)));
    return CheckEngine.compile(
        new IntegrityConfig(
            null,
            new AirtableConfig("appBENCH", new Secret("t"), URI.create("http://127.0.0.1")),
            entities,
            List.of(),
            null));
  }
}
