package dev.integrity.bench;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.TokenLimit;
import dev.integrity.store.FireRow;
import dev.integrity.store.RunQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A hundred small bases on one instance (issue 19, goal 3): {@code bases} bases, each its own
 * simulator holding one table of {@code pages} pages (100 records a page, answered after {@code
 * latency} ms) and its own config with a schedule firing every minute, read by {@code tokens}
 * tokens (base i uses token i mod tokens). The simulators of one token share Airtable's token limit
 * (50 requests/s, then 30 s of 429), each base keeps its own 5/s. Everything runs in this process
 * through {@link IntegrityApp} serving (db-scheduler, SQLite), with the process limits at their
 * defaults unless {@code runsPerInstance} is given. For each whole minute it prints: requests/s
 * while there was work (first to last request of the minute), 429s, the fastest and slowest run
 * (started to finished, and fire time to finished), runs not succeeded and fires skipped. Goal: at
 * least 0.9 x the tokens' limit, every run ended before its next fire, slowest within 1.5 x the
 * fastest. Not a test: run it with
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.integrity.bench.ManyBasesBenchmark [bases 100] [pages 11] [minutes 3] [tokens 1] \
 *   [latency ms 100] [runsPerInstance: SCHEDULED_RUNS_PER_INSTANCE, default the setting's]
 * </pre>
 */
public final class ManyBasesBenchmark {
  private static final int RECORDS_PER_PAGE = 100;
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private ManyBasesBenchmark() {}

  public static void main(String[] args) throws Exception {
    int bases = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int pages = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    int minutes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    int latencyMs = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    String runsPerInstance = args.length > 5 ? args[5] : null;
    Path dir = Files.createTempDirectory("many-bases");
    List<TokenLimit> limits = new ArrayList<>();
    for (int t = 0; t < tokens; t++) {
      limits.add(TokenLimit.airtable());
    }
    List<AirtableSimulator> sims = new ArrayList<>();
    List<Path> configs = new ArrayList<>();
    // Arrival stamps are System.nanoTime (the simulators' default ticker): one anchor maps them
    // to wall-clock minutes.
    long anchorNanos = System.nanoTime();
    Instant anchor = Instant.now();
    try {
      for (int i = 0; i < bases; i++) {
        String baseId = String.format("appManyBases%05d", i);
        String token = String.format("patManyBasesToken%03d.0123456789abcdef", i % tokens);
        Dataset data =
            Dataset.of(
                baseId, Dataset.synthetic(Map.of("Rows", pages * RECORDS_PER_PAGE)).tables());
        AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(data)
                .token(token)
                .tokenLimit(limits.get(i % tokens))
                .latency(Duration.ofMillis(latencyMs))
                .build()
                .start();
        sims.add(sim);
        Path config = dir.resolve("base-" + i + ".yml");
        Files.writeString(
            config,
            """
            airtable:
              baseId: %s
              token: %s
              baseUrl: %s
            entities:
              rows:
                table: Rows
                checks:
                  - required: [Name]
                  - range: {field: Number, min: 1, max: %d}
            schedules:
              - name: minute-%d
                cron: "* * * * *"
            """
                .formatted(baseId, token, sim.baseUrl(), pages * RECORDS_PER_PAGE - 7, i));
        configs.add(config);
      }
      Map<String, String> env = new HashMap<>();
      env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("integrity.db"));
      if (runsPerInstance != null) {
        env.put("SCHEDULED_RUNS_PER_INSTANCE", runsPerInstance);
      }
      System.out.printf(
          "%d bases of %d pages (%d ms a page), %d token(s), every minute, %d minute(s);"
              + " SCHEDULED_RUNS_PER_INSTANCE %s; store %s%n",
          bases,
          pages,
          latencyMs,
          tokens,
          minutes,
          runsPerInstance == null ? "default" : runsPerInstance,
          dir.resolve("integrity.db"));
      try (IntegrityApp app =
          IntegrityApp.builder()
              .environment(env)
              .configs(configs)
              .serving(Service.Options.of("127.0.0.1", 0))
              .build()) {
        app.serve();
        Instant first = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(MINUTE);
        // The first minute's fires, then `minutes` measured minutes: the first minute has no
        // fetch history (each table read whole), the later ones are planned from it.
        Instant end = first.plus(MINUTE.multipliedBy(minutes + 1L));
        System.out.printf("first fire %s, measuring until %s%n", first, end);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), end).toMillis() + 2_000));
        report(app, sims, limits, first, minutes + 1, anchor, anchorNanos, tokens);
      }
    } finally {
      sims.forEach(AirtableSimulator::close);
    }
  }

  private static void report(
      IntegrityApp app,
      List<AirtableSimulator> sims,
      List<TokenLimit> limits,
      Instant first,
      int minutes,
      Instant anchor,
      long anchorNanos,
      int tokens) {
    List<RunRecord> runs = app.store().runs().list(RunQuery.latest(100_000));
    List<FireRow> fires = new ArrayList<>();
    for (int i = 0; i < sims.size(); i++) {
      fires.addAll(app.store().schedules().fires("minute-" + i, 1_000));
    }
    List<Instant> arrivals = new ArrayList<>();
    List<Instant> throttled = new ArrayList<>();
    for (AirtableSimulator sim : sims) {
      for (RequestLog r : sim.requests()) {
        Instant at = anchor.plusNanos(r.arrivalNanos() - anchorNanos);
        arrivals.add(at);
        if (r.status() == 429) {
          throttled.add(at);
        }
      }
    }
    System.out.println(
        "| minute (UTC) | runs | requests | requests/s while working (first to last request) |"
            + " 429s | fastest run | slowest run | slowest / fastest | fire to end, fastest to"
            + " slowest | not succeeded | fires skipped |");
    System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int m = 0; m < minutes; m++) {
      Instant from = first.plus(MINUTE.multipliedBy(m));
      Instant to = from.plus(MINUTE);
      List<Instant> inMinute =
          arrivals.stream().filter(a -> !a.isBefore(from) && a.isBefore(to)).sorted().toList();
      double perSecond = 0;
      if (inMinute.size() > 1) {
        double span = Duration.between(inMinute.getFirst(), inMinute.getLast()).toNanos() / 1e9;
        perSecond = (inMinute.size() - 1) / span;
      }
      long limited = throttled.stream().filter(a -> !a.isBefore(from) && a.isBefore(to)).count();
      List<RunRecord> ofMinute =
          runs.stream()
              .filter(r -> !r.createdAt().isBefore(from) && r.createdAt().isBefore(to))
              .toList();
      List<Double> took = new ArrayList<>();
      List<Double> fireToEnd = new ArrayList<>();
      int notSucceeded = 0;
      for (RunRecord r : ofMinute) {
        if (r.status() != RunStatus.SUCCEEDED) {
          notSucceeded++;
        }
        if (r.startedAt() != null && r.finishedAt() != null) {
          took.add(Duration.between(r.startedAt(), r.finishedAt()).toMillis() / 1000.0);
          fireToEnd.add(Duration.between(from, r.finishedAt()).toMillis() / 1000.0);
        }
      }
      long skipped =
          fires.stream()
              .filter(f -> FireRow.SKIPPED.equals(f.outcome()))
              .filter(f -> f.firedAt() != null)
              .filter(f -> !f.firedAt().isBefore(from) && f.firedAt().isBefore(to))
              .count();
      double fastest = took.stream().mapToDouble(d -> d).min().orElse(0);
      double slowest = took.stream().mapToDouble(d -> d).max().orElse(0);
      System.out.printf(
          "| %s | %d | %d | %.1f | %d | %.1f s | %.1f s | %.2f | %.1f to %.1f s | %d | %d |%n",
          from.toString().substring(11, 16),
          ofMinute.size(),
          inMinute.size(),
          perSecond,
          limited,
          fastest,
          slowest,
          fastest == 0 ? 0 : slowest / fastest,
          fireToEnd.stream().mapToDouble(d -> d).min().orElse(0),
          fireToEnd.stream().mapToDouble(d -> d).max().orElse(0),
          notSucceeded,
          skipped);
    }
    // Where a minute's time goes: requests per second from its first request, so a slow ramp or a
    // long tail shows as the seconds below the token's rate.
    for (int m = 0; m < minutes; m++) {
      Instant from = first.plus(MINUTE.multipliedBy(m));
      Instant to = from.plus(MINUTE);
      List<Instant> inMinute =
          arrivals.stream().filter(a -> !a.isBefore(from) && a.isBefore(to)).sorted().toList();
      if (inMinute.isEmpty()) {
        continue;
      }
      int[] perSecond = new int[61];
      for (Instant a : inMinute) {
        perSecond[(int) Math.min(60, Duration.between(inMinute.getFirst(), a).toSeconds())]++;
      }
      StringBuilder line = new StringBuilder();
      for (int s = 0;
          s <= Duration.between(inMinute.getFirst(), inMinute.getLast()).toSeconds();
          s++) {
        line.append(s == 0 ? "" : " ").append(perSecond[s]);
      }
      System.out.printf(
          "%s: first request %.1f s after the fire; per second: %s%n",
          from.toString().substring(11, 16),
          Duration.between(from, inMinute.getFirst()).toMillis() / 1000.0,
          line);
    }
    long refused = limits.stream().mapToLong(TokenLimit::refused).sum();
    System.out.printf(
        "token limit: %d x 429 in all; goal: >= %.1f requests/s (0.9 x %d token(s) x 50)%n",
        refused, 0.9 * 50 * tokens, tokens);
  }
}
