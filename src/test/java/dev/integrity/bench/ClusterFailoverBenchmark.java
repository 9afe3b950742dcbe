package dev.integrity.bench;

import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.store.AlertRow;
import dev.integrity.store.RunQuery;
import dev.integrity.store.Store;
import dev.integrity.testing.ChildJvm;
import dev.integrity.testing.Postgres;
import dev.integrity.testing.TestBases;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Issue 18, goals 3 and 4, not a test: two real {@code integrity serve} processes on one PostgreSQL
 * schema, {@code bases} bases (each its own simulator, a page answered in {@code latency}) with a
 * schedule firing every minute. Measures how the fires of each minute are spread between the two
 * instances, then kills one with SIGKILL in the middle of its runs and measures how long its runs
 * stay {@code running} (the failover time: the contract's bound is RUN_HEARTBEAT_STALE_SECONDS, 120
 * s, plus one heartbeat interval, 15 s), when its bases next start a run, and how many {@code
 * schedule_skipped} alerts that opened. Every limit is the contract's default, the sweep interval
 * included (600 s). Run with
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.integrity.bench.ClusterFailoverBenchmark [bases 30] [minutes before the kill 3] \
 *   [minutes after 5] [records per table 2000] [page latency ms 700]
 * </pre>
 *
 * Exit status 0 when every orphaned run ended within the bound and no minute with both instances
 * alive gave one instance more than 70% of its fires.
 */
public final class ClusterFailoverBenchmark {
  private static final String TOKEN = "patClusterBench0001.abcdefabcdef";
  private static final String API_TOKEN = "cluster-bench-api-token";
  private static final Duration BOUND = Duration.ofSeconds(120 + 15);

  private ClusterFailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int bases = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int before = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int after = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int records = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
    int latencyMs = args.length > 4 ? Integer.parseInt(args[4]) : 700;
    Path dir = Files.createTempDirectory("cluster-failover");
    Clock clock = Clock.systemUTC();
    List<AirtableSimulator> sims = new ArrayList<>();
    List<Process> instances = new ArrayList<>();
    Postgres pg = Postgres.freshSchema("ClusterFailoverBenchmark");
    boolean passed;
    try {
      List<String> configs = new ArrayList<>();
      for (int i = 0; i < bases; i++) {
        String baseId = "appClusterBench" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
        Dataset data =
            Dataset.of(
                baseId,
                Dataset.synthetic(Map.of("Teachers", records, "Students", records)).tables());
        AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(data)
                .token(TOKEN)
                .rateLimitPerSecond(0)
                .latency(Duration.ofMillis(latencyMs))
                .build()
                .start();
        sims.add(sim);
        Path config = dir.resolve("base-" + i + ".yml");
        Files.writeString(
            config,
            "airtable:\n  baseId: "
                + baseId
                + "\n  token: ${AIRTABLE_TOKEN}\n  baseUrl: "
                + sim.baseUrl()
                + "\nentities:\n"
                + TestBases.teachersAndStudents(records / 2)
                + "schedules:\n  - name: minute-"
                + i
                + "\n    cron: \"* * * * *\"\n");
        configs.add(config.toString());
      }
      Map<String, String> env = new HashMap<>();
      env.put("AIRTABLE_TOKEN", TOKEN);
      env.put("INTEGRITY_DB_URL", pg.url());
      env.put("INTEGRITY_DB_USER", pg.user());
      env.put("INTEGRITY_API_TOKEN", API_TOKEN);
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "5");
      for (String name : List.of("a", "b")) {
        List<String> cli =
            new ArrayList<>(List.of("serve", "--port", Integer.toString(freePort())));
        for (String c : configs) {
          cli.add("--config");
          cli.add(c);
        }
        instances.add(
            ChildJvm.start(
                dev.integrity.cli.Main.class,
                List.of("-Xmx512m"),
                env,
                dir.resolve("serve-" + name + ".log"),
                cli.toArray(String[]::new)));
      }
      long pidA = instances.get(0).pid();
      long pidB = instances.get(1).pid();
      System.out.printf(
          "%d bases, pages of 100 records in %d ms, instances a=%d b=%d, logs in %s%n",
          bases, latencyMs, pidA, pidB, dir);

      try (Store store = Store.open(pg.storeSettings(), clock)) {
        // Kill b in the middle of a minute's runs: 20 s into the minute after `before` minutes.
        Instant kill =
            clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(before + 1));
        kill = kill.plusSeconds(20);
        sleepUntil(clock, kill);
        List<RunRecord> orphans =
            store.runs().withStatus(RunStatus.RUNNING).stream()
                .filter(r -> r.owner() != null && r.owner().contains("/" + pidB + "/"))
                .toList();
        instances.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Instant killedAt = clock.instant();
        System.out.printf(
            "killed instance b at %s with %d runs running: %s%n",
            killedAt, orphans.size(), orphans.stream().map(RunRecord::id).toList());
        sleepUntil(clock, killedAt.plus(Duration.ofMinutes(after)));

