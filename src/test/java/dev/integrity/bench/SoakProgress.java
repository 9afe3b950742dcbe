package dev.integrity.bench;

import dev.integrity.model.RunStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The soak's progress: a line every {@code reportEvery} and a row of the CSV file (elapsed time,
 * runs by status, 409s, invariant failures, the serve's pid, RSS and threads), and the serve's peak
 * RSS and threads for the summary. Its own class: it only reads the soak, never steers it.
 */
final class SoakProgress {
  private final PrintStream out;
  private final Path csv;
  private final long t0;
  private final SoakServe serve;
  private final SoakInvariants invariants;
  private final SoakFaults faults;
  private final SoakFailures failures;
  private final IntSupplier busy;
  private final AtomicLong peakRss = new AtomicLong();
  private final AtomicInteger peakThreads = new AtomicInteger();
  private final ReentrantLock csvLock = new ReentrantLock();

  private SoakProgress(
      PrintStream out,
      Path csv,
      long t0,
      SoakServe serve,
      SoakInvariants invariants,
      SoakFaults faults,
      SoakFailures failures,
      IntSupplier busy) {
    this.out = out;
    this.csv = csv;
    this.t0 = t0;
    this.serve = serve;
    this.invariants = invariants;
    this.faults = faults;
    this.failures = failures;
    this.busy = busy;
  }

  /** Writes the CSV file's header in {@code dir} and says where it is. */
  static SoakProgress start(
      ChaosSoak.Options o,
      long t0,
      SoakServe serve,
      SoakInvariants invariants,
      SoakFaults faults,
      SoakFailures failures,
      IntSupplier busy)
      throws IOException {
    Path csv = o.dir().resolve("chaos-soak.csv");
    Files.writeString(
        csv,
        "elapsed_s,runs_done,succeeded,error,timeout,cancelled,busy_409,invariant_failures,"
            + "serve_pid,rss_kb,threads\n");
    o.out().println("progress CSV: " + csv);
    return new SoakProgress(o.out(), csv, t0, serve, invariants, faults, failures, busy);
  }

  void report() {
    try {
      long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      Map<String, RunStatus> ended = invariants.ended();
      Map<RunStatus, Long> counts =
          ended.values().stream()
              .collect(
                  Collectors.groupingBy(
                      s -> s, () -> new EnumMap<>(RunStatus.class), Collectors.counting()));
      serve.checkAlive();
      long pid = serve.pid();
      Map<String, Long> proc = SoakServe.procStatus(pid);
      long rss = proc.getOrDefault("VmRSS", -1L);
      long threads = proc.getOrDefault("Threads", -1L);
      peakRss.accumulateAndGet(rss, Math::max);
      peakThreads.accumulateAndGet((int) threads, Math::max);
      out.printf(
          Locale.ROOT,
          "[%4ds] runs done %d (%s), 409 busy %d, kills %d, db outages %d, invariant failures %d,"
              + " serve pid %d RSS %d MiB threads %d%n",
          elapsed,
          ended.size(),
          counts.entrySet().stream()
              .map(e -> e.getKey().wire() + " " + e.getValue())
              .collect(Collectors.joining(", ")),
          busy.getAsInt(),
          serve.kills(),
          faults.dbOutages(),
          failures.count(),
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
              busy.getAsInt(),
              failures.count(),
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
      out.println("progress report failed: " + e);
    }
  }

  Path csv() {
    return csv;
  }

  long peakRssKb() {
    return peakRss.get();
  }

  int peakThreads() {
    return peakThreads.get();
  }
}
