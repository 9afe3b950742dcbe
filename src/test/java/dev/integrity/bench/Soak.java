package dev.integrity.bench;

import static dev.integrity.bench.ChaosSoak.HEARTBEAT_SECONDS;
import static dev.integrity.bench.ChaosSoak.STALE_SECONDS;

import dev.integrity.bench.ChaosSoak.Base;
import dev.integrity.bench.ChaosSoak.Db;
import dev.integrity.bench.ChaosSoak.FaultKind;
import dev.integrity.bench.ChaosSoak.Options;
import dev.integrity.bench.ChaosSoak.Summary;
import dev.integrity.bench.ChaosSoak.Tracked;
import dev.integrity.model.RunRecord;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Faults;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.Postgres;
import dev.integrity.testing.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One soak's state; its threads are its own and end with {@link #close()}. It sets the soak up (the
 * simulators, their configs, the database, the serve's environment), runs one loop a base (trigger
 * a run under a fault, then check it) and sums up. The serve child is {@link SoakServe}, the API
 * client {@link SoakApi}, the faults {@link SoakFaults}, the checks {@link SoakInvariants} and the
 * progress lines {@link SoakProgress}.
 */
final class Soak implements AutoCloseable {
  private final Options o;
  private final List<Base> bases = new ArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          4, Thread.ofPlatform().daemon(true).name("chaos-timer-", 0).factory());
  private final ExecutorService loops =
      Executors.newThreadPerTaskExecutor(
          Thread.ofPlatform().daemon(true).name("chaos-base-", 0).factory());
  private final String apiToken = UUID.randomUUID().toString();
  private final SoakApi api = new SoakApi(apiToken);
  private final SoakFailures failures;
  private final Map<FaultKind, AtomicInteger> faultCounts = new ConcurrentHashMap<>();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger rejected = new AtomicInteger();
  private final long t0 = System.nanoTime();
  private final long stopAt;
  private Postgres pg;
  private TcpProxy proxy;
  private Store store;
  private SoakServe serve;
  private SoakInvariants invariants;
  private SoakFaults faults;

  Soak(Options o) {
    this.o = o;
    this.failures = new SoakFailures(o.out());
    this.stopAt = t0 + o.duration().toNanos();
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
            bases.getFirst().school().records(),
            o.maxRunSeconds(),
            requestSeconds,
            HEARTBEAT_SECONDS,
            STALE_SECONDS);
    serve = new SoakServe(o, env, configs, api, failures);
    serve.start();
    store = Store.open(direct, Clock.systemUTC());
    invariants = new SoakInvariants(o, store, serve, api, failures);
    faults = new SoakFaults(o, timers, proxy, store, serve, invariants, stopAt);
    SoakProgress progress =
        SoakProgress.start(o, t0, serve, invariants, faults, failures, busy::get);
    long every = o.reportEvery().toMillis();
    timers.scheduleAtFixedRate(progress::report, every, every, TimeUnit.MILLISECONDS);

    List<Future<?>> work = new ArrayList<>();
    for (Base base : bases) {
      work.add(loops.submit(() -> loop(base)));
    }
    for (Future<?> f : work) {
      f.get();
    }
    invariants.finalChecks();
    progress.report();
    if (proxy != null) {
      o.out()
          .printf(
              Locale.ROOT,
              "database proxy: %d connections accepted, %d cut by %d outages%n",
              proxy.accepted(),
              proxy.cut(),
              faults.dbOutages());
    }
    Map<String, Integer> byStatus = new TreeMap<>();
    invariants.ended().values().forEach(s -> byStatus.merge(s.wire(), 1, Integer::sum));
    Map<FaultKind, Integer> faultsUsed = new EnumMap<>(FaultKind.class);
    faultCounts.forEach((k, v) -> faultsUsed.put(k, v.get()));
    return new Summary(
        o.seed(),
        o.db(),
        bases.size(),
        Duration.ofNanos(System.nanoTime() - t0),
        invariants.triggeredCount(),
        byStatus,
        faultsUsed,
        busy.get(),
        rejected.get(),
        api.lostPosts(),
        serve.kills(),
        faults.dbOutages(),
        progress.peakRssKb(),
        progress.peakThreads(),
        failures.list(),
        progress.csv());
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
        failures.other("soak error on base " + base.id() + " (fault " + kind.wire() + "): " + e);
      } finally {
        base.sim().faults().clear();
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
    return faults.next(base.random());
  }

  private void oneRun(Base base, FaultKind kind) throws Exception {
    Random r = base.random();
    // A run left over from before (a lost POST, a second accepted run) would answer 409 to all.
    invariants.checkRunsOf(base);
    Faults.Outage outage = faults.inject(base, kind, r);
    long triggeredAt = System.nanoTime();
    SoakApi.Post post = api.post(serve.url(), base.id());
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
    invariants.track(run);
    // Now and then a second trigger at once: the base is busy, so 409 is the right answer.
    if (r.nextInt(8) == 0) {
      SoakApi.Post second = api.post(serve.url(), base.id());
      if (second.status() == 409) {
        busy.incrementAndGet();
      } else if (second.runId() != null) {
        RunRecord first = store.runs().find(run.id()).orElse(null);
        invariants.track(new Tracked(second.runId(), base, kind, System.nanoTime()));
        started.incrementAndGet();
        if (first != null && !first.status().terminal()) {
          failures.other(
              String.format(
                  "base %s: a second run %s was accepted (202) while run %s was %s",
                  base.id(), second.runId(), run.id(), first.status().wire()));
        }
      }
    }
    faults.during(run, outage, r);
    try {
      invariants.checkRunsOf(base);
    } finally {
      if (outage != null) {
        outage.lift();
      }
    }
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
      b.sim().close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.close();
    }
    api.close();
  }
}
