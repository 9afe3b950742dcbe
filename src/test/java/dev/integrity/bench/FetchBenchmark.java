package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.PageListener;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.TableFetch;
import dev.integrity.app.IntegrityApp;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.plan.FetchPlan;
import dev.integrity.plan.FetchPlanner;
import dev.integrity.plan.FieldProjection;
import dev.integrity.plan.LastFetch;
import dev.integrity.plan.PageLatency;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.SimTable;
import dev.integrity.testing.TestBases;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fetch benchmarks against the simulator; not a test. Run with
 *
 * <pre>
 * ./mvnw -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.integrity.bench.FetchBenchmark [-Dexec.args="300 5 both demo"]
 * </pre>
 *
 * Arguments: latency in ms, rate per second, mode, dataset ({@code demo} or {@code skewed}).
 *
 * <ul>
 *   <li>{@code concurrent}, {@code sequential}, {@code both}: time / (pages / rate) of one scan,
 *       tables side by side (what a run does today) or table after table (Airtable.js); 1.00 is the
 *       floor the rate limit sets.
 *   <li>{@code planned}: two scans, as a nightly check has a last night: the first as today,
 *       recording each table's pages and median page latency; the second by the {@link
 *       FetchPlanner}'s plan (largest first, big tables as record-id partitions side by side),
 *       measured. The client's limiter does not yet favour the table with most pages left (that
 *       comes with the engine integration), so this is the plan's effect alone.
 *   <li>{@code engine}: two runs of the real engine (store, plan, partitions, the base limiter
 *       favouring the table with most pages left); the second is measured. This is the issue's
 *       figure; {@code -Dbench.arrivals=true} prints the server's arrival stamps of that run.
 *   <li>{@code firstnight}: the first run of the real engine on a fresh store (no table has a page
 *       count yet: each is read from its first page, then as record-id partitions), measured from
 *       submit to its end against the base's pages / rate, with its 429s and list requests; then a
 *       second run, planned from the first one's figures, for comparison.
 *   <li>{@code bytes}: bytes the simulator sent for one scan of a base whose records carry a
 *       2,000-character field no check reads, with and without field projection.
 * </ul>
 *
 * The skewed base has tables of 2, 10, 50 and 120 pages (182 pages).
 */
public final class FetchBenchmark {
  private FetchBenchmark() {}

  /** Tables of 2, 10, 50 and 120 pages of 100: one big table and small ones, as real bases are. */
  static Dataset skewed() {
    Map<String, Integer> tables = new LinkedHashMap<>();
    tables.put("Rooms", 200);
    tables.put("Teachers", 1_000);
    tables.put("Classes", 5_000);
    tables.put("Students", 12_000);
    return Dataset.synthetic(tables);
  }

  /** 2,000 records (20 pages) whose every record carries 2,000 characters of unchecked Notes. */
  static Dataset heavy() {
    return Dataset.synthetic(Map.of("Students", 2_000), 2_000);
  }

  public static void main(String[] args) throws Exception {
    int latencyMs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String mode = args.length > 2 ? args[2] : "both";
    Dataset data = args.length > 3 && args[3].equals("skewed") ? skewed() : Dataset.demo();
    switch (mode) {
      case "bytes" -> bytes(latencyMs, rate);
      case "planned" -> planned(data, latencyMs, rate);
      case "engine" -> engine(data, latencyMs, rate);
      case "firstnight" -> firstNight(data, latencyMs, rate);
      default -> {
        if (!mode.equals("sequential")) {
          measure(data, latencyMs, rate, true);
        }
        if (!mode.equals("concurrent")) {
          measure(data, latencyMs, rate, false);
        }
      }
    }
  }

  private static AirtableSimulator simulator(Dataset data, int latencyMs, int rate) {
    return AirtableSimulator.builder()
        .dataset(data)
        .latency(Duration.ofMillis(latencyMs))
        .rateLimitPerSecond(rate)
        .build()
        .start();
  }

