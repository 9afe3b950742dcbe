package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.schedule.ScheduleService;
import dev.integrity.schedule.ScheduleSettings;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.store.FireRow;
import dev.integrity.store.RunQuery;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.testing.ChildJvm;
import dev.integrity.testing.Postgres;
import dev.integrity.testing.TestBases;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code integrity serve} processes on one PostgreSQL, as a cluster runs them: every fire of a
 * schedule runs once; when the process owning a run is killed mid-run, the other reaps the run and
 * goes on firing. Skipped, saying why, where PostgreSQL is absent.
 */
class ServeClusterTest {
  private static final int FIRES = 20;
  private static final String SCHEDULE = "every-second";

  @TempDir Path dir;

  private Process serve(String name, Map<String, String> env, Path config) throws IOException {
    return ChildJvm.start(
        Main.class,
        List.of(),
        env,
        dir.resolve(name + ".log"),
        "serve",
        "--config",
        config.toString(),
        "--port",
        "0");
  }

  private static long pidOf(RunRecord run) {
    return Long.parseLong(run.owner().split("/")[1]);
  }

  @Test
  void each_fire_runs_once_across_two_serve_processes_and_a_killed_owners_run_is_reaped()
      throws Exception {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 150));
    try (Postgres pg = Postgres.freshSchema("ServeClusterTest");
        AirtableSimulator sim =
            AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
      env.put("INTEGRITY_DB_URL", pg.url());
      env.put("INTEGRITY_DB_USER", pg.user());
      env.put("RUN_HEARTBEAT_STALE_SECONDS", "3");
      env.put("HUNG_RUN_SWEEP_INTERVAL_SECONDS", "1");
      env.put("SCHEDULE_POLL_INTERVAL_SECONDS", "1");
      Path config =
          TestBases.config(
              dir,
              dataset.baseId(),
              """
                teachers:
                  table: Teachers
                  checks:
                    - required: [Name]
              """);

      try (Store store = Store.open(pg.storeSettings(), Clock.systemUTC())) {
        // A per-second schedule, as the API would store it (the config format takes minutes).
        try (ScheduleService writer =
            new ScheduleService(
                store,
                Clock.systemUTC(),
                ScheduleSettings.defaults("test-writer"),
                (schedule, base, entities, mode) -> {
                  throw new AssertionError("the test's instance never fires");
                })) {
          writer.put(
              new ScheduleRow(
                  SCHEDULE,
                  dataset.baseId(),
                  "* * * * * *",
                  "UTC",
                  List.of(),
                  true,
                  "api",
                  null,
                  null));
        }
        Process a = serve("a", env, config);
        Process b = serve("b", env, config);
        try {
          await()
              .atMost(Duration.ofSeconds(90))
              .failFast("a serve process exited", () -> !a.isAlive() || !b.isAlive())
              .until(() -> store.schedules().fires(SCHEDULE, 1_000).size() >= FIRES);

          List<FireRow> fires = store.schedules().fires(SCHEDULE, 1_000);
          Set<Instant> fireTimes = new HashSet<>();
          Set<String> startedRuns = new HashSet<>();
          for (FireRow fire : fires) {
            assertThat(fireTimes.add(fire.firedAt()))
                .as("fire at %s twice", fire.firedAt())
                .isTrue();
            if (FireRow.STARTED.equals(fire.outcome())) {
              assertThat(startedRuns.add(fire.runId())).isTrue();
            }
          }
          List<RunRecord> runs = store.runs().list(new RunQuery(null, null, 1_000));
          assertThat(runs.stream().map(RunRecord::id).toList())
              .containsAll(startedRuns)
              .hasSize(runs.size());

          // Now a run hangs on a stalled Airtable, and its owner is killed outright.
          sim.faults().forTable("Teachers").next(100_000, Fault.stall());
          RunRecord[] hung = new RunRecord[1];
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () -> {
                    List<RunRecord> running =
                        store.runs().list(new RunQuery(RunStatus.RUNNING, null, 1));
                    hung[0] = running.isEmpty() ? null : running.getFirst();
                    return hung[0] != null;
                  });
          Process owner = pidOf(hung[0]) == a.pid() ? a : b;
          Process survivor = owner == a ? b : a;
          owner.destroyForcibly();
          assertThat(owner.waitFor(10, TimeUnit.SECONDS)).isTrue();
          // The dead owner's run stays running in the store without any stall now. Clear the fault
          // before the reap: a survivor's fire in the moment after it would otherwise meet the
          // stall and hang until its own run deadline, the length of the wait below.
          sim.faults().clear();

          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> store.runs().find(hung[0].id()).orElseThrow().status().terminal());
          RunRecord reaped = store.runs().find(hung[0].id()).orElseThrow();
          assertThat(reaped.status()).isEqualTo(RunStatus.ERROR);
          assertThat(reaped.error()).startsWith("owner lost");

          await()
              .atMost(Duration.ofSeconds(30))
              .failFast("the survivor exited", () -> !survivor.isAlive())
              .until(
                  () ->
                      store.runs().list(new RunQuery(RunStatus.SUCCEEDED, null, 1)).stream()
                          .anyMatch(
                              r ->
                                  r.createdAt().isAfter(reaped.finishedAt())
                                      && pidOf(r) == survivor.pid()));
        } finally {
          a.destroyForcibly();
          b.destroyForcibly();
          a.waitFor(10, TimeUnit.SECONDS);
          b.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
