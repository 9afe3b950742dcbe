package dev.integrity.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real owner process killed with SIGKILL: its run is left running until the reaper ends it. */
class KilledOwnerTest {
  private static final Duration CHILD_READY_WITHIN = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void run_of_an_owner_killed_with_sigkill_is_ended_error_owner_lost_by_the_reaper()
      throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("integrity.db");
    Clock clock = Clock.systemUTC();
    try (Store store = Store.open(StoreSettings.of(url), clock)) {
      Process child = startOwner(url, "appKilledOwner");
      ExecutorService reader =
          Executors.newSingleThreadExecutor(Thread.ofPlatform().name("child-stdout").factory());
      try {
        String runId = readyLine(child, reader).substring("ready ".length());
        RunRecord claimed = store.runs().find(runId).orElseThrow();
        assertThat(claimed.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(claimed.owner()).isEqualTo("child-" + child.pid());
        // The owner is alive and heartbeating before we kill it.
        Instant firstBeat = claimed.heartbeatAt();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> heartbeat(store, runId).isAfter(firstBeat));

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("exit status of a SIGKILLed JVM").isEqualTo(137);

        Instant lastBeat = heartbeat(store, runId);
        assertThat(store.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        Reaper reaper =
            new Reaper(
                store, clock, new ReaperSettings(Duration.ofSeconds(1), Duration.ofMinutes(30)));
        await()
            .atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> reaper.sweep(false).stream().anyMatch(Reaped::applied));

        RunRecord ended = store.runs().find(runId).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.ERROR);
        assertThat(ended.error()).isEqualTo("owner lost: no heartbeat since " + lastBeat);
        assertThat(reaper.sweep(false)).isEmpty();
      } finally {
        child.destroyForcibly();
        child.waitFor(10, TimeUnit.SECONDS);
        reader.shutdownNow();
        assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private Process startOwner(String url, String baseId) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                HeartbeatingOwner.class.getName(),
                url,
                baseId));
    builder.redirectError(dir.resolve("child.err").toFile());
    return builder.start();
  }

  private String readyLine(Process child, ExecutorService reader) throws Exception {
    BufferedReader out = child.inputReader();
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            reader);
    try {
      String ready = line.get(CHILD_READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
      assertThat(ready).as("child stdout; its stderr: %s", childErr()).startsWith("ready ");
      return ready;
    } catch (TimeoutException e) {
      throw new AssertionError(
          "child printed no ready line within " + CHILD_READY_WITHIN + "; stderr: " + childErr(),
          e);
    }
  }

  private String childErr() {
    try {
      return Files.readString(dir.resolve("child.err"));
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static Instant heartbeat(Store store, String runId) {
    return store.runs().find(runId).orElseThrow().heartbeatAt();
  }
}
