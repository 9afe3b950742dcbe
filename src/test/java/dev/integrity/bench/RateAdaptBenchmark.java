package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.TableFetch;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server whose rate limit is lower than the client's ceiling (another integration uses the base,
 * or a plan's quota throttles it): the simulator allows 2 requests/s per base with Airtable's 30 s
 * lockout, the client is configured for 5. Four tables of 120 pages are fetched side by side, as a
 * run does, for a fixed scan time; prints pages fetched per second (the ideal is the server's
 * limit), 429s received and the pages of each 30 s slice. Not a test: run it with
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.integrity.bench.RateAdaptBenchmark [-Dexec.args="180 2 5 50"]
 * </pre>
 *
 * args: scan seconds, server limit per second, client ceiling per second, latency in ms.
 */
public final class RateAdaptBenchmark {
  private static final int TABLES = 4;
  private static final int RECORDS_PER_TABLE = 12_000; // 120 pages each, 480 in all
  private static final Duration SLICE = Duration.ofSeconds(30);

  private RateAdaptBenchmark() {}

  public static void main(String[] args) throws Exception {
    int scanSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
    int serverRate = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int ceiling = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    int latencyMs = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    Map<String, Integer> tables = new LinkedHashMap<>();
    for (int i = 1; i <= TABLES; i++) {
      tables.put("Table" + i, RECORDS_PER_TABLE);
    }
    Dataset data = Dataset.synthetic(tables);
    ExecutorService pool =
        Executors.newFixedThreadPool(TABLES, Thread.ofPlatform().name("bench-fetch-", 0).factory());
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(data)
                .rateLimitPerSecond(serverRate)
                .latency(Duration.ofMillis(latencyMs))
                .build()
                .start();
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret(sim.token()))
                    .rateLimitPerSecond(ceiling)
                    .maxRetries(20)
                    .build(),
                Ticker.system(),
                AirtableListener.none())) {
      FetchControl control = FetchControl.create();
      AtomicInteger pages = new AtomicInteger();
      int slices = (int) Math.ceil(scanSeconds / (double) SLICE.toSeconds());
      AtomicInteger[] perSlice = new AtomicInteger[slices];
      for (int i = 0; i < slices; i++) {
        perSlice[i] = new AtomicInteger();
      }
      long t0 = System.nanoTime();
      List<Future<TableFetch>> fetches = new ArrayList<>();
      for (String table : tables.keySet()) {
        fetches.add(
            pool.submit(
                () ->
                    client.listRecords(
                        data.baseId(),
                        table,
                        ListOptions.all(),
                        control,
                        e -> {
                          pages.incrementAndGet();
                          int slice = (int) ((System.nanoTime() - t0) / SLICE.toNanos());
                          perSlice[Math.min(slice, slices - 1)].incrementAndGet();
                        })));
      }
      long deadline = t0 + TimeUnit.SECONDS.toNanos(scanSeconds);
      int finished = 0;
      for (Future<TableFetch> f : fetches) {
        long left = deadline - System.nanoTime();
        try {
          f.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
          finished++;
        } catch (java.util.concurrent.TimeoutException e) {
          // the scan time is up: stop below
        } catch (ExecutionException e) {
          System.out.println("a fetch failed: " + e.getCause());
        }
      }
      double seconds = Math.min(System.nanoTime() - t0, deadline - t0) / 1e9;
      int fetched = pages.get();
      control.cancel("the benchmark's scan time is up");
      long throttled =
          sim.requests().stream().mapToInt(RequestLog::status).filter(s -> s == 429).count();
      System.out.printf(
          "server limit %d/s, client ceiling %d/s, latency %d ms: %d pages in %.1f s ="
              + " %.2f pages/s (ideal %.1f); 429 answers: %d; tables finished: %d of %d%n",
          serverRate,
          ceiling,
          latencyMs,
          fetched,
          seconds,
          fetched / seconds,
          (double) serverRate,
          throttled,
          finished,
          TABLES);
      StringBuilder sb = new StringBuilder("pages per 30 s slice:");
      for (AtomicInteger slice : perSlice) {
        sb.append(' ').append(slice.get());
      }
      System.out.println(sb);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
