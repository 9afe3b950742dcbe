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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the chaos soak (issue 18): PostgreSQL cut off just as {@code serve} starts made the
 * process exit ("listing schedules failed"), leaving its runs to the reaper of another instance.
 * Real PostgreSQL behind a real TCP proxy that refuses and cuts connections; skipped, saying why,
 * without PostgreSQL.
 */
class ServeStartStoreDownTest {
  @TempDir Path dir;

  @RegisterExtension final CapturedLogs logs = CapturedLogs.of(Service.class.getName());

  @Test
  void a_database_that_does_not_answer_as_the_service_starts_delays_the_start_and_does_not_end_it()
      throws Exception {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 20, "Students", 20));
    ExecutorService starter =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("serve-start").factory());
    try (Postgres pg = Postgres.freshSchema("ServeStartStoreDownTest");
        TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432);
        AirtableSimulator sim =
            AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
      env.put("INTEGRITY_DB_URL", pg.url().replace(":5432/", ":" + proxy.port() + "/"));
      env.put("INTEGRITY_DB_USER", pg.user());
      Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(10));
      Files.writeString(
          config,
          Files.readString(config) + "schedules:\n  - name: nightly\n    cron: \"0 2 * * *\"\n");
      try (IntegrityApp app =
          IntegrityApp.builder()
              .environment(env)
              .config(config)
              .serving(Service.Options.of("127.0.0.1", 0))
              .build()) {
        // The store opened (its migrations ran); now the database goes away as serving starts.
        proxy.down();
        CompletableFuture<Service> serving = CompletableFuture.supplyAsync(app::serve, starter);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    serving.isDone()
                        || logs.messages().stream()
                            .anyMatch(
                                m -> m.startsWith("starting the schedules: the store did not")));
        // Before the fix, serve() failed here and the process exited.
        assertThat(serving).isNotDone();

        proxy.up();
        Service service = serving.get(60, TimeUnit.SECONDS);

        assertThat(service.port()).isPositive();
        assertThat(app.store().schedules().find("nightly")).isPresent();
      }
    } finally {
      starter.shutdownNow();
      assertThat(starter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void a_database_that_is_down_when_the_service_opens_its_store_is_waited_for() throws Exception {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 20, "Students", 20));
    ExecutorService starter =
        Executors.newSingleThreadExecutor(Thread.ofPlatform().name("serve-build").factory());
    try (Postgres pg = Postgres.freshSchema("ServeStartStoreDownTest");
        TcpProxy proxy = TcpProxy.start("127.0.0.1", 5432);
        AirtableSimulator sim =
            AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
      env.put("INTEGRITY_DB_URL", pg.url().replace(":5432/", ":" + proxy.port() + "/"));
      env.put("INTEGRITY_DB_USER", pg.user());
      Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(10));
      proxy.down();
      CompletableFuture<IntegrityApp> building =
          CompletableFuture.supplyAsync(
              () ->
                  IntegrityApp.builder()
                      .environment(env)
                      .config(config)
                      .serving(Service.Options.of("127.0.0.1", 0))
                      .build(),
              starter);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  building.isDone()
                      || logs.messages().stream()
                          .anyMatch(m -> m.startsWith("opening the store: the store did not")));
      // Before the fix, the build failed here and serve exited 64.
      assertThat(building).isNotDone();

      proxy.up();
      try (IntegrityApp app = building.get(60, TimeUnit.SECONDS)) {
        assertThat(app.serve().port()).isPositive();
      }
    } finally {
      starter.shutdownNow();
      assertThat(starter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
