package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.Postgres;
import dev.integrity.testing.TcpProxy;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos soak (issue 18): PostgreSQL cut off just as {@code serve} starts made the
 * process exit ("cannot migrate the store", "listing schedules failed"), leaving its runs to the
 * reaper of another instance. Real PostgreSQL behind a real TCP proxy that cuts connections;
 * skipped, saying why, without PostgreSQL.
 */
class ServeStartStoreDownTest {
  @TempDir Path dir;

  @RegisterExtension final CapturedLogs logs = CapturedLogs.of(Service.class.getName());

  private final ExecutorService starter =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("serve-start").factory());
  private Postgres pg;
  private TcpProxy proxy;
  private AirtableSimulator sim;

  @BeforeEach
  void start() throws Exception {
    pg = Postgres.freshSchema("ServeStartStoreDownTest");
    proxy = TcpProxy.start("127.0.0.1", 5432);
    sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Teachers", 20, "Students", 20)))
            .rateLimitPerSecond(0)
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    starter.shutdownNow();
    assertThat(starter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    if (sim != null) {
      sim.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  /** A serving app whose store is reached through the proxy, with one nightly schedule. */
  private IntegrityApp.Builder serving() throws Exception {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.put("INTEGRITY_DB_URL", pg.url().replace(":5432/", ":" + proxy.port() + "/"));
    env.put("INTEGRITY_DB_USER", pg.user());
    Path config = TestBases.config(dir, sim.dataset().baseId(), TestBases.teachersAndStudents(10));
    Files.writeString(
        config,
        Files.readString(config) + "schedules:\n  - name: nightly\n    cron: \"0 2 * * *\"\n");
    return IntegrityApp.builder()
        .environment(env)
        .config(config)
        .serving(Service.Options.of("127.0.0.1", 0));
  }

  /** Waits until the start is done (it should not be) or says it retries a silent store. */
  private void awaitRetryOf(String doing, CompletableFuture<?> starting) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                starting.isDone()
                    || logs.messages().stream()
                        .anyMatch(m -> m.startsWith(doing + ": the store did not answer")));
  }

  @Test
  void a_database_that_does_not_answer_as_the_service_starts_delays_the_start_and_does_not_end_it()
      throws Exception {
    try (IntegrityApp app = serving().build()) {
      // The store opened (its migrations ran); now the database goes away as serving starts.
      proxy.down();
      CompletableFuture<Service> starting = CompletableFuture.supplyAsync(app::serve, starter);
      awaitRetryOf("starting the schedules", starting);
      // Before the fix, serve() failed here and the process exited.
      assertThat(starting).isNotDone();

      proxy.up();
      Service service = starting.get(60, TimeUnit.SECONDS);

      assertThat(service.port()).isPositive();
      assertThat(app.store().schedules().find("nightly")).isPresent();
    }
  }

  @Test
  void a_database_that_is_down_when_the_service_opens_its_store_is_waited_for() throws Exception {
    IntegrityApp.Builder builder = serving();
    proxy.down();
    CompletableFuture<IntegrityApp> building =
        CompletableFuture.supplyAsync(builder::build, starter);
    awaitRetryOf("opening the store", building);
    // Before the fix, the build failed here and serve exited 64.
    assertThat(building).isNotDone();

    proxy.up();
    try (IntegrityApp app = building.get(60, TimeUnit.SECONDS)) {
      assertThat(app.serve().port()).isPositive();
    }
  }
}
