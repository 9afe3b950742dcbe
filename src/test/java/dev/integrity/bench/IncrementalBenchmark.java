package dev.integrity.bench;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.SimTable;
import dev.integrity.store.IssueFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * An incremental run against a full one on the demo base (21,500 records in four tables) after 1%
 * of its records were edited (updates of the primary field, some destructions, in Airtable
 * transactions of 10 records, so one payload per 10 records). Prints the API calls by kind (as the
 * simulator saw them) and the wall time of each run, and whether both found the same issues.
 * Arguments: {@code [rate per second, default 5 as Airtable] [edited share, default 0.01]}. See
 * docs/benchmarks.md for the command.
 */
public final class IncrementalBenchmark {
  /** Records per Airtable transaction (one payload): a person's burst of edits. */
  private static final int BATCH = 10;

  private IncrementalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
    Path dir = Files.createTempDirectory("incremental-bench");
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(Dataset.demo()).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>();
      env.put("AIRTABLE_BASE_URL", sim.baseUrl().toString());
      env.put("AIRTABLE_TOKEN", sim.token());
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", Integer.toString(rate));
      env.put("MAX_RUN_DURATION_SECONDS", "3600");
      env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("bench.db"));
      try (IntegrityApp app =
          IntegrityApp.builder()
              .environment(env)
              .config(Path.of("examples/demo/integrity.yml"))
              .build()) {
        Measured first = run(app, sim, RunMode.INCREMENTAL);
        System.out.printf("first incremental run (full scan, builds the mirror): %s%n", first);
        int edited = edit(sim, new Random(13), share);
        Measured incremental = run(app, sim, RunMode.INCREMENTAL);
        Measured full = run(app, sim, RunMode.FULL);
        System.out.printf("records edited: %,d (%.1f%%)%n", edited, share * 100);
        System.out.printf("incremental: %s%nfull:        %s%n", incremental, full);
        System.out.printf(
            "calls: %.1f%% of the full run's; wall time %.1f%%; same issues: %s (%,d issues)%n",
            100.0 * incremental.calls() / full.calls(),
            100.0 * incremental.millis() / full.millis(),
            incremental.issues().equals(full.issues()),
            full.issues().size());
      }
    }
  }

  record Measured(
      String mode, long calls, Map<String, Long> byKind, long millis, Set<String> issues) {
    @Override
    public String toString() {
      return String.format(
          "mode %s, %,d API calls %s, %,d ms, %,d issues",
          mode, calls, byKind, millis, issues.size());
    }
  }

  private static Measured run(IntegrityApp app, AirtableSimulator sim, RunMode mode) {
    sim.clearRequests();
    long t0 = System.nanoTime();
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), mode);
    RunRecord ended = app.execute(queued.id());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Map<String, Long> byKind = new java.util.TreeMap<>();
    sim.requests()
        .forEach(
            r -> {
              String kind =
                  r.path().contains("/payloads")
                      ? "payloads"
                      : r.path().contains("/webhooks")
                          ? "webhook"
                          : r.path().contains("/meta/") ? "schema" : "list";
              byKind.merge(kind, 1L, Long::sum);
            });
    Set<String> issues = new TreeSet<>();
    app.store()
        .issues()
        .forEach(
            ended.id(),
            IssueFilter.OPEN,
            i ->
                issues.add(
                    i.entity()
                        + "|"
                        + i.recordId()
                        + "|"
                        + i.checkId()
                        + "|"
                        + i.field()
                        + "|"
                        + i.message()));
    return new Measured(
        ended.mode().wire()
            + (ended.modeReason() == null ? "" : " (" + ended.modeReason() + ")")
            + ", "
            + ended.status().wire(),
        sim.requests().size(),
        byKind,
        ms,
        issues);
  }

  /** Edits {@code share} of every table's records, one Airtable transaction per record. */
  private static int edit(AirtableSimulator sim, Random random, double share) {
    int edited = 0;
    for (SimTable table : sim.currentDataset().tables()) {
      List<AirtableRecord> records = table.records();
      String primary =
          table.fields().stream()
              .filter(f -> f.id().equals(table.primaryFieldId()))
              .findFirst()
              .orElseThrow()
              .name();
      Set<String> done = new java.util.HashSet<>();
      int n = (int) Math.round(records.size() * share);
      Edits e = Edits.begin();
      int inBatch = 0;
      while (done.size() < n) {
        AirtableRecord r = records.get(random.nextInt(records.size()));
        if (!done.add(r.id())) {
          continue;
        }
        if (random.nextInt(10) == 0) {
          e.destroy(table.name(), r.id());
        } else {
          Object was = r.fields().get(primary);
          e.update(table.name(), r.id(), Map.of(primary, (was == null ? "" : was) + " (edited)"));
        }
        if (++inBatch == BATCH || done.size() == n) {
          try {
            sim.apply(e);
            edited += inBatch;
          } catch (RuntimeException computed) {
            // A computed primary field cannot be written: leave those records be.
          }
          e = Edits.begin();
          inBatch = 0;
        }
      }
    }
    return edited;
  }
}
