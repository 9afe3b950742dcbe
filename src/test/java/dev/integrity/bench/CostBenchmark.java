package dev.integrity.bench;

import dev.integrity.app.IntegrityApp;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CallBudget;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.cost.Projection;
import dev.integrity.cost.Projections;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 19, goal 4: what one run costs in Airtable API calls, and what its nightly schedule
 * projects for a month against the Free and Team budgets. Not a test; run as
 *
 * <pre>
 * java … dev.integrity.bench.CostBenchmark demo|skewed [SERVER_RATE]
 * </pre>
 *
 * {@code demo}: {@code examples/demo/integrity.yml} against the demo base; {@code skewed}: the
 * skewed base of {@link FetchBenchmark} (Rooms 200, Teachers 1,000, Classes 5,000, Students 12,000
 * records; 182 pages) with one check per table and the same nightly schedule. One run each, at 20
 * requests/s and 20 ms a page; prints the run's {@code apiCalls}, the requests the simulator logged
 * by kind, and the projections.
 */
public final class CostBenchmark {
  private static final String SKEWED_ENTITIES =
      """
        rooms:
          table: Rooms
          checks:
            - required: [Name]
        teachers:
          table: Teachers
          checks:
            - required: [Name]
        classes:
          table: Classes
          checks:
            - required: [Name]
        students:
          table: Students
          checks:
            - range: {field: Number, min: 1, max: 11000}
      schedules:
        - name: nightly
          cron: "0 2 * * *"
          timezone: America/New_York
      """;

  private CostBenchmark() {}

  public static void main(String[] args) throws Exception {
    String which = args.length > 0 ? args[0] : "demo";
    // The simulator's limit; below our ceiling of 20 it answers 429s, whose retries count too.
    int serverRate = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    Dataset data = which.equals("skewed") ? FetchBenchmark.skewed() : Dataset.demo();
    Path dir = Files.createTempDirectory("cost-bench");
    try (AirtableSimulator sim =
        AirtableSimulator.builder()
            .dataset(data)
            .latency(Duration.ofMillis(20))
            .rateLimitPerSecond(serverRate)
            .build()
            .start()) {
      Map<String, String> env = new java.util.HashMap<>(TestBases.env(sim, dir, 300));
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "20");
      env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "30");
      env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "30");
      env.put("RUN_HEARTBEAT_INTERVAL_SECONDS", "5");
      env.put("RUN_HEARTBEAT_STALE_SECONDS", "60");
      Path config =
          which.equals("skewed")
              ? TestBases.config(dir, data.baseId(), SKEWED_ENTITIES)
              : Path.of("examples/demo/integrity.yml");
      IntegrityConfig loaded = ConfigLoader.load(config, env);
      try (IntegrityApp app = IntegrityApp.builder().environment(env).config(config).build()) {
        RunReport run = app.runOnce(List.of(), RunMode.FULL);
        List<RequestLog> requests = sim.requests();
        Map<String, Integer> byKind = new TreeMap<>();
        for (RequestLog r : requests) {
          byKind.merge(kind(r.path()) + (r.status() == 429 ? " 429" : ""), 1, Integer::sum);
        }
        int pages = run.entities().stream().mapToInt(RunReport.EntityReport::pages).sum();
        System.out.printf(
            "%s: run %s %s in %.1f s, entity pages %d, apiCalls %d, simulator requests %d %s%n",
            which,
            run.id(),
            run.status(),
            run.durationMs() / 1000.0,
            pages,
            run.apiCalls(),
            requests.size(),
            byKind);
        for (CallBudget budget : List.of(CallBudget.parse("free"), CallBudget.parse("team"))) {
          IntegrityConfig budgeted =
              new IntegrityConfig(
                  loaded.source(),
                  new AirtableConfig(
                      loaded.airtable().baseId(),
                      loaded.airtable().token(),
                      loaded.airtable().baseUrl(),
                      budget),
                  loaded.entities(),
                  loaded.schedules(),
                  loaded.alerts());
          for (Projection p :
              Projections.of(
                  budgeted, loaded.schedules(), app.store(), Clock.systemUTC().instant())) {
            System.out.println((p.overBudget() ? "WARN " : "ok   ") + p.text());
          }
        }
      }
    }
  }

  private static String kind(String path) {
    if (path.startsWith("/v0/meta/")) {
      return "schema";
    }
    return path.contains("/webhooks") ? "webhook" : "list";
  }
}