  private static AirtableClient client(AirtableSimulator sim, int rate, AirtableListener listener) {
    return new AirtableClient(
        AirtableSettings.builder()
            .baseUrl(sim.baseUrl())
            .token(new Secret(sim.token()))
            .rateLimitPerSecond(rate)
            .build(),
        Ticker.system(),
        listener);
  }

  private static void measure(Dataset data, int latencyMs, int rate, boolean concurrent)
      throws Exception {
    try (AirtableSimulator sim = simulator(data, latencyMs, rate);
        AirtableClient client = client(sim, rate, AirtableListener.none())) {
      Map<String, ListOptions> work = new LinkedHashMap<>();
      data.tables().forEach(t -> work.put(t.name(), ListOptions.all()));
      Scan scan = scan(data, client, work, concurrent ? work.size() : 1);
      report(concurrent ? "concurrent" : "sequential", latencyMs, rate, scan, sim);
    }
  }

  /** Two scans: the first as today, the second by the plan made from the first's figures. */
  private static void planned(Dataset data, int latencyMs, int rate) throws Exception {
    Map<String, PageLatency> latencies = new ConcurrentHashMap<>();
    AirtableListener listener =
        new AirtableListener() {
          @Override
          public void onRequest(RequestEvent e) {
            if (e.table() != null && e.status() == 200) {
              latencies.computeIfAbsent(e.table(), t -> new PageLatency()).add(e.latency());
            }
          }
        };
    try (AirtableSimulator sim = simulator(data, latencyMs, rate);
        AirtableClient client = client(sim, rate, listener)) {
      Map<String, ListOptions> work = new LinkedHashMap<>();
      data.tables().forEach(t -> work.put(t.name(), ListOptions.all()));
      Scan first = scan(data, client, work, work.size());
      report("first run", latencyMs, rate, first, sim);

      Map<String, LastFetch> last = new LinkedHashMap<>();
      for (SimTable t : data.tables()) {
        last.put(
            t.name(),
            new LastFetch(
                first.pagesByTable().get(t.name()), latencies.get(t.name()).median().get()));
      }
      FetchPlan plan = new FetchPlanner().plan(work.keySet().stream().toList(), last, rate);
      System.out.println("plan: " + plan.reason());
      plan.tables().forEach(t -> System.out.println("  " + t.reason()));

      // Every partition its own iteration, side by side, started largest table first.
      Map<String, ListOptions> planned = new LinkedHashMap<>();
      Map<String, String> tableOf = new LinkedHashMap<>();
      for (FetchPlan.Table t : plan.tables()) {
        List<ListOptions> parts = t.listOptions(null, null, null);
        for (int i = 0; i < parts.size(); i++) {
          String key = t.entity() + (parts.size() > 1 ? "#" + (i + 1) : "");
          planned.put(key, parts.get(i));
          tableOf.put(key, t.entity());
        }
      }
      sim.clearRequests();
      Scan second = scan(data, client, planned, planned.size(), tableOf);
      report("second run (planned)", latencyMs, rate, second, sim, first.pages());
    }
  }

