package dev.integrity.bench;

import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.web.StoreBackend;
import dev.integrity.web.WebServer;
import dev.integrity.web.WebSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long the run page of a 100,000-issue run takes to render, over HTTP, against a real SQLite
 * store holding 30 runs of the base (the sparklines' window). A program, not a test: it prints
 * figures and asserts nothing.
 *
 * <p>Args: [issues per big run, default 100000] [rounds, default 50].
 */
public final class RunPageBenchmark {
  private static final String BASE = "appBENCHRUNPAGE01";
  private static final List<String> ENTITIES = List.of("teachers", "classes", "students", "rooms");
  private static final String[] CHECKS = {
    "required-name", "unique-email", "format-email", "link-teacher", "rule-dates"
  };

  private RunPageBenchmark() {}

  public static void main(String[] args) throws Exception {
    int big = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    Path dir = Files.createTempDirectory("run-page-bench");
    Clock clock = Clock.systemUTC();
    try (Store store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("b.db")), clock)) {
      long t0 = System.nanoTime();
      String last = null;
      for (int run = 1; run <= 30; run++) {
        // The last two runs are big (the second one compares with the first); the rest are small.
        last = run(store, run >= 29 ? big : 1_000, run);
      }
      System.out.printf(
          Locale.ROOT, "store: 30 runs written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
      System.out.printf(
          Locale.ROOT,
          "run %s: %,d open issues in %d summary rows%n",
          last,
          store.issues().summary(last).total(),
          store.issues().checkCounts(last).size());
      try (WebServer server =
          new WebServer(new StoreBackend(store, BASE), WebSettings.defaults(clock).withPort(0))
              .start()) {
        HttpClient http = HttpClient.newHttpClient();
        String root = server.url().toString();
        measure(http, root + "runs/" + last, rounds, "run page (summary + first 50 issues)");
        measure(
            http,
            root + "runs/" + last + "?entity=students&check=unique-email&severity=fail&state=new",
            rounds,
            "run page, one slice");
        measure(http, root + "runs/" + last + "?offset=50000", rounds, "run page, offset 50,000");
        measure(http, root + "api/runs/" + last + "/summary", rounds, "GET /api/runs/{id}/summary");
        measure(http, root, rounds, "runs page (50 runs)");
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String run(Store store, int issues, int n) {
    RunRecord run = store.runs().create(BASE, Trigger.SCHEDULE, "nightly", ENTITIES);
    store.runs().claim(run.id(), "bench");
    store
        .runs()
        .saveEntities(
            run.id(), ENTITIES.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    for (String e : ENTITIES) {
      store
          .runs()
          .updateEntity(
              new EntityProgress(run.id(), e, e, EntityStatus.FETCHED, 25_000, 250, 21_000L, null));
    }
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (int i = 0; i < issues; i++) {
        // Shifting records by 1,260 (a multiple of the entity, check and severity cycles) per run
        // makes most issues persist and some new and resolved.
        int record = i + n * 1260;
        String check = CHECKS[i % CHECKS.length];
        writer.add(
            new IssueRow(
                run.id(),
                ENTITIES.get((i / 7) % ENTITIES.size()),
                "rec" + record,
                check,
                check.startsWith("rule") ? null : "Email",
                i % 9 == 0 ? "warn" : "fail",
                "value <" + record + "> breaks " + check,
                "https://airtable.com/" + BASE + "/tblX/rec" + record,
                null));
      }
    }
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            ENTITIES.stream().map(e -> EntityCoverage.complete(e, List.of(CHECKS))).toList());
    // A run marks each entity checked once its issues are stored; new/resolved compare with that.
    ENTITIES.forEach(
        e -> store.runs().updateEntity(EntityProgress.pending(run.id(), e, e).checkedWith(0)));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  private static void measure(HttpClient http, String url, int rounds, String label)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").build();
    int bytes = 0;
    for (int i = 0; i < 10; i++) {
      bytes = send(http, request).length();
    }
    double[] ms = new double[rounds];
    // CPU time of this whole process (server and client) per request: on a shared, loaded machine
    // it says more about the page's own cost than wall-clock time does.
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    for (int i = 0; i < rounds; i++) {
      long start = System.nanoTime();
      send(http, request);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    double cpu = (os.getProcessCpuTime() - cpuStart) / 1e6 / rounds;
    Arrays.sort(ms);
    System.out.printf(
        Locale.ROOT,
        "%-40s median %6.1f ms  p95 %6.1f ms  max %6.1f ms  cpu %5.1f ms/request  (%,d bytes)%n",
        label,
        ms[rounds / 2],
        ms[(int) Math.ceil(rounds * 0.95) - 1],
        ms[rounds - 1],
        cpu,
        bytes);
  }

  private static String send(HttpClient http, HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode());
    }
    return response.body();
  }
}
