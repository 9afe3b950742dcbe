package dev.integrity.bench;

import dev.integrity.sim.AirtableSimulator;
import dev.integrity.testing.TcpProxy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

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
 *
 * <p>This class keeps the entry points, the options, the summary and the values the others share;
 * the machinery is {@link Soak} (set-up and the loop of each base) with {@link SoakServe}, {@link
 * SoakApi}, {@link SoakFaults}, {@link SoakInvariants}, {@link SoakFailures} and {@link
 * SoakProgress}, so that each piece reads without a table of contents.
 */
public final class ChaosSoak {
  /** Slack on every bound: the run's ending writes, the poll that sees them, a loaded machine. */
  static final Duration GRACE = Duration.ofSeconds(5);

  static final List<String> ENTITIES = List.of("teachers", "classes", "students", "enrollments");
  static final List<String> TABLES = List.of("Teachers", "Classes", "Students", "Enrollments");

  static final int HEARTBEAT_SECONDS = 2;
  static final int STALE_SECONDS = 10;
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration SERVE_READY_WITHIN = Duration.ofSeconds(120);

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

  /** One base: its school (the oracle), its simulator and its fault dice. */
  record Base(int index, LargeSchool school, AirtableSimulator sim, Random random) {
    String id() {
      return school.baseId();
    }
  }

  /** A run the soak triggered. */
  record Tracked(String id, Base base, FaultKind kind, long triggeredAt) {}
}
