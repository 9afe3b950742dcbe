package dev.integrity.bench;

import static org.awaitility.Awaitility.await;

import dev.integrity.bench.ChaosSoak.Base;
import dev.integrity.bench.ChaosSoak.FaultKind;
import dev.integrity.bench.ChaosSoak.Tracked;
import dev.integrity.model.RunStatus;
import dev.integrity.sim.Fault;
import dev.integrity.sim.Faults;
import dev.integrity.store.Store;
import dev.integrity.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The faults of a soak: which one comes next (the script, else the weighted dice), and how each is
 * brought about, in a base's simulator before the run or on a timer during it (the serve killed,
 * the database taken away behind the {@link TcpProxy}, a table outage lifted). Its own class so the
 * soak's loop reads as trigger, fault, check; it draws from the base's dice in the loop's order, so
 * a seed gives the same soak.
 */
final class SoakFaults {
  private final ChaosSoak.Options o;
  private final Queue<FaultKind> script;
  private final ScheduledExecutorService timers;
  private final TcpProxy proxy;
  private final Store store;
  private final SoakServe serve;
  private final SoakInvariants invariants;
  private final AtomicInteger dbOutages = new AtomicInteger();
  // Kills stop 20 minutes before the end of a soak of 25 minutes or more: the last 20 minutes
  // keep one serve process under load, so its RSS and thread curves can show growth (issue 18).
  private final long killsUntil;

  /**
   * @param proxy between serve and PostgreSQL; null on SQLite, where the database-down fault is
   *     skipped
   * @param stopAt when the soak stops triggering runs ({@code System.nanoTime()})
   */
  SoakFaults(
      ChaosSoak.Options o,
      ScheduledExecutorService timers,
      TcpProxy proxy,
      Store store,
      SoakServe serve,
      SoakInvariants invariants,
      long stopAt) {
    this.o = o;
    this.killsUntil =
        o.duration().compareTo(Duration.ofMinutes(25)) >= 0
            ? stopAt - Duration.ofMinutes(20).toNanos()
            : stopAt;
    this.script = new ConcurrentLinkedQueue<>(o.script());
    this.timers = timers;
    this.proxy = proxy;
    this.store = store;
    this.serve = serve;
    this.invariants = invariants;
  }

  /** The next fault: the script's (null when it is used up), else one the dice pick. */
  FaultKind next(Random random) {
    if (!o.script().isEmpty()) {
      return script.poll();
    }
    double total = 0;
    for (FaultKind k : FaultKind.values()) {
      total += usable(k) ? k.weight : 0;
    }
    double pick = random.nextDouble() * total;
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

  /** Queues the fault in the base's simulator; a table outage is returned for lifting. */
  Faults.Outage inject(Base base, FaultKind kind, Random r) {
    Faults faults = base.sim().faults();
    String table = ChaosSoak.TABLES.get(r.nextInt(ChaosSoak.TABLES.size()));
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

  /**
   * Schedules the part of the fault that comes while the run is under way: the kill, the database
   * outage, the lifting of a table outage.
   */
  void during(Tracked run, Faults.Outage outage, Random r) {
    long delayMs = 300 + r.nextInt(2_500);
    switch (run.kind()) {
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
    invariants.dbDown(window);
    timers.schedule(
        () -> {
          proxy.up();
          window[1] = System.nanoTime();
        },
        seconds,
        TimeUnit.SECONDS);
  }

  int dbOutages() {
    return dbOutages.get();
  }
}