  /**
   * Two runs of the real engine (store, plan, partitions, priority to the table with most pages
   * left), as a nightly check has a last night; the second is measured: from submit to its end,
   * against the base's pages / rate.
   */
  private static void engine(Dataset data, int latencyMs, int rate) throws Exception {
    Path dir = Files.createTempDirectory("fetch-benchmark");
    try (AirtableSimulator sim = simulator(data, latencyMs, rate)) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 280));
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", Integer.toString(rate));
      env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "30");
      env.put("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "10");
      env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "30");
      env.put("RUN_HEARTBEAT_INTERVAL_SECONDS", "5");
      env.put("RUN_HEARTBEAT_STALE_SECONDS", "60");
      StringBuilder entities = new StringBuilder();
      for (SimTable t : data.tables()) {
        String primary = FieldProjection.primaryField(data.schema(), t.name()).orElseThrow();
        entities
            .append("  ")
            .append(t.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_"))
            .append(":\n    table: ")
            .append(t.name())
            .append("\n    checks:\n      - required: [\"")
            .append(primary)
            .append("\"]\n");
      }
      Path config = TestBases.config(dir, data.baseId(), entities.toString());
      try (IntegrityApp app = IntegrityApp.builder().environment(env).config(config).build()) {
        Engined first = engineRun(app, sim);
        report("first run (engine)", latencyMs, rate, first.scan(), sim);
        sim.clearRequests();
        Engined second = engineRun(app, sim);
        if (Boolean.getBoolean("bench.arrivals")) {
          // When the server counted each request (Ticker nanos, as the client's trace lines).
          sim.requests().stream()
              .limit(40)
              .forEach(
                  r ->
                      System.out.println(
                          "arrival "
                              + r.arrivalNanos()
                              + " "
                              + r.tableIdOrName()
                              + " "
                              + r.status()
                              + (r.parameter("offset").isEmpty() ? " first page" : "")));
        }
        report("second run (engine)", latencyMs, rate, second.scan(), sim, first.scan().pages());
        System.out.println("second run status: " + second.status());
      }
    }
  }

  /**
   * The first run of a base on a fresh store (issue 19, goal 2), then the second, planned from the
   * first one's figures. The floor is the base's pages (100 records each) / rate.
   */
  private static void firstNight(Dataset data, int latencyMs, int rate) throws Exception {
    Path dir = Files.createTempDirectory("fetch-benchmark");
    int floorPages =
        data.tables().stream().mapToInt(t -> LastFetch.pagesOf(t.records().size())).sum();
    try (AirtableSimulator sim = simulator(data, latencyMs, rate);
        IntegrityApp app = engineApp(data, sim, dir, rate)) {
      Engined first = engineRun(app, sim);
      report("first run (engine)", latencyMs, rate, first.scan(), sim, floorPages);
      requests("first run", sim);
      System.out.println("first run status: " + first.status());
      System.out.println("pages recorded for the next plan: " + first.scan().pagesByTable());
      sim.clearRequests();
      Engined second = engineRun(app, sim);
      report("second run (engine)", latencyMs, rate, second.scan(), sim, floorPages);
      requests("second run", sim);
      System.out.println("second run status: " + second.status());
    }
  }

  /** List requests per table answered 200, and the 429s, of the last run. */
  private static void requests(String label, AirtableSimulator sim) {
    Map<String, Long> byTable = new LinkedHashMap<>();
    long all = 0;
    for (RequestLog r : sim.requests()) {
      if (r.tableIdOrName() != null && r.status() == 200) {
        byTable.merge(r.tableIdOrName(), 1L, Long::sum);
        all++;
      }
    }
    System.out.println(label + ": " + all + " list requests answered 200, by table " + byTable);
  }

  /** The real app on a SQLite store in {@code dir}, one entity per table of {@code data}. */
  private static IntegrityApp engineApp(Dataset data, AirtableSimulator sim, Path dir, int rate) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 280));
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", Integer.toString(rate));
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "30");
    env.put("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "10");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "30");
    env.put("RUN_HEARTBEAT_INTERVAL_SECONDS", "5");
    env.put("RUN_HEARTBEAT_STALE_SECONDS", "60");
    StringBuilder entities = new StringBuilder();
    for (SimTable t : data.tables()) {
      String primary = FieldProjection.primaryField(data.schema(), t.name()).orElseThrow();
      entities
          .append("  ")
          .append(t.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "_"))
          .append(":\n    table: ")
          .append(t.name())
          .append("\n    checks:\n      - required: [\"")
          .append(primary)
          .append("\"]\n");
    }
    Path config = TestBases.config(dir, data.baseId(), entities.toString());
    return IntegrityApp.builder().environment(env).config(config).build();
  }

  private record Engined(Scan scan, String status) {}

  private static Engined engineRun(IntegrityApp app, AirtableSimulator sim) {
    long t0 = System.nanoTime();
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
    RunRecord ended = app.execute(queued.id());
    double seconds = (System.nanoTime() - t0) / 1e9;
    int pages = 0;
    long records = 0;
    Map<String, Integer> byTable = new LinkedHashMap<>();
    for (EntityProgress e : app.store().runs().entities(ended.id())) {
      pages += e.pages();
      records += e.records();
      byTable.put(e.table(), e.pages());
    }
    return new Engined(new Scan(seconds, pages, records, byTable), ended.status().wire());
  }

  /** Bytes sent by the simulator for one scan, every field vs the projected ones. */
  private static void bytes(int latencyMs, int rate) throws Exception {
    Dataset data = heavy();
    SimTable table = data.tables().getFirst();
    EntityConfig entity =
        new EntityConfig(
            "students",
            table.name(),
            List.of(
                new CheckSpec.Required(List.of("Name")),
                new CheckSpec.Range(
                    "Number", new CheckSpec.Range.Bound.Number(BigDecimal.ONE), null)));
    List<String> fields = FieldProjection.fields(entity, data.schema());
    try (AirtableSimulator sim = simulator(data, latencyMs, rate);
        AirtableClient client = client(sim, rate, AirtableListener.none())) {
      long all = bytesOf(sim, client, data, table, ListOptions.all());
      long projected = bytesOf(sim, client, data, table, new ListOptions(fields, null, null));
      System.out.printf(
          "bytes: %,d records x 2,000-char unchecked field: every field %,d bytes; fields[]=%s"
              + " %,d bytes; ratio %.3f%n",
          table.records().size(), all, fields, projected, projected / (double) all);
    }
  }

  private static long bytesOf(
      AirtableSimulator sim,
      AirtableClient client,
      Dataset data,
      SimTable table,
      ListOptions options) {
    sim.clearRequests();
    client.listRecords(
        data.baseId(), table.name(), options, FetchControl.create(), PageListener.none());
    return sim.requests().stream().mapToLong(RequestLog::bodyBytes).sum();
  }

  private record Scan(double seconds, int pages, long records, Map<String, Integer> pagesByTable) {}

  private static Scan scan(
      Dataset data, AirtableClient client, Map<String, ListOptions> work, int threads)
      throws Exception {
    Map<String, String> identity = new LinkedHashMap<>();
    work.keySet().forEach(k -> identity.put(k, k));
    return scan(data, client, work, threads, identity);
  }

  private static Scan scan(
      Dataset data,
      AirtableClient client,
      Map<String, ListOptions> work,
      int threads,
      Map<String, String> tableOf)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      FetchControl control = FetchControl.create();
      long t0 = System.nanoTime();
      Map<String, Future<TableFetch>> fetches = new LinkedHashMap<>();
      for (var e : work.entrySet()) {
        String table = tableOf.get(e.getKey());
        fetches.put(
            e.getKey(),
            pool.submit(
                () ->
                    client.listRecords(
                        data.baseId(), table, e.getValue(), control, PageListener.none())));
      }
      int pages = 0;
      long records = 0;
      Map<String, Integer> byTable = new LinkedHashMap<>();
      for (var e : fetches.entrySet()) {
        TableFetch f = e.getValue().get();
        pages += f.pages();
        records += f.records().size();
        byTable.merge(tableOf.get(e.getKey()), f.pages(), Integer::sum);
      }
      return new Scan((System.nanoTime() - t0) / 1e9, pages, records, byTable);
    } finally {
      pool.shutdown();
    }
  }

  private static void report(
      String label, int latencyMs, int rate, Scan scan, AirtableSimulator sim) {
    report(label, latencyMs, rate, scan, sim, scan.pages());
  }

  /** The floor is the base's page count / rate (partitions may add a few part-filled pages). */
  private static void report(
      String label, int latencyMs, int rate, Scan scan, AirtableSimulator sim, int floorPages) {
    long throttled =
        sim.requests().stream().mapToInt(RequestLog::status).filter(s -> s == 429).count();
    double ideal = floorPages / (double) rate;
    System.out.printf(
        "%-20s latency %d ms, limit %d/s: %,d records, %d pages in %.1f s; ideal %.1f s;"
            + " ratio %.3f; 429 answers: %d%n",
        label,
        latencyMs,
        rate,
        scan.records(),
        scan.pages(),
        scan.seconds(),
        ideal,
        scan.seconds() / ideal,
        throttled);
  }
}
