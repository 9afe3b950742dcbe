package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.reaper.Reaped;
import dev.integrity.reaper.Reaper;
import dev.integrity.reaper.ReaperSettings;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.store.RunQuery;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.ChildJvm;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predecessor's failure, reproduced: the process running a run dies mid-fetch (SIGKILL, so no
 * deadline, hook or cleanup can fire) and the run is left "running". The reaper must end it.
 */
class KilledRunProcessTest {
  @TempDir Path dir;

  @Test
  void a_run_whose_process_was_killed_mid_fetch_is_ended_by_the_reaper_as_owner_lost()
      throws Exception {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 150, "Students", 300));
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      sim.faults().forTable("Students").next(1_000, Fault.stall());
      Map<String, String> env = TestBases.env(sim, dir, 200);
      Path config =
          TestBases.config(
              dir,
              dataset.baseId(),
              """
                teachers:
                  table: Teachers
                  checks:
                    - required: [Name]
                students:
                  table: Students
                  checks:
                    - required: [Name]
              """);
      Process child =
          ChildJvm.start(
              Main.class,
              List.of(),
              env,
              dir.resolve("child.log"),
              "run",
              "--config",
              config.toString());

      try (Store store =
          Store.open(StoreSettings.of(env.get("INTEGRITY_DB_URL")), Clock.systemUTC())) {
        RunRecord[] running = new RunRecord[1];
        await()
            .atMost(Duration.ofSeconds(30))
            .failFast("the child exited", () -> !child.isAlive())
            .until(
                () -> {
                  Optional<RunRecord> run =
                      store.runs().list(new RunQuery(RunStatus.RUNNING, null, 1)).stream()
                          .findFirst();
                  running[0] = run.orElse(null);
                  return run.isPresent()
                      && store.runs().entities(run.get().id()).stream()
                          .anyMatch(
                              e ->
                                  e.name().equals("students")
                                      && e.status() == EntityStatus.FETCHING);
                });

        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String runId = running[0].id();
        assertThat(store.runs().find(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

        // A minute later, with a 10 s staleness bound, the reaper sees a run nobody beats for.
        Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1));
        List<Reaped> reaped =
            new Reaper(
                    store,
                    later,
                    new ReaperSettings(Duration.ofSeconds(10), Duration.ofMinutes(30)))
                .sweep(false);

        assertThat(reaped)
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.runId()).isEqualTo(runId);
                  assertThat(r.applied()).isTrue();
                  assertThat(r.endedAs()).isEqualTo(RunStatus.ERROR);
                });
        RunRecord ended = store.runs().find(runId).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.ERROR);
        assertThat(ended.error()).startsWith("owner lost: no heartbeat since");
      } finally {
        child.destroyForcibly();
      }
    }
  }
}