        List<RunRecord> runs = store.runs().list(RunQuery.latest(100_000));
        passed = report(store, runs, orphans, killedAt, pidA, pidB);
      }
    } finally {
      instances.forEach(Process::destroyForcibly);
      for (Process p : instances) {
        p.waitFor(10, TimeUnit.SECONDS);
      }
      sims.forEach(AirtableSimulator::close);
      pg.close();
    }
    System.out.println(passed ? "PASS" : "FAIL");
    System.exit(passed ? 0 : 1);
  }

  private static boolean report(
      Store store,
      List<RunRecord> runs,
      List<RunRecord> orphans,
      Instant killedAt,
      long pidA,
      long pidB) {
    boolean passed = true;
    // Fires per minute per instance, from the runs they started (a fire's run is its instance's).
    Map<Instant, Map<String, Long>> perMinute = new TreeMap<>();
    for (RunRecord r : runs) {
      if (r.schedule() == null || r.owner() == null) {
        continue;
      }
      String who =
          r.owner().contains("/" + pidA + "/")
              ? "a"
              : r.owner().contains("/" + pidB + "/") ? "b" : RunReport.instance(r.owner());
      perMinute
          .computeIfAbsent(r.createdAt().truncatedTo(ChronoUnit.MINUTES), m -> new TreeMap<>())
          .merge(who, 1L, Long::sum);
    }
    System.out.println("scheduled runs started per minute, by instance:");
    double worst = 0;
    for (var e : perMinute.entrySet()) {
      long total = e.getValue().values().stream().mapToLong(Long::longValue).sum();
      long max = e.getValue().values().stream().mapToLong(Long::longValue).max().orElse(0);
      boolean bothAlive = e.getKey().plus(Duration.ofMinutes(1)).isBefore(killedAt);
      double share = total == 0 ? 0 : (double) max / total;
      if (bothAlive && total >= 4) {
        worst = Math.max(worst, share);
      }
      System.out.printf(
          "  %s %s total %d, largest share %.0f%%%s%n",
          e.getKey(), e.getValue(), total, share * 100, bothAlive ? "" : " (after the kill)");
    }
    System.out.printf(
        "largest share of one instance in a minute with both alive: %.0f%%%n", worst * 100);
    if (worst > 0.7) {
      passed = false;
    }
    Duration longest = Duration.ZERO;
    for (RunRecord orphan : orphans) {
      RunRecord now = store.runs().find(orphan.id()).orElseThrow();
      Duration running =
          now.finishedAt() == null ? null : Duration.between(killedAt, now.finishedAt());
      Instant nextStart =
          runs.stream()
              .filter(r -> r.baseId().equals(orphan.baseId()) && r.createdAt().isAfter(killedAt))
              .map(RunRecord::createdAt)
              .min(Instant::compareTo)
              .orElse(null);
      System.out.printf(
          "  orphan %s of %s: %s %s, ended %s after the kill; next run of the base %s%n",
          orphan.id(),
          orphan.baseId(),
          now.status().wire(),
          now.error(),
          running == null ? "never" : running.toSeconds() + " s",
          nextStart == null
              ? "none"
              : Duration.between(killedAt, nextStart).toSeconds() + " s after the kill");
      if (running == null || running.compareTo(BOUND) > 0) {
        passed = false;
      } else if (running.compareTo(longest) > 0) {
        longest = running;
      }
    }
    System.out.printf(
        "failover: %d orphaned runs, the last ended %d s after the kill (bound %d s)%n",
        orphans.size(), longest.toSeconds(), BOUND.toSeconds());
    List<AlertRow> skipped =
        store.alerts().list(1000).stream()
            .filter(a -> a.kind().equals("schedule_skipped"))
            .toList();
    System.out.printf("schedule_skipped alerts: %d%n", skipped.size());
    skipped.forEach(
        a ->
            System.out.println(
                "  " + a.state() + ": " + a.message().lines().findFirst().orElse("")));
    long skips =
        runs.isEmpty()
            ? 0
            : store.schedules().list().stream()
                .mapToLong(
                    s ->
                        store.schedules().fires(s.name(), 1000).stream()
                            .filter(f -> "skipped".equals(f.outcome()))
                            .count())
                .sum();
    System.out.printf(
        "runs: %d, by status %s; skipped fires recorded: %d%n",
        runs.size(),
        runs.stream()
            .collect(
                Collectors.groupingBy(r -> r.status().wire(), TreeMap::new, Collectors.counting())),
        skips);
    return passed;
  }

  private static void sleepUntil(Clock clock, Instant at) throws InterruptedException {
    long ms = Duration.between(clock.instant(), at).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
