package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.RateRule;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Issue 19, goal 1: a base whose rate is shared (another integration uses it, or an exhausted
 * monthly quota throttles the plan to 2 requests/s). The simulator allows {@code limit} requests/s
 * with Airtable's 30 s lockout, the client's ceiling is {@code ceiling}; four tables are fetched
 * side by side, each over and over, as runs would. After {@code riseAt} seconds the server's limit
 * rises to {@code riseTo} (the other integration stopped) for {@code after} more seconds. Prints
 * the pages per second over the window [60 s, riseAt) as a ratio to the limit, the 429s (all, and
 * after the first minute), and how long after the rise the rate first averaged 0.9 x the new limit
 * over 30 s. Not a test: run it with
 *
 * <pre>
 * java … dev.integrity.bench.RateAdaptBenchmark [riseAt 360] [limit 2] [ceiling 5] [riseTo 5] [after 180] [latencyMs 50] [probeMinutes 20]
 * </pre>
 *
 * <p>{@code probeMinutes} is AIRTABLE_RATE_PROBE_MINUTES, the longest wait between probes.
 */
public final class RateAdaptBenchmark {
  private static final int TABLES = 4;
  private static final int RECORDS_PER_TABLE = 12_000; // 120 pages each
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  private RateAdaptBenchmark() {}

  public static void main(String[] args) throws Exception {
    int riseAt = arg(args, 0, 360);
    int limit = arg(args, 1, 2);
    int ceiling = arg(args, 2, 5);
    int riseTo = arg(args, 3, 5);
    int after = arg(args, 4, 180);
    int latencyMs = arg(args, 5, 50);
    int probeMinutes = arg(args, 6, (int) RateRule.DEFAULT_LONGEST_PROBE_WAIT.toMinutes());
    Map<String, Integer> tables = new LinkedHashMap<>();
    for (int i = 1; i <= TABLES; i++) {
      tables.put("Table" + i, RECORDS_PER_TABLE);
    }
    Dataset data = Dataset.synthetic(tables);
    ExecutorService pool =
        Executors.newFixedThreadPool(TABLES, Thread.ofPlatform().name("bench-fetch-", 0).factory());
    ConcurrentLinkedQueue<Long> pageTimes = new ConcurrentLinkedQueue<>();
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(data)
                .rateLimitPerSecond(limit)
                .latency(java.time.Duration.ofMillis(latencyMs))
                .build()
                .start();
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret(sim.token()))
                    .rateLimitPerSecond(ceiling)
                    .rateRule(RateRule.probingWithin(java.time.Duration.ofMinutes(probeMinutes)))
                    .maxRetries(1_000)
                    .build(),
                Ticker.system(),
                AirtableListener.none())) {
      FetchControl control = FetchControl.create();
      long t0 = System.nanoTime();
      long end = t0 + (riseAt + after) * SECOND;
      for (String table : tables.keySet()) {
        pool.submit(
            () -> {
              while (System.nanoTime() - end < 0 && !control.isCancelled()) {
                client.listRecords(
                    data.baseId(),
                    table,
                    ListOptions.all(),
                    control,
                    e -> pageTimes.add(System.nanoTime()));
              }
              return null;
            });
      }
      TimeUnit.NANOSECONDS.sleep(riseAt * SECOND);
      sim.rateLimitPerSecond(riseTo);
      TimeUnit.NANOSECONDS.sleep(end - System.nanoTime());
      control.cancel("the benchmark's time is up");

      List<Long> pages = pageTimes.stream().map(t -> t - t0).sorted().toList();
      List<Long> throttled = new ArrayList<>();
      for (RequestLog r : sim.requests()) {
        if (r.status() == 429) {
          throttled.add(r.arrivalNanos() - t0);
        }
      }
      throttled.sort(null);
      // What the server counted before each 429 (arrival stamps within the second before it), so
      // a 429 at a rate that had held shows whether two sends were stamped closer than we sent
      // them.
      List<Long> arrivals =
          sim.requests().stream().map(r -> r.arrivalNanos() - t0).sorted().toList();
      for (long at : throttled) {
        System.out.printf(
            "429 at %.3f s; arrivals in the second before: %s%n",
            at / 1e9,
            arrivals.stream()
                .filter(a -> a < at && at - a < SECOND)
                .map(a -> String.format("%.3f", a / 1e9))
                .toList());
      }
      double windowSeconds = riseAt - 60;
      long inWindow = count(pages, 60 * SECOND, riseAt * SECOND);
      double rate = inWindow / windowSeconds;
      System.out.printf(
          "server limit %d/s, ceiling %d/s, latency %d ms, probes at most %d min apart; window"
              + " [60 s, %d s): %d pages = %.2f pages/s = %.3f x the limit%n",
          limit, ceiling, latencyMs, probeMinutes, riseAt, inWindow, rate, rate / limit);
      System.out.printf(
          "429s: %d in all, %d in the window, at s: %s%n",
          throttled.size(),
          count(throttled, 60 * SECOND, riseAt * SECOND),
          throttled.stream().map(t -> String.format("%.1f", t / 1e9)).toList());
      Long reached = null;
      for (long from = riseAt * SECOND; from + 30 * SECOND <= end - t0; from += SECOND) {
        if (count(pages, from, from + 30 * SECOND) / 30.0 >= 0.9 * riseTo) {
          reached = from + 30 * SECOND - riseAt * SECOND;
          break;
        }
      }
      // When the rate itself got there (a 5 s average), apart from the 30 s average's lag.
      Long rateReached = null;
      for (long from = riseAt * SECOND; from + 5 * SECOND <= end - t0; from += SECOND / 2) {
        if (count(pages, from, from + 5 * SECOND) / 5.0 >= 0.9 * riseTo) {
          rateReached = from + 5 * SECOND - riseAt * SECOND;
          break;
        }
      }
      System.out.printf(
          "limit raised at %d s: a 5 s average first reached %.1f/s %s%n",
          riseAt,
          0.9 * riseTo,
          rateReached == null
              ? "never"
              : String.format("%.1f s after the rise", rateReached / 1e9));
      System.out.printf(
          "limit raised to %d/s at %d s: the rate first averaged >= %.1f/s over 30 s %s; last 60"
              + " s: %.2f pages/s%n",
          riseTo,
          riseAt,
          0.9 * riseTo,
          reached == null ? "never" : String.format("%.0f s after the rise", reached / 1e9),
          count(pages, end - t0 - 60 * SECOND, end - t0) / 60.0);
      StringBuilder slices = new StringBuilder("pages per 30 s:");
      for (long from = 0; from < end - t0; from += 30 * SECOND) {
        slices.append(' ').append(count(pages, from, from + 30 * SECOND));
      }
      System.out.println(slices);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static long count(List<Long> times, long from, long to) {
    return times.stream().filter(t -> t >= from && t < to).count();
  }

  private static int arg(String[] args, int i, int otherwise) {
    return args.length > i ? Integer.parseInt(args[i]) : otherwise;
  }
}
