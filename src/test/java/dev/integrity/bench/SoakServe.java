package dev.integrity.bench;

import static dev.integrity.bench.ChaosSoak.POLL;
import static dev.integrity.bench.ChaosSoak.SERVE_READY_WITHIN;
import static org.awaitility.Awaitility.await;

import dev.integrity.cli.Main;
import dev.integrity.testing.ChildJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * The {@code integrity serve} child JVM: started, killed with SIGKILL, started again, supervised as
 * a supervisor would (a serve that exits without being killed is a failure, and a new one takes
 * over), and read from /proc (its RSS and threads). Its own class because the soak's loop only
 * needs its address and the verbs above, not how a child JVM is kept alive.
 */
final class SoakServe implements AutoCloseable {
  private static final int START_ATTEMPTS = 5;

  private final Path dir;
  private final PrintStream out;
  private final Map<String, String> env;
  private final List<Path> configs;
  private final SoakApi api;
  private final SoakFailures failures;
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Long> killedPids = ConcurrentHashMap.newKeySet();
  private final Set<Long> diedOnItsOwn = ConcurrentHashMap.newKeySet();
  private volatile Process process;
  private volatile URI url;
  private int starts;
  private Path log;

  SoakServe(
      ChaosSoak.Options o,
      Map<String, String> env,
      List<Path> configs,
      SoakApi api,
      SoakFailures failures) {
    this.dir = o.dir();
    this.out = o.out();
    this.env = env;
    this.configs = configs;
    this.api = api;
    this.failures = failures;
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
    log = dir.resolve("serve-" + starts + ".log");
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
          .until(() -> api.status(url, "/healthz") == 200);
    } catch (TerminalFailureException | ConditionTimeoutException e) {
      p.destroyForcibly();
      diedOnItsOwn.add(p.pid());
      failures.other(
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
    out.printf(Locale.ROOT, "serve #%d up: pid %d on %s, log %s%n", starts, p.pid(), url, log);
    return true;
  }

  /** Until the serve answers and reaches its database (a restart or outage may be under way). */
  void awaitReady() {
    await()
        .atMost(SERVE_READY_WITHIN)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> api.status(url, "/readyz") == 200);
  }

  /** SIGKILL, then a new serve on a new port; the dead one's runs are for the reaper. */
  void killAndRestart() {
    lock.lock();
    try {
      Process p = process;
      killedPids.add(p.pid());
      p.destroyForcibly();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        failures.other("soak error: serve pid " + p.pid() + " did not die within 30 s");
      }
      out.printf(Locale.ROOT, "killed serve pid %d (SIGKILL)%n", p.pid());
      start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failures.other("soak error: restarting serve failed: " + e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A serve that died without being killed by the soak (a crash, an out-of-memory exit, an error it
   * gave up on) is a failure, reported once per process; a new serve takes over.
   */
  void checkAlive() {
    if (!lock.tryLock()) {
      return; // a kill and restart is under way
    }
    try {
      Process p = process;
      if (!p.isAlive() && !killedPids.contains(p.pid()) && diedOnItsOwn.add(p.pid())) {
        failures.other(
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

  /** VmRSS (kB) and Threads of a process from /proc; empty where there is no /proc. */
  static Map<String, Long> procStatus(long pid) {
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
