package dev.integrity.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.cli.Main;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Fault;
import dev.integrity.sim.Faults;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.RunQuery;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.ChildJvm;
import dev.integrity.testing.Postgres;
import dev.integrity.testing.TcpProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Issue 18, goal 5, not a test: a chaos soak of {@code integrity serve}. This process hosts one
 * Airtable simulator per base ({@link LargeSchool} at a small scale, so the issues a correct run
 * finds are known), writes one config per base, starts {@code integrity serve} as a child JVM and,
 * for each base side by side, injects a random fault and triggers a run through the REST API
 * ({@code POST /api/runs}), again and again, for the given minutes. Faults: a stalled request, a
 * trickled body, a reset mid-body, a burst of 5xx, a burst of 429, a malformed page, an expired
 * offset, a table down (5xx or 404 until lifted), the serve process killed with SIGKILL and
 * restarted, and on PostgreSQL the database down for seconds (a {@link TcpProxy} between serve and
 * PostgreSQL refuses and cuts connections; on SQLite that fault is skipped). After each run it
 * checks, against the store:
 *
 * <ol>
 *   <li>the run is terminal within its bound: {@code MAX_RUN_DURATION_SECONDS}, plus {@code
 *       RUN_HEARTBEAT_STALE_SECONDS} and one heartbeat interval when its instance was killed, plus
 *       the seconds the database was down during it, plus {@link #GRACE};
 *   <li>a {@code succeeded} run has every planned entity {@code checked};
 *   <li>every checked entity's issue count equals the oracle's (between the oracle minus its
 *       dangling links and the oracle when a link target was not fetched, {@code partialChecks});
 *   <li>at the end: every run the soak triggered is in the store exactly once, with its entities.
 * </ol>
 *
 * Every 30 s it prints elapsed time, runs done, runs by status, invariant failures and the serve
 * child's RSS and thread count, and writes them to a CSV file whose path it prints. Run with
 *
 * <pre>
 * ./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *   -Dmdep.includeScope=test
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.integrity.bench.ChaosSoak [minutes=3] [bases=4] [seed=random] [sqlite|postgres=sqlite]
 * </pre>
 *
 * Exit status 0 when no invariant failed, 1 when one did. {@code ChaosSoakTest} runs the same
 * machinery at a tiny scale.
 */
public final class ChaosSoak {
  /** Slack on every bound: the run's ending writes, the poll that sees them, a loaded machine. */
  static final Duration GRACE = Duration.ofSeconds(5);

  static final List<String> ENTITIES = List.of("teachers", "classes", "students", "enrollments");
  static final List<String> TABLES = List.of("Teachers", "Classes", "Students", "Enrollments");

  private static final int HEARTBEAT_SECONDS = 2;
  private static final int STALE_SECONDS = 10;
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration SERVE_READY_WITHIN = Duration.ofSeconds(120);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 5;

  /** Where the run store lives. */
  enum Db {
    SQLITE,
    POSTGRES
  }

  /** What goes wrong before (or during) one run. */
  enum FaultKind {
    NONE(3),
    STALL(1),
    TRICKLE(1),
    RESET(1),
    BURST_5XX(1),
    BURST_429(1),
    MALFORMED(1),
    EXPIRED_OFFSET(1),
    TABLE_DOWN(1),
    KILL(0.4),
    DB_DOWN(0.8);

    final double weight;

    FaultKind(double weight) {
      this.weight = weight;
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param duration how long to keep triggering runs (runs under way then finish)
   * @param maxRuns stop triggering after this many runs (0: no limit)
   * @param script faults to use in this order, one per run, shared by the bases (empty: random)
   * @param maxRunSeconds {@code MAX_RUN_DURATION_SECONDS} of the serve child
   */
  record Options(
      Duration duration,
      int maxRuns,
      int bases,
      long seed,
      Db db,
      double scale,
      List<FaultKind> script,
      int maxRunSeconds,
      Duration reportEvery,
      Path dir,
      PrintStream out) {
    Options {
      script = List.copyOf(script);
      if (bases < 1) {
        throw new IllegalArgumentException("at least one base: " + bases);
      }
    }
  }

  /**
   * What a soak did. {@code failures} are invariant failures (and soak errors), each one line.
   *
   * @param rejected POST /api/runs answered neither 202 nor 409 (a database outage: 5xx)
   * @param lostPosts POST /api/runs whose answer was lost (the serve died under it): the run may
   *     exist without the soak knowing its id
   */
  record Summary(
      long seed,
      Db db,
      int bases,
      Duration elapsed,
      int runs,
      Map<String, Integer> byStatus,
      Map<FaultKind, Integer> faults,
      int busy,
      int rejected,
      int lostPosts,
      int kills,
      int dbOutages,
      long peakRssKb,
      int peakThreads,
      List<String> failures,
      Path csv) {
    boolean passed() {
      return failures.isEmpty();
    }

    String line() {
      return String.format(
          Locale.ROOT,
          "CHAOS SOAK %s: seed=%d db=%s bases=%d in %ds: %d runs %s, 409 busy %d, rejected %d,"
              + " lost posts %d,"
              + " kills %d, db outages %d%s, invariant failures %d, serve peak RSS %d MiB, peak"
              + " threads %d, faults %s; csv %s",
          passed() ? "PASS" : "FAIL",
          seed,
          db.name().toLowerCase(Locale.ROOT),
          bases,
          elapsed.toSeconds(),
          runs,
          byStatus,
          busy,
          rejected,
          lostPosts,
          kills,
          dbOutages,
          db == Db.SQLITE ? " (database-down fault skipped on SQLite)" : "",
          failures.size(),
          peakRssKb / 1024,
          peakThreads,
          faults,
          csv);
    }
  }

  private ChaosSoak() {}

  public static void main(String[] args) throws Exception {
    double minutes = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    int bases = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : new Random().nextLong();
    Db db = args.length > 3 ? Db.valueOf(args[3].toUpperCase(Locale.ROOT)) : Db.SQLITE;
    Path dir = Files.createTempDirectory("chaos-soak");
    Options options =
        new Options(
            Duration.ofSeconds(Math.round(minutes * 60)),
            0,
            bases,
            seed,
            db,
            0.0, // LargeSchool's floor: 4,600 records a base (46 pages)
            List.of(),
            60,
            Duration.ofSeconds(30),
            dir,
            System.out);
    Summary summary = run(options);
    summary.failures().forEach(f -> System.out.println("failed: " + f));
    System.out.println(summary.line());
    System.exit(summary.passed() ? 0 : 1);
  }

  /** Runs a soak as the options say and returns what happened; never throws for a product bug. */
  static Summary run(Options o) throws Exception {
    o.out()
        .printf(
            Locale.ROOT,
            "chaos soak: seed %d, %d base(s), %s, %d s, db %s, files in %s%n",
            o.seed(),
            o.bases(),
            o.maxRuns() > 0 ? "at most " + o.maxRuns() + " runs" : "no run limit",
            o.duration().toSeconds(),
            o.db().name().toLowerCase(Locale.ROOT),
            o.dir());
    if (o.db() == Db.SQLITE) {
      o.out().println("database-down fault skipped: it needs PostgreSQL (db=postgres)");
    }
    try (Soak soak = new Soak(o)) {
      return soak.run();
    }
  }

  /** One soak's state; its threads are its own and end with {@link #close()}. */
  private static final class Soak implements AutoCloseable {
    private final Options o;
    private final List<Base> bases = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ScheduledExecutorService timers =
        Executors.newScheduledThreadPool(
            4, Thread.ofPlatform().daemon(true).name("chaos-timer-", 0).factory());
    private final ExecutorService loops =
        Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon(true).name("chaos-base-", 0).factory());
    private final String apiToken = UUID.randomUUID().toString();
    private final Queue<FaultKind> script;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Map<String, Tracked> triggered = new ConcurrentHashMap<>();
    private final Map<String, RunStatus> ended = new ConcurrentHashMap<>();
    private final Map<FaultKind, AtomicInteger> faultCounts = new ConcurrentHashMap<>();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger lostPosts = new AtomicInteger();
    private final AtomicInteger dbOutages = new AtomicInteger();
    private final List<long[]> dbDownWindows = new CopyOnWriteArrayList<>();
    private final AtomicLong peakRss = new AtomicLong();
    private final AtomicInteger peakThreads = new AtomicInteger();
    private final ReentrantLock csvLock = new ReentrantLock();
    private final long t0 = System.nanoTime();
    private final long stopAt;
    // Kills stop 20 minutes before the end of a soak of 25 minutes or more: the last 20 minutes
    // keep one serve process under load, so its RSS and thread curves can show growth (issue 18).
    private final long killsUntil;
    private Path csv;
    private Postgres pg;
    private TcpProxy proxy;
    private Store store;
    private Serve serve;

    Soak(Options o) {
      this.o = o;
      this.script = new ConcurrentLinkedQueue<>(o.script());
      this.stopAt = t0 + o.duration().toNanos();
      this.killsUntil =
          o.duration().compareTo(Duration.ofMinutes(25)) >= 0
              ? stopAt - Duration.ofMinutes(20).toNanos()
              : stopAt;
    }

    Summary run() throws Exception {
      Map<String, String> env = new HashMap<>();
      env.put("AIRTABLE_TOKEN", "sim-token");
      int requestSeconds = Math.max(2, Math.min(10, o.maxRunSeconds() / 4));
      env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", Integer.toString(requestSeconds));
      env.put("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "2");
      env.put("AIRTABLE_READ_TIMEOUT_SECONDS", Integer.toString(Math.min(3, requestSeconds)));
      env.put("AIRTABLE_MAX_RETRIES", "5");
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "20");
      env.put("MAX_RUN_DURATION_SECONDS", Integer.toString(o.maxRunSeconds()));
      env.put(
          "HUNG_RUN_THRESHOLD_MINUTES", Integer.toString(Math.max(1, o.maxRunSeconds() / 60 + 1)));
      env.put("HUNG_RUN_SWEEP_INTERVAL_SECONDS", "2");
      env.put("RUN_HEARTBEAT_INTERVAL_SECONDS", Integer.toString(HEARTBEAT_SECONDS));
      env.put("RUN_HEARTBEAT_STALE_SECONDS", Integer.toString(STALE_SECONDS));
      env.put("INTEGRITY_API_TOKEN", apiToken);
      StoreSettings direct;
      if (o.db() == Db.POSTGRES) {
        pg = Postgres.freshSchema("ChaosSoak");
        proxy = TcpProxy.start("127.0.0.1", 5432);
        env.put("INTEGRITY_DB_URL", pg.url().replace(":5432/", ":" + proxy.port() + "/"));
        env.put("INTEGRITY_DB_USER", pg.user());
        direct = pg.storeSettings();
      } else {
        String url = "jdbc:sqlite:" + o.dir().resolve("integrity.db");
        env.put("INTEGRITY_DB_URL", url);
        direct = StoreSettings.of(url);
      }
      List<Path> configs = new ArrayList<>();
      for (int i = 0; i < o.bases(); i++) {
        LargeSchool school = new LargeSchool(String.format("appChaosBase%05d", i + 1), o.scale());
        AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(school.dataset())
                .rateLimitPerSecond(0)
                .latency(Duration.ofMillis(10))
                .idleTimeout(Duration.ofSeconds(20))
                .build()
                .start();
        Base base = new Base(i + 1, school, sim, new Random(o.seed() * 31 + i));
        bases.add(base);
        Path config = o.dir().resolve("integrity-" + school.baseId() + ".yml");
        // The base URL goes in each config: one simulator serves one base, so the bases have
        // different roots and AIRTABLE_BASE_URL (which would override them all) stays unset.
        Files.writeString(
            config,
            "airtable:\n  baseId: "
                + school.baseId()
                + "\n  token: ${AIRTABLE_TOKEN}\n  baseUrl: "
                + sim.baseUrl()
                + "\nentities:\n"
                + LargeSchool.entitiesYaml().indent(2));
        configs.add(config);
      }
      o.out()
          .printf(
              Locale.ROOT,
              "%d base(s) of %,d records each; MAX_RUN_DURATION_SECONDS=%d, request timeout %d s,"
                  + " heartbeat %d s, stale %d s%n",
              bases.size(),
              bases.getFirst().school.records(),
              o.maxRunSeconds(),
              requestSeconds,
              HEARTBEAT_SECONDS,
              STALE_SECONDS);
      serve = new Serve(env, configs);
      serve.start();
      store = Store.open(direct, Clock.systemUTC());
      csv = o.dir().resolve("chaos-soak.csv");
      Files.writeString(
          csv,
          "elapsed_s,runs_done,succeeded,error,timeout,cancelled,busy_409,invariant_failures,"
              + "serve_pid,rss_kb,threads\n");
      o.out().println("progress CSV: " + csv);
      long every = o.reportEvery().toMillis();
      timers.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);

      List<Future<?>> work = new ArrayList<>();
      for (Base base : bases) {
        work.add(loops.submit(() -> loop(base)));
      }
      for (Future<?> f : work) {
        f.get();
      }
      finalChecks();
      report();
      if (proxy != null) {
        o.out()
            .printf(
                Locale.ROOT,
                "database proxy: %d connections accepted, %d cut by %d outages%n",
                proxy.accepted(),
                proxy.cut(),
                dbOutages.get());
      }
      Map<String, Integer> byStatus = new TreeMap<>();
      ended.values().forEach(s -> byStatus.merge(s.wire(), 1, Integer::sum));
      Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
      faultCounts.forEach((k, v) -> faults.put(k, v.get()));
      return new Summary(
          o.seed(),
          o.db(),
          bases.size(),
          Duration.ofNanos(System.nanoTime() - t0),
          triggered.size(),
          byStatus,
          faults,
          busy.get(),
          rejected.get(),
          lostPosts.get(),
          serve.kills(),
          dbOutages.get(),
          peakRss.get(),
          peakThreads.get(),
          List.copyOf(failures),
          csv);
    }

    // ---- the loop of one base

    private void loop(Base base) {
      while (true) {
        FaultKind kind = nextFault(base);
        if (kind == null) {
          return;
        }
        try {
          oneRun(base, kind);
        } catch (Exception | AssertionError e) {
          failure("soak error on base " + base.id() + " (fault " + kind.wire() + "): " + e);
        } finally {
          base.sim.faults().clear();
        }
      }
    }

    private FaultKind nextFault(Base base) {
      if (System.nanoTime() > stopAt) {
        return null;
      }
      if (o.maxRuns() > 0 && started.get() >= o.maxRuns()) {
        return null;
      }
      if (!o.script().isEmpty()) {
        return script.poll();
      }
      double total = 0;
      for (FaultKind k : FaultKind.values()) {
        total += usable(k) ? k.weight : 0;
      }
      double pick = base.random.nextDouble() * total;
      for (FaultKind k : FaultKind.values()) {
        if (usable(k)) {
          pick -= k.weight;
          if (pick < 0) {
            return k;
          }
        }
      }
      return FaultKind.NONE;
    }

    private boolean usable(FaultKind k) {
      return switch (k) {
        case DB_DOWN -> proxy != null;
        case KILL -> System.nanoTime() < killsUntil;
        default -> true;
      };
    }

    private void oneRun(Base base, FaultKind kind) throws Exception {
      Random r = base.random;
      // A run left over from before (a lost POST, a second accepted run) would answer 409 to all.
      awaitNoActiveRun(base);
      Faults.Outage outage = inject(base, kind, r);
      long triggeredAt = System.nanoTime();
      Post post = post(base);
      if (post.runId() == null) {
        if (outage != null) {
          outage.lift();
        }
        if (post.status() == 409) {
          busy.incrementAndGet();
        } else if (post.status() > 0) {
          rejected.incrementAndGet();
        }
        serve.awaitReady();
        return;
      }
      started.incrementAndGet();
      faultCounts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
      Tracked run = new Tracked(post.runId(), base, kind, triggeredAt);
      triggered.put(run.id(), run);
      // Now and then a second trigger at once: the base is busy, so 409 is the right answer.
      if (r.nextInt(8) == 0) {
        Post second = post(base);
        if (second.status() == 409) {
          busy.incrementAndGet();
        } else if (second.runId() != null) {
          RunRecord first = store.runs().find(run.id()).orElse(null);
          triggered.put(second.runId(), new Tracked(second.runId(), base, kind, System.nanoTime()));
          started.incrementAndGet();
          if (first != null && !first.status().terminal()) {
            failure(
                String.format(
                    "base %s: a second run %s was accepted (202) while run %s was %s",
                    base.id(), second.runId(), run.id(), first.status().wire()));
          }
        }
      }
      long delayMs = 300 + r.nextInt(2_500);
      switch (kind) {
        case KILL -> {
          long extraMs = r.nextInt(1_000);
          timers.execute(() -> killDuring(run, extraMs));
        }
        case DB_DOWN -> {
          int seconds = 2 + r.nextInt(6);
          timers.schedule(() -> dbDown(seconds), delayMs, TimeUnit.MILLISECONDS);
        }
        case TABLE_DOWN -> {
          long liftMs = 1_000 + r.nextInt(Math.max(1, o.maxRunSeconds() * 500));
          timers.schedule(outage::lift, liftMs, TimeUnit.MILLISECONDS);
        }
        default -> {}
      }
      try {
        for (Tracked t : List.copyOf(triggered.values())) {
          if (t.base() == base && !ended.containsKey(t.id())) {
            awaitAndCheck(t);
          }
        }
      } finally {
        if (outage != null) {
          outage.lift();
        }
      }
    }

    /** Queues the fault in the base's simulator; a table outage is returned for lifting. */
    private Faults.Outage inject(Base base, FaultKind kind, Random r) {
      Faults faults = base.sim.faults();
      String table = TABLES.get(r.nextInt(TABLES.size()));
      // Mostly one table; sometimes any request (the schema read too).
      boolean anyTable = r.nextInt(5) == 0;
      BiConsumer<Integer, Fault> next =
          (n, f) -> {
            if (anyTable) {
              faults.next(n, f);
            } else {
              faults.forTable(table).next(n, f);
            }
          };
      switch (kind) {
        case STALL -> next.accept(1 + r.nextInt(2), Fault.stall());
        case TRICKLE ->
            // Some trickles finish under the request timeout, page after page: a slow table that
            // can run into the run's deadline.
            next.accept(1 + r.nextInt(8), Fault.trickle(300 + r.nextInt(5_000)));
        case RESET -> next.accept(1 + r.nextInt(3), Fault.resetMidBody());
        case BURST_5XX ->
            next.accept(
                2 + r.nextInt(5), Fault.serverError(List.of(500, 502, 503, 504).get(r.nextInt(4))));
        case BURST_429 ->
            // Mostly with Retry-After; without it the client waits Airtable's 30 s a time.
            next.accept(
                1 + r.nextInt(3),
                r.nextInt(4) == 0
                    ? Fault.rateLimited()
                    : Fault.rateLimited(Duration.ofSeconds(1 + r.nextInt(2))));
        case MALFORMED -> next.accept(1 + r.nextInt(2), Fault.malformedJson());
        case EXPIRED_OFFSET -> faults.forTable(table).next(1, Fault.expireOffset());
        case TABLE_DOWN -> {
          return faults
              .forTable(table)
              .down(r.nextBoolean() ? Fault.serverError(503) : Fault.tableNotFound());
        }
        case NONE, KILL, DB_DOWN -> {}
      }
      return null;
    }

    /** Kills the serve once the run is under way (or over: then it hits the other bases' runs). */
    private void killDuring(Tracked run, long extraDelayMs) {
      try {
        await()
            .atMost(Duration.ofSeconds(o.maxRunSeconds()))
            .pollInterval(Duration.ofMillis(50))
            .ignoreExceptions()
            .until(() -> store.runs().find(run.id()).orElseThrow().status() != RunStatus.QUEUED);
        await().pollDelay(Duration.ofMillis(extraDelayMs)).until(() -> true);
      } catch (ConditionTimeoutException e) {
        // the run never left the queue: kill anyway, the kill is the fault
      }
      serve.killAndRestart();
    }

    private void dbDown(int seconds) {
      if (!proxy.isUp()) {
        return; // one outage at a time
      }
      long from = System.nanoTime();
      dbOutages.incrementAndGet();
      proxy.down();
      long[] window = {from, from + TimeUnit.SECONDS.toNanos(seconds)};
      dbDownWindows.add(window);
      timers.schedule(
          () -> {
            proxy.up();
            window[1] = System.nanoTime();
          },
          seconds,
          TimeUnit.SECONDS);
    }

    private void awaitNoActiveRun(Base base) {
      for (Tracked t : List.copyOf(triggered.values())) {
        if (t.base() == base && !ended.containsKey(t.id())) {
          awaitAndCheck(t);
        }
      }
    }

    // ---- per-run invariants

    /** Waits for the run to be terminal within its bound, then checks invariants 1 to 3. */
    private void awaitAndCheck(Tracked t) {
      RunRecord[] seen = new RunRecord[1];
      // The wait is generous (a kill may come late in the run): the bound is judged afterwards.
      Duration waitAtMost =
          Duration.ofSeconds(o.maxRunSeconds() + STALE_SECONDS + HEARTBEAT_SECONDS)
              .plus(GRACE)
              .plus(SERVE_READY_WITHIN);
      try {
        await()
            .atMost(waitAtMost)
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(
                () -> {
                  seen[0] = store.runs().find(t.id()).orElse(null);
                  return seen[0] != null && seen[0].status().terminal();
                });
      } catch (ConditionTimeoutException e) {
        fail(
            t,
            "I1",
            "not terminal after "
                + waitAtMost.toSeconds()
                + " s: store says "
                + (seen[0] == null ? "no such run" : seen[0].status().wire() + describe(seen[0])));
        ended.put(t.id(), seen[0] == null ? RunStatus.QUEUED : seen[0].status());
        return;
      }
      RunRecord run = seen[0];
      ended.put(t.id(), run.status());
      Duration bound = bound(t, run);
      Duration took = Duration.between(run.createdAt(), run.finishedAt());
      if (took.compareTo(bound) > 0) {
        fail(
            t,
            "I1",
            String.format(
                Locale.ROOT,
                "ended %s after %.1f s, over its bound of %d s%s",
                run.status().wire(),
                took.toMillis() / 1000.0,
                bound.toSeconds(),
                describe(run)));
      }
      List<EntityProgress> entities = readEntities(t.id());
      Map<String, EntityProgress> byName = new LinkedHashMap<>();
      entities.forEach(e -> byName.put(e.name(), e));
      if (run.status() == RunStatus.SUCCEEDED) {
        List<String> unchecked =
            ENTITIES.stream()
                .filter(n -> byName.get(n) == null || !byName.get(n).checked())
                .toList();
        if (!unchecked.isEmpty()) {
          fail(t, "I2", "succeeded with entities not checked: " + unchecked + describe(run));
        }
      }
      Map<String, Long> oracle = t.base().school.expectedIssues();
      Map<String, Long> dangling = t.base().school.danglingLinkIssues();
      for (EntityProgress e : entities) {
        if (!e.checked()) {
          continue;
        }
        long expected = oracle.getOrDefault(e.name(), -1L);
        long floor = e.partialChecks().isEmpty() ? expected : expected - dangling.get(e.name());
        if (e.issues() < floor || e.issues() > expected) {
          fail(
              t,
              "I3",
              String.format(
                  Locale.ROOT,
                  "entity %s checked with %d issues, oracle %s%s (status %s, records %d)",
                  e.name(),
                  e.issues(),
                  floor == expected ? Long.toString(expected) : floor + ".." + expected,
                  e.partialChecks().isEmpty() ? "" : " partial " + e.partialChecks(),
                  e.status().wire(),
                  e.records()));
        }
      }
      checkIssueSets(t, entities);
      crossCheckApi(t, run);
    }

    /**
     * Invariant 3 by issue: a checked entity's open issues are the oracle's, record by record and
     * field by field (without the dangling links, or some of them, when its link check was
     * partial).
     */
    private void checkIssueSets(Tracked t, List<EntityProgress> entities) {
      Map<String, Set<String>> oracle = t.base().school.expectedIssueKeys();
      Map<String, Set<String>> dangling = t.base().school.danglingLinkIssueKeys();
      for (EntityProgress e : entities) {
        if (!e.checked() || !oracle.containsKey(e.name())) {
          continue;
        }
        Set<String> found =
            await()
                .atMost(Duration.ofSeconds(30))
                .pollInterval(POLL)
                .ignoreExceptions()
                .until(() -> openIssues(t.id(), e.name()), x -> true);
        Set<String> expected = oracle.get(e.name());
        Set<String> floor = new TreeSet<>(expected);
        if (!e.partialChecks().isEmpty()) {
          floor.removeAll(dangling.get(e.name()));
        }
        if (!found.containsAll(floor) || !expected.containsAll(found)) {
          Set<String> missing = new TreeSet<>(floor);
          missing.removeAll(found);
          Set<String> extra = new TreeSet<>(found);
          extra.removeAll(expected);
          fail(
              t,
              "I3",
              String.format(
                  Locale.ROOT,
                  "entity %s: issues missing %s, not in the oracle %s%s",
                  e.name(),
                  abbreviate(missing),
                  abbreviate(extra),
                  e.partialChecks().isEmpty() ? "" : " (partial " + e.partialChecks() + ")"));
        }
      }
    }

    private Set<String> openIssues(String runId, String entity) {
      Set<String> out = new TreeSet<>();
      store
          .issues()
          .forEach(
              runId,
              new IssueQuery(entity, null, null, IssueFilter.OPEN),
              i -> out.add(i.recordId() + " " + i.field()));
      return out;
    }

    private static String abbreviate(Set<String> keys) {
      return keys.size() <= 5
          ? keys.toString()
          : keys.stream().limit(5).collect(Collectors.joining(", ", "[", ", …]"))
              + " ("
              + keys.size()
              + ")";
    }

    private Duration bound(Tracked t, RunRecord run) {
      Duration bound = Duration.ofSeconds(o.maxRunSeconds()).plus(GRACE);
      if (serve.wasKilled(run.owner())) {
        bound = bound.plusSeconds(STALE_SECONDS + HEARTBEAT_SECONDS);
      }
      long from = t.triggeredAt();
      long to = System.nanoTime();
      for (long[] w : dbDownWindows) {
        long overlap = Math.min(to, w[1]) - Math.max(from, w[0]);
        if (overlap > 0) {
          bound = bound.plusNanos(overlap);
        }
      }
      return bound;
    }

    /** The API says what the store says (when the serve is up to answer). */
    private void crossCheckApi(Tracked t, RunRecord run) {
      try {
        HttpResponse<String> res = send(get("/api/runs/" + t.id()));
        if (res.statusCode() != 200) {
          return; // a restart or a database outage: the store was read directly
        }
        JsonNode body = json.readTree(res.body());
        if (!run.status().wire().equals(body.path("status").asText())) {
          fail(
              t,
              "API",
              "GET /api/runs/{id} says "
                  + body.path("status").asText()
                  + ", the store "
                  + run.status().wire());
        }
      } catch (IOException e) {
        // the serve is being restarted: nothing to compare with
      }
    }

    private List<EntityProgress> readEntities(String runId) {
      return await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(POLL)
          .ignoreExceptions()
          .until(() -> store.runs().entities(runId), e -> true);
    }

    private void fail(Tracked t, String invariant, String what) {
      String line =
          String.format(
              Locale.ROOT,
              "%s run %s base %s fault %s: %s",
              invariant,
              t.id(),
              t.base().id(),
              t.kind().wire(),
              what);
      failures.add(line);
      o.out().println("INVARIANT FAILED " + line);
    }

    /** A failure that is not one run's invariant: a soak error, a serve that died on its own. */
    private void failure(String line) {
      failures.add(line);
      o.out().println("FAILURE " + line);
    }

    private static String describe(RunRecord run) {
      return " (owner "
          + run.owner()
          + ", created "
          + run.createdAt()
          + ", finished "
          + run.finishedAt()
          + ", heartbeat "
          + run.heartbeatAt()
          + (run.error() == null ? "" : ", error \"" + run.error() + "\"")
          + ")";
    }

    /** Invariant 4 and a last look at every run: each once in the store, with its entities. */
    private void finalChecks() {
      serve.checkAlive();
      for (Tracked t : List.copyOf(triggered.values())) {
        if (!ended.containsKey(t.id())) {
          awaitAndCheck(t);
        }
      }
      List<RunRecord> all =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(POLL)
              .ignoreExceptions()
              .until(() -> store.runs().list(RunQuery.latest(1_000_000)), l -> true);
      Map<String, Integer> times = new HashMap<>();
      all.forEach(r -> times.merge(r.id(), 1, Integer::sum));
      for (Tracked t : triggered.values()) {
        int n = times.getOrDefault(t.id(), 0);
        if (n != 1) {
          fail(t, "I4", "in the store " + n + " times");
          continue;
        }
        List<String> names = readEntities(t.id()).stream().map(EntityProgress::name).toList();
        RunRecord run = all.stream().filter(r -> r.id().equals(t.id())).findFirst().orElseThrow();
        boolean planned = run.startedAt() != null;
        if (names.size() != Set.copyOf(names).size()
            || (planned && !Set.copyOf(names).equals(Set.copyOf(ENTITIES)))) {
          fail(t, "I4", "entities in the store " + names + " (" + run.status().wire() + ")");
        }
      }
      List<String> unknown =
          all.stream()
              .filter(r -> !triggered.containsKey(r.id()))
              .map(r -> r.id() + " " + r.status().wire() + describe(r))
              .toList();
      if (unknown.size() > lostPosts.get()) {
        failure(
            "I4 the store has "
                + unknown.size()
                + " runs the soak did not trigger, with "
                + lostPosts.get()
                + " lost POSTs to explain them: "
                + unknown);
      }
    }

    // ---- REST API

    /** The answer to one POST /api/runs: a run id, or why not (status, -1 when none came). */
    private record Post(String runId, int status) {}

    private Post post(Base base) {
      String body = "{\"base\": \"" + base.school.baseId() + "\"}";
      HttpRequest req =
          request("/api/runs")
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        HttpResponse<String> res = send(req);
        if (res.statusCode() == 202) {
          return new Post(json.readTree(res.body()).path("id").asText(), 202);
        }
        return new Post(null, res.statusCode());
      } catch (ConnectException e) {
        return new Post(null, -1); // the serve is down: the request never arrived
      } catch (IOException e) {
        lostPosts.incrementAndGet(); // it may have arrived: its run may exist
        return new Post(null, -1);
      }
    }

    private HttpRequest get(String path) {
      return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(serve.url().resolve(path))
          .timeout(HTTP_TIMEOUT)
          .header("Authorization", "Bearer " + apiToken);
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException {
      try {
        return http.send(req, HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    // ---- progress

    private void report() {
      try {
        long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        Map<RunStatus, Long> counts =
            ended.values().stream()
                .collect(
                    Collectors.groupingBy(
                        s -> s, () -> new EnumMap<>(RunStatus.class), Collectors.counting()));
        serve.checkAlive();
        long pid = serve.pid();
        Map<String, Long> proc = procStatus(pid);
        long rss = proc.getOrDefault("VmRSS", -1L);
        long threads = proc.getOrDefault("Threads", -1L);
        peakRss.accumulateAndGet(rss, Math::max);
        peakThreads.accumulateAndGet((int) threads, Math::max);
        o.out()
            .printf(
                Locale.ROOT,
                "[%4ds] runs done %d (%s), 409 busy %d, kills %d, db outages %d, invariant failures %d,"
                    + " serve pid %d RSS %d MiB threads %d%n",
                elapsed,
                ended.size(),
                counts.entrySet().stream()
                    .map(e -> e.getKey().wire() + " " + e.getValue())
                    .collect(Collectors.joining(", ")),
                busy.get(),
                serve.kills(),
                dbOutages.get(),
                failures.size(),
                pid,
                rss / 1024,
                threads);
        String row =
            String.format(
                Locale.ROOT,
                "%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d%n",
                elapsed,
                ended.size(),
                counts.getOrDefault(RunStatus.SUCCEEDED, 0L),
                counts.getOrDefault(RunStatus.ERROR, 0L),
                counts.getOrDefault(RunStatus.TIMEOUT, 0L),
                counts.getOrDefault(RunStatus.CANCELLED, 0L),
                busy.get(),
                failures.size(),
                pid,
                rss,
                threads);
        csvLock.lock();
        try {
          Files.writeString(csv, row, StandardOpenOption.APPEND);
        } finally {
          csvLock.unlock();
        }
      } catch (IOException | RuntimeException e) {
        // A report missed is no reason to stop the soak; say so and go on.
        o.out().println("progress report failed: " + e);
      }
    }

    /** VmRSS (kB) and Threads of a process from /proc; empty where there is no /proc. */
    private static Map<String, Long> procStatus(long pid) {
      Map<String, Long> out = new HashMap<>();
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          String[] kv = line.split(":\\s+", 2);
          if (kv.length == 2 && (kv[0].equals("VmRSS") || kv[0].equals("Threads"))) {
            out.put(kv[0], Long.parseLong(kv[1].replace("kB", "").trim()));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // the process just died (a kill) or this is no Linux: no figures this time
      }
      return out;
    }

    @Override
    public void close() {
      timers.shutdownNow();
      loops.shutdownNow();
      try {
        timers.awaitTermination(10, TimeUnit.SECONDS);
        loops.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (serve != null) {
        serve.close();
      }
      if (store != null) {
        store.close();
      }
      for (Base b : bases) {
        b.sim.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (pg != null) {
        pg.close();
      }
      http.close();
    }

    // ---- the serve child

    /** The {@code integrity serve} child JVM: started, killed with SIGKILL, started again. */
    private final class Serve implements AutoCloseable {
      private final Map<String, String> env;
      private final List<Path> configs;
      private final ReentrantLock lock = new ReentrantLock();
      private final Set<Long> killedPids = ConcurrentHashMap.newKeySet();
      private final Set<Long> diedOnItsOwn = ConcurrentHashMap.newKeySet();
      private volatile Process process;
      private volatile URI url;
      private int starts;
      private Path log;

      Serve(Map<String, String> env, List<Path> configs) {
        this.env = env;
        this.configs = configs;
      }

      /**
       * Starts a serve and waits until it answers, as a supervisor would: a serve that exits during
       * start-up is a failure, reported with its last words, and is started again (at most {@link
       * #START_ATTEMPTS} times).
       */
      void start() {
        lock.lock();
        try {
          for (int attempt = 1; !startOnce(); attempt++) {
            if (attempt == START_ATTEMPTS) {
              throw new IllegalStateException(
                  "integrity serve did not start in " + START_ATTEMPTS + " attempts");
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } finally {
          lock.unlock();
        }
      }

      private boolean startOnce() throws IOException {
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port)));
        for (Path c : configs) {
          args.add("--config");
          args.add(c.toString());
        }
        starts++;
        log = o.dir().resolve("serve-" + starts + ".log");
        process =
            ChildJvm.start(Main.class, List.of("-Xmx256m"), env, log, args.toArray(String[]::new));
        url = URI.create("http://127.0.0.1:" + port);
        Process p = process;
        try {
          await()
              .atMost(SERVE_READY_WITHIN)
              .pollInterval(POLL)
              .ignoreExceptions()
              .failFast("integrity serve exited", () -> !p.isAlive())
              .until(() -> send(get("/healthz")).statusCode() == 200);
        } catch (TerminalFailureException | ConditionTimeoutException e) {
          p.destroyForcibly();
          diedOnItsOwn.add(p.pid());
          failure(
              String.format(
                  Locale.ROOT,
                  "serve #%d pid %d %s during start-up: %s (log %s)",
                  starts,
                  p.pid(),
                  p.isAlive() ? "did not answer" : "exited with status " + exitStatus(p),
                  lastWords(log),
                  log));
          return false;
        }
        o.out()
            .printf(Locale.ROOT, "serve #%d up: pid %d on %s, log %s%n", starts, p.pid(), url, log);
        return true;
      }

      /**
       * Until the serve answers and reaches its database (a restart or outage may be under way).
       */
      void awaitReady() {
        await()
            .atMost(SERVE_READY_WITHIN)
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(() -> send(get("/readyz")).statusCode() == 200);
      }

      /** SIGKILL, then a new serve on a new port; the dead one's runs are for the reaper. */
      void killAndRestart() {
        lock.lock();
        try {
          Process p = process;
          killedPids.add(p.pid());
          p.destroyForcibly();
          if (!p.waitFor(30, TimeUnit.SECONDS)) {
            failure("soak error: serve pid " + p.pid() + " did not die within 30 s");
          }
          o.out().printf(Locale.ROOT, "killed serve pid %d (SIGKILL)%n", p.pid());
          start();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          failure("soak error: restarting serve failed: " + e);
        } finally {
          lock.unlock();
        }
      }

      /**
       * A serve that died without being killed by the soak (a crash, an out-of-memory exit, an
       * error it gave up on) is a failure, reported once per process; a new serve takes over.
       */
      void checkAlive() {
        if (!lock.tryLock()) {
          return; // a kill and restart is under way
        }
        try {
          Process p = process;
          if (!p.isAlive() && !killedPids.contains(p.pid()) && diedOnItsOwn.add(p.pid())) {
            failure(
                String.format(
                    Locale.ROOT,
                    "serve #%d pid %d exited on its own with status %d: %s (log %s)",
                    starts,
                    p.pid(),
                    p.exitValue(),
                    lastWords(log),
                    log));
            // As a supervisor would: the soak goes on with a new serve, the failure stays.
            start();
          }
        } finally {
          lock.unlock();
        }
      }

      boolean wasKilled(String owner) {
        if (owner == null) {
          return false;
        }
        // The owner is "host/pid/nonce" (IntegrityApp).
        String[] parts = owner.split("/");
        try {
          return parts.length > 1 && killedPids.contains(Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
          return false;
        }
      }

      int kills() {
        return killedPids.size();
      }

      long pid() {
        return process.pid();
      }

      URI url() {
        return url;
      }

      @Override
      public void close() {
        Process p = process;
        if (p != null) {
          p.destroy(); // a clean stop at the end: SIGTERM
          try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
              p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }

    private static String exitStatus(Process p) {
      try {
        return Integer.toString(p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "unknown";
      }
    }

    /** The serve's last message: its last "integrity:" line, else its last line. */
    private static String lastWords(Path log) {
      try {
        List<String> lines = Files.readAllLines(log);
        for (int i = lines.size() - 1; i >= 0; i--) {
          if (lines.get(i).startsWith("integrity:")) {
            return lines.get(i);
          }
        }
        return lines.isEmpty() ? "(empty log)" : lines.getLast();
      } catch (IOException | UncheckedIOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0)) {
        return s.getLocalPort();
      }
    }
  }

  /** One base: its school (the oracle), its simulator and its fault dice. */
  private record Base(int index, LargeSchool school, AirtableSimulator sim, Random random) {
    String id() {
      return school.baseId();
    }
  }

  /** A run the soak triggered. */
  private record Tracked(String id, Base base, FaultKind kind, long triggeredAt) {}
}
