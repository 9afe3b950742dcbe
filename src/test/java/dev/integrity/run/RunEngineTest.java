package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.integrity.app.IntegrityApp;
import dev.integrity.common.CancelOutcome;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class RunEngineTest {
  private static final String TOKEN = "patSecretToken1234567890.abcdef";

  @TempDir Path dir;
  @RegisterExtension final CapturedLogs logs = CapturedLogs.root();
  private AirtableSimulator sim;
  private Dataset dataset;

  @BeforeEach
  void startSimulator() {
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
    sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .rateLimitPerSecond(0)
            .token(TOKEN)
            .build()
            .start();
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  private IntegrityApp app(int maxNumber, int runSeconds) {
    return app(maxNumber, runSeconds, TestBases.env(sim, dir, runSeconds));
  }

  private IntegrityApp app(int maxNumber, int runSeconds, Map<String, String> env) {
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(maxNumber));
    return IntegrityApp.builder().environment(env).config(config).build();
  }

  private static RunRecord runOnce(IntegrityApp app) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
    return app.execute(queued.id());
  }

  private static EntityProgress entity(IntegrityApp app, String runId, String name) {
    return app.store().runs().entities(runId).stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Once a run has ended, the simulator sees no further request for a while. */
  private void assertNoFurtherRequests() {
    int requestsAtEnd = sim.requests().size();
    await()
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> sim.requests().size() == requestsAtEnd);
  }

  /** A run executing on another thread, with teachers fetched and students stalled. */
  record InFlight(RunRecord queued, CompletableFuture<RunRecord> running) {}

  private static InFlight startWhileStudentsStall(IntegrityApp app) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
    CompletableFuture<RunRecord> running =
        CompletableFuture.supplyAsync(() -> app.execute(queued.id()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                entity(app, queued.id(), "students").status() == EntityStatus.FETCHING
                    && entity(app, queued.id(), "teachers").status() == EntityStatus.FETCHED);
    return new InFlight(queued, running);
  }

  @Test
  void a_clean_run_fetches_every_entity_checks_it_and_succeeds() {
    try (IntegrityApp app = app(450, 30)) {
      RunRecord run = runOnce(app);

      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(run.error()).isNull();
      EntityProgress teachers = entity(app, run.id(), "teachers");
      EntityProgress students = entity(app, run.id(), "students");
      assertThat(teachers.status()).isEqualTo(EntityStatus.FETCHED);
      assertThat(teachers.records()).isEqualTo(250);
      assertThat(teachers.pages()).isEqualTo(3);
      assertThat(students.records()).isEqualTo(500);
      assertThat(students.pages()).isEqualTo(5);
      IssueSummary issues = app.store().issues().summary(run.id());
      assertThat(issues.total()).isEqualTo(50);
      assertThat(issues.bySeverity()).containsEntry("fail", 50L);
      assertThat(issues.newCount()).isEqualTo(50);
      IssueRow first = app.store().issues().list(run.id(), IssueFilter.ALL, 1, 0).getFirst();
      String tableId = dataset.table("Students").orElseThrow().id();
      assertThat(first.url())
          .isEqualTo(
              "https://airtable.com/" + dataset.baseId() + "/" + tableId + "/" + first.recordId());
    }
  }

  @Test
  void deadline_on_a_stalled_table_ends_the_run_as_timeout_keeping_what_was_fetched() {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    try (IntegrityApp app = app(450, 3)) {
      long t0 = System.nanoTime();
      RunRecord run = runOnce(app);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
      assertThat(Duration.between(run.startedAt(), run.finishedAt()))
          .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
      assertThat(tookMs).isLessThan(3_000 + 2_000 + 5_000);
      assertThat(run.error()).contains("MAX_RUN_DURATION_SECONDS", "students", "fetching");
      EntityProgress teachers = entity(app, run.id(), "teachers");
      assertThat(teachers.status()).isEqualTo(EntityStatus.FETCHED);
      assertThat(teachers.records()).isEqualTo(250);
      assertThat(entity(app, run.id(), "students").status()).isEqualTo(EntityStatus.TIMEOUT);

      assertNoFurtherRequests();
    }
  }

  @Test
  void cancel_from_another_thread_ends_the_run_cancelled_and_sends_nothing_after() {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    try (IntegrityApp app = app(450, 60)) {
      InFlight flight = startWhileStudentsStall(app);
      RunRecord queued = flight.queued();
      CompletableFuture<RunRecord> running = flight.running();

      assertThat(app.cancel(queued.id())).isEqualTo(CancelOutcome.CANCELLED);
      RunRecord ended = running.orTimeout(2, TimeUnit.SECONDS).join();

      assertThat(ended.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(entity(app, queued.id(), "teachers").status()).isEqualTo(EntityStatus.FETCHED);
      assertNoFurtherRequests();
    }
  }

  @Test
  void cancel_requested_through_the_store_stops_the_owner_at_its_next_heartbeat() {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    Map<String, String> env = TestBases.env(sim, dir, 60);
    try (IntegrityApp app = app(450, 60, env);
        Store other =
            Store.open(StoreSettings.of(env.get("INTEGRITY_DB_URL")), Clock.systemUTC())) {
      InFlight flight = startWhileStudentsStall(app);
      RunRecord queued = flight.queued();
      CompletableFuture<RunRecord> running = flight.running();

      assertThat(other.runs().requestCancel(queued.id())).isEqualTo(CancelOutcome.REQUESTED);
      RunRecord ended = running.orTimeout(4, TimeUnit.SECONDS).join();

      assertThat(ended.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(ended.error()).contains("cancel");
    }
  }

  @Test
  void a_run_reaped_while_its_owner_lives_stops_at_the_owners_next_heartbeat() {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    Map<String, String> env = TestBases.env(sim, dir, 60);
    try (IntegrityApp app = app(450, 60, env);
        Store reaperStore =
            Store.open(StoreSettings.of(env.get("INTEGRITY_DB_URL")), Clock.systemUTC())) {
      InFlight flight = startWhileStudentsStall(app);
      RunRecord queued = flight.queued();
      CompletableFuture<RunRecord> running = flight.running();

      // Another process's reaper decides the run is overdue although its owner is alive.
      assertThat(
              reaperStore
                  .runs()
                  .reapOverdue(
                      queued.id(),
                      java.time.Instant.now().plus(Duration.ofHours(1)),
                      "Run exceeded maximum duration and was automatically terminated")
                  .applied())
          .isTrue();
      RunRecord ended = running.orTimeout(4, TimeUnit.SECONDS).join();

      assertThat(ended.status()).isEqualTo(RunStatus.TIMEOUT);
      assertThat(ended.error()).contains("automatically terminated");
      assertNoFurtherRequests();
    }
  }

  @Test
  void completion_and_cancel_racing_end_each_run_exactly_once() {
    try (IntegrityApp app = app(450, 30)) {
      // Both sides of the race for certain: a cancel before the run is claimed wins, one after it
      // ended finds it ended. Neither depends on how fast this machine is.
      RunRecord early = app.start(null, Trigger.MANUAL, List.of("teachers"), RunMode.FULL);
      assertThat(app.cancel(early.id())).isEqualTo(CancelOutcome.CANCELLED);
      assertThat(app.execute(early.id()).status()).isEqualTo(RunStatus.CANCELLED);
      RunRecord late = app.start(null, Trigger.MANUAL, List.of("teachers"), RunMode.FULL);
      assertThat(app.execute(late.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(app.cancel(late.id())).isEqualTo(CancelOutcome.ALREADY_ENDED);

      // Then real races, the cancel coming after a random amount of scheduling jitter: whoever
      // wins, the run ends once, and the store, the executing thread and the cancel agree.
      for (int i = 0; i < 16; i++) {
        RunRecord queued = app.start(null, Trigger.MANUAL, List.of("teachers"), RunMode.FULL);
        CompletableFuture<RunRecord> running =
            CompletableFuture.supplyAsync(() -> app.execute(queued.id()));
        int yields = ThreadLocalRandom.current().nextInt(0, 20_000);
        for (int y = 0; y < yields && !running.isDone(); y++) {
          Thread.yield();
        }
        CancelOutcome outcome = app.cancel(queued.id());
        RunRecord ended = running.orTimeout(10, TimeUnit.SECONDS).join();

        RunStatus stored = app.store().runs().find(queued.id()).orElseThrow().status();
        assertThat(stored).isEqualTo(ended.status());
        assertThat(stored).isIn(RunStatus.SUCCEEDED, RunStatus.CANCELLED);
        boolean cancelWon =
            outcome == CancelOutcome.CANCELLED || outcome == CancelOutcome.REQUESTED;
        assertThat(stored == RunStatus.CANCELLED)
            .as("run %d: cancel said %s, store says %s", i, outcome, stored)
            .isEqualTo(cancelWon);
      }
    }
  }

  @Test
  void a_second_run_of_a_busy_base_is_refused_across_two_processes_sharing_the_store() {
    try (IntegrityApp first = app(450, 30);
        IntegrityApp second = app(450, 30)) {
      RunRecord active = first.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);

      assertThatThrownBy(() -> second.start(null, Trigger.API, List.of(), RunMode.FULL))
          .isInstanceOf(ActiveRunExistsException.class)
          .hasMessageContaining(active.id());
    }
  }

  @Test
  void unknown_entities_are_refused_before_a_run_is_created() {
    try (IntegrityApp app = app(450, 30)) {
      assertThatThrownBy(
              () -> app.start(null, Trigger.MANUAL, List.of("teachers", "parents"), RunMode.FULL))
          .isInstanceOf(UnknownEntityException.class)
          .hasMessageContaining("parents")
          .hasMessageContaining("teachers, students");
      assertThat(app.store().runs().list(new dev.integrity.store.RunQuery(null, null, 10)))
          .isEmpty();
    }
  }

  @Test
  void a_check_naming_a_missing_field_ends_the_run_as_a_configuration_error() {
    Path config =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              students:
                table: Students
                checks:
                  - required: [Name, Nickname]
            """);
    try (IntegrityApp app =
        IntegrityApp.builder().environment(TestBases.env(sim, dir, 30)).config(config).build()) {
      RunRecord run = runOnce(app);

      assertThat(run.status()).isEqualTo(RunStatus.ERROR);
      assertThat(run.error()).contains("configuration error", "students", "Nickname");
      assertThat(app.store().issues().summary(run.id()).total()).isZero();
    }
  }

  @Test
  void issues_are_new_persisting_or_resolved_against_the_last_succeeded_run() {
    String first;
    try (IntegrityApp app = app(450, 30)) {
      first = runOnce(app).id(); // 451..500 out of range: 50 new
    }
    try (IntegrityApp app = app(480, 30)) {
      String second = runOnce(app).id(); // 481..500: 20 persisting, 30 resolved
      IssueSummary s = app.store().issues().summary(second);
      assertThat(s.total()).isEqualTo(20);
      assertThat(s.newCount()).isZero();
      assertThat(s.resolvedCount()).isEqualTo(30);
    }
    try (IntegrityApp app = app(470, 30)) {
      String third = runOnce(app).id(); // 471..500: 20 persisting, 10 new
      IssueSummary s = app.store().issues().summary(third);
      assertThat(s.total()).isEqualTo(30);
      assertThat(s.newCount()).isEqualTo(10);
      assertThat(s.resolvedCount()).isZero();
      assertThat(app.store().issues().list(third, IssueFilter.NEW, 100, 0))
          .extracting(IssueRow::message)
          .allSatisfy(m -> assertThat(m).containsPattern("47[1-9]|480"));
    }
    assertThat(first).isNotBlank();
  }

  @Test
  void every_log_line_of_a_run_carries_its_id_and_none_carries_the_token() {
    try (IntegrityApp app = app(450, 30)) {
      RunRecord run = runOnce(app);

      List<ILoggingEvent> runEvents =
          logs.events().stream()
              .filter(e -> e.getLoggerName().startsWith("dev.integrity.run"))
              .toList();
      assertThat(runEvents).isNotEmpty();
      assertThat(runEvents)
          .allSatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("run", run.id()));
      assertThat(runEvents)
          .filteredOn(e -> e.getFormattedMessage().startsWith("fetched"))
          .extracting(e -> e.getMDCPropertyMap().get("entity"))
          .containsExactlyInAnyOrder("teachers", "students");
      assertThat(logs.messages()).noneMatch(m -> m.contains(TOKEN));
    }
  }
}
