package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.PageListener;
import dev.integrity.airtable.TableFetch;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.SimTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scans the simulator's demo base at a given latency and rate limit and prints fetch time / (pages
 * / rate): 1.00 is the rate limit's floor. Compares tables fetched concurrently (what a run does)
 * with table after table (what the official Airtable.js client does). Not a test: run it with
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.integrity.bench.FetchBenchmark [-Dexec.args="300 5 both"]
 * </pre>
 */
public final class FetchBenchmark {
  private FetchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int latencyMs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String mode = args.length > 2 ? args[2] : "both";
    Dataset demo = Dataset.demo();
    if (!mode.equals("sequential")) {
      measure(demo, latencyMs, rate, true);
    }
    if (!mode.equals("concurrent")) {
      measure(demo, latencyMs, rate, false);
    }
  }

  private static void measure(Dataset demo, int latencyMs, int rate, boolean concurrent)
      throws Exception {
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(demo)
                .latency(Duration.ofMillis(latencyMs))
                .rateLimitPerSecond(rate)
                .build()
                .start();
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret(sim.token()))
                    .rateLimitPerSecond(rate)
                    .build(),
                Ticker.system(),
                AirtableListener.none())) {
      ExecutorService pool = Executors.newFixedThreadPool(concurrent ? demo.tables().size() : 1);
      FetchControl control = FetchControl.create();
      long t0 = System.nanoTime();
      List<Future<TableFetch>> fetches = new ArrayList<>();
      for (SimTable table : demo.tables()) {
        fetches.add(
            pool.submit(
                () ->
                    client.listRecords(
                        demo.baseId(),
                        table.name(),
                        ListOptions.all(),
                        control,
                        PageListener.none())));
      }
      int pages = 0;
      long records = 0;
      for (Future<TableFetch> f : fetches) {
        pages += f.get().pages();
        records += f.get().records().size();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      long throttled =
          sim.requests().stream().mapToInt(RequestLog::status).filter(s -> s == 429).count();
      double ideal = pages / (double) rate;
      System.out.printf(
          "%-10s latency %d ms, limit %d/s: %,d records, %d pages in %.1f s; ideal %.1f s;"
              + " ratio %.3f; 429 answers: %d%n",
          concurrent ? "concurrent" : "sequential",
          latencyMs,
          rate,
          records,
          pages,
          seconds,
          ideal,
          seconds / ideal,
          throttled);
    }
  }
}
