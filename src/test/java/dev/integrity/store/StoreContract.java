package dev.integrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.testing.MutableClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The repository contract every dialect must keep; subclasses say where the database is. Each test
 * uses its own base ids and keys, so tests may share one database.
 */
abstract class StoreContract {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final StoreTimeouts TIMEOUTS =
      new StoreTimeouts(
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30));

  final MutableClock clock = new MutableClock(T0);
  Store store;
  RunRepository runs;
  String base;

  /** The database of this test class; every call names the same one. */
  abstract StoreSettings settings();

  @BeforeEach
  void open() {
    store = Store.open(settings(), TIMEOUTS, clock);
    runs = store.runs();
    base = "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  Store openSecondStore() {
    return Store.open(settings(), TIMEOUTS, clock);
  }

  RunRecord runningRun(String owner) {
    RunRecord run = runs.create(base, Trigger.MANUAL, null, List.of("teachers"));
    assertThat(runs.claim(run.id(), owner).applied()).isTrue();
    return run;
  }

  // ---------------------------------------------------------------- schema

  @Test
  void migrations_are_idempotent_when_a_second_store_opens_the_same_database() throws Exception {
    long before = historyRows(store);
    try (Store second = openSecondStore()) {
      assertThat(historyRows(second)).isEqualTo(before);
      assertThat(second.ping()).isTrue();
    }
    assertThat(before).isGreaterThanOrEqualTo(2);
  }

  private static long historyRows(Store store) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void scheduled_tasks_has_exactly_the_columns_of_db_scheduler_16_12_0() throws Exception {
    List<String> columns = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "scheduled_tasks", null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME").toLowerCase());
      }
    }
    assertThat(columns)
        .containsExactlyInAnyOrder(
            "task_name",
            "task_instance",
            "task_data",
            "execution_time",
            "picked",
            "picked_by",
            "last_success",
            "last_failure",
            "consecutive_failures",
            "last_heartbeat",
            "version",
            "priority");
  }

  @Test
  void ping_answers_true_while_open_and_false_after_close() {
    Store second = openSecondStore();
    assertThat(second.ping()).isTrue();
    second.close();
    assertThat(second.ping()).isFalse();
  }

  // ---------------------------------------------------------------- runs

  @Test
  void create_claim_and_finish_stamp_status_owner_and_times() {
    RunRecord created =
        runs.create(base, Trigger.SCHEDULE, "nightly", List.of("teachers", "classes"));
    assertThat(created.id()).startsWith("run_");
    assertThat(created.status()).isEqualTo(RunStatus.QUEUED);
    assertThat(created.trigger()).isEqualTo(Trigger.SCHEDULE);
    assertThat(created.schedule()).isEqualTo("nightly");
    assertThat(created.entities()).containsExactly("teachers", "classes");
    assertThat(created.createdAt()).isEqualTo(T0);
    assertThat(created.startedAt()).isNull();

    clock.advance(Duration.ofSeconds(1));
    assertThat(runs.claim(created.id(), "host-1"))
        .isEqualTo(new Transition.Applied(RunStatus.QUEUED, RunStatus.RUNNING));
    RunRecord running = runs.find(created.id()).orElseThrow();
    assertThat(running.owner()).isEqualTo("host-1");
    assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(running.heartbeatAt()).isEqualTo(T0.plusSeconds(1));

    clock.advance(Duration.ofSeconds(2));
    assertThat(runs.finish(created.id(), RunStatus.SUCCEEDED, null))
        .isEqualTo(new Transition.Applied(RunStatus.RUNNING, RunStatus.SUCCEEDED));
    RunRecord done = runs.find(created.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(3));
    assertThat(done.error()).isNull();
    assertThat(runs.activeRun(base)).isEmpty();
  }

  @Test
  void ids_sort_in_creation_order_even_within_one_millisecond() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      RunRecord run = runs.create(base, Trigger.MANUAL, null, List.of());
      runs.finish(run.id(), RunStatus.CANCELLED, null);
      ids.add(run.id());
    }
    assertThat(ids).isSorted().doesNotHaveDuplicates();
    assertThat(runs.list(new RunQuery(null, base, 10)))
        .extracting(RunRecord::id)
        .containsExactlyElementsOf(ids.reversed());
  }

  @Test
  void a_terminal_status_is_final_and_the_loser_learns_the_current_status() {
    RunRecord run = runningRun("host-1");
    assertThat(runs.finish(run.id(), RunStatus.TIMEOUT, "run deadline of 30m reached").applied())
        .isTrue();
    assertThat(runs.finish(run.id(), RunStatus.SUCCEEDED, null))
        .isEqualTo(new Transition.Lost(RunStatus.TIMEOUT));
    assertThat(runs.finishIf(run.id(), RunStatus.RUNNING, RunStatus.CANCELLED, null))
        .isEqualTo(new Transition.Lost(RunStatus.TIMEOUT));
    assertThat(runs.claim(run.id(), "host-2")).isEqualTo(new Transition.Lost(RunStatus.TIMEOUT));
    RunRecord after = runs.find(run.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(after.error()).isEqualTo("run deadline of 30m reached");
    assertThat(after.owner()).isEqualTo("host-1");
  }

  @Test
  void finish_if_changes_only_the_expected_status() {
    RunRecord run = runs.create(base, Trigger.API, null, List.of());
    assertThat(runs.finishIf(run.id(), RunStatus.RUNNING, RunStatus.ERROR, "x"))
        .isEqualTo(new Transition.Lost(RunStatus.QUEUED));
    assertThat(runs.finishIf(run.id(), RunStatus.QUEUED, RunStatus.ERROR, "never claimed"))
        .isEqualTo(new Transition.Applied(RunStatus.QUEUED, RunStatus.ERROR));
  }

  @Test
  void finishing_with_a_non_terminal_status_or_an_unknown_run_is_refused() {
    RunRecord run = runs.create(base, Trigger.MANUAL, null, List.of());
    assertThatThrownBy(() -> runs.finish(run.id(), RunStatus.RUNNING, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> runs.claim("run_missing", "host-1"))
        .isInstanceOf(RunNotFoundException.class)
        .hasMessageContaining("run_missing");
  }

  @Test
  void deadline_finish_cancel_and_reaper_racing_from_several_threads_are_decided_exactly_once()
      throws Exception {
    for (int round = 0; round < 8; round++) {
      RunRecord run = runningRun("host-1");
      String id = run.id();
      List<Callable<Object>> contenders =
          List.of(
              () -> runs.finish(id, RunStatus.SUCCEEDED, null),
              () -> runs.finish(id, RunStatus.TIMEOUT, "deadline"),
              () -> runs.finishIf(id, RunStatus.RUNNING, RunStatus.CANCELLED, "cancelled"),
              () -> runs.reapOverdue(id, T0.plus(Duration.ofDays(1)), "overdue"),
              () -> runs.requestCancel(id));
      List<Object> outcomes = Race.run(contenders);
      List<Transition.Applied> winners =
          outcomes.stream()
              .filter(Transition.Applied.class::isInstance)
              .map(Transition.Applied.class::cast)
              .toList();
      assertThat(winners).hasSize(1);
      RunStatus finalStatus = runs.find(id).orElseThrow().status();
      assertThat(winners.getFirst())
          .isEqualTo(new Transition.Applied(RunStatus.RUNNING, finalStatus));
      outcomes.stream()
          .filter(Transition.Lost.class::isInstance)
          .forEach(lost -> assertThat(lost).isEqualTo(new Transition.Lost(finalStatus)));
      assertThat(outcomes.getLast()).isIn(CancelOutcome.REQUESTED, CancelOutcome.ALREADY_ENDED);
    }
  }

  @Test
  void one_active_run_per_base_holds_across_two_stores() {
    try (Store second = openSecondStore()) {
      RunRecord active = runs.create(base, Trigger.MANUAL, null, List.of());
      assertThatThrownBy(() -> second.runs().create(base, Trigger.SCHEDULE, "nightly", List.of()))
          .isInstanceOfSatisfying(
              ActiveRunExistsException.class,
              e -> {
                assertThat(e.baseId()).isEqualTo(base);
                assertThat(e.activeRunId()).isEqualTo(active.id());
              })
          .hasMessageContaining(active.id());
      // Still blocked while running; another base is not.
      second.runs().claim(active.id(), "host-2");
      assertThatThrownBy(() -> runs.create(base, Trigger.API, null, List.of()))
          .isInstanceOf(ActiveRunExistsException.class);
      assertThat(second.runs().create(base + "x", Trigger.API, null, List.of()).status())
          .isEqualTo(RunStatus.QUEUED);
      runs.finish(active.id(), RunStatus.SUCCEEDED, null);
      assertThat(second.runs().create(base, Trigger.API, null, List.of()).status())
          .isEqualTo(RunStatus.QUEUED);
    }
  }

  @Test
  void concurrent_creates_from_two_stores_start_exactly_one_run() throws Exception {
    try (Store second = openSecondStore()) {
      List<Callable<Object>> creators = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        RunRepository repo = i % 2 == 0 ? runs : second.runs();
        creators.add(
            () -> {
              try {
                return repo.create(base, Trigger.SCHEDULE, "nightly", List.of());
              } catch (ActiveRunExistsException e) {
                return e;
              }
            });
      }
      List<Object> outcomes = Race.run(creators);
      List<RunRecord> created =
          outcomes.stream().filter(RunRecord.class::isInstance).map(RunRecord.class::cast).toList();
      assertThat(created).hasSize(1);
      assertThat(outcomes)
          .filteredOn(ActiveRunExistsException.class::isInstance)
          .hasSize(5)
          .allSatisfy(
              e ->
                  assertThat(((ActiveRunExistsException) e).activeRunId())
                      .isEqualTo(created.getFirst().id()));
    }
  }

  @Test
  void heartbeat_stamps_only_for_the_owner_and_carries_the_cancel_flag() {
    RunRecord run = runningRun("host-1");
    clock.advance(Duration.ofSeconds(15));
    assertThat(runs.heartbeat(run.id(), "host-1", false))
        .isEqualTo(new Heartbeat(RunStatus.RUNNING, false, true));
    RunRecord stamped = runs.find(run.id()).orElseThrow();
    assertThat(stamped.heartbeatAt()).isEqualTo(T0.plusSeconds(15));
    assertThat(stamped.lastProgressAt()).isNull();

    clock.advance(Duration.ofSeconds(15));
    runs.heartbeat(run.id(), "host-1", true);
    assertThat(runs.find(run.id()).orElseThrow().lastProgressAt()).isEqualTo(T0.plusSeconds(30));

    clock.advance(Duration.ofSeconds(15));
    assertThat(runs.heartbeat(run.id(), "host-2", true))
        .isEqualTo(new Heartbeat(RunStatus.RUNNING, false, false));
    assertThat(runs.find(run.id()).orElseThrow().heartbeatAt()).isEqualTo(T0.plusSeconds(30));

    assertThat(runs.requestCancel(run.id())).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(runs.heartbeat(run.id(), "host-1", false))
        .isEqualTo(new Heartbeat(RunStatus.RUNNING, true, true));
    assertThat(runs.find(run.id()).orElseThrow().cancelRequestedAt()).isEqualTo(T0.plusSeconds(45));

    runs.reapStale(run.id(), T0.plus(Duration.ofDays(1)), "owner lost");
    assertThat(runs.heartbeat(run.id(), "host-1", false))
        .isEqualTo(new Heartbeat(RunStatus.ERROR, true, false));
  }

  @Test
  void cancel_request_cancels_a_queued_run_flags_a_running_one_and_reports_the_rest() {
    RunRecord queued = runs.create(base, Trigger.MANUAL, null, List.of());
    assertThat(runs.requestCancel(queued.id())).isEqualTo(CancelOutcome.CANCELLED);
    RunRecord cancelled = runs.find(queued.id()).orElseThrow();
    assertThat(cancelled.status()).isEqualTo(RunStatus.CANCELLED);
    assertThat(cancelled.finishedAt()).isEqualTo(T0);

    RunRecord running = runningRun("host-1");
    assertThat(runs.requestCancel(running.id())).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(runs.find(running.id()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    assertThat(runs.finishIf(running.id(), RunStatus.RUNNING, RunStatus.CANCELLED, null).applied())
        .isTrue();
    assertThat(runs.requestCancel(running.id())).isEqualTo(CancelOutcome.ALREADY_ENDED);
    assertThat(runs.requestCancel("run_missing")).isEqualTo(CancelOutcome.NOT_FOUND);
  }

  @Test
  void reaper_methods_apply_only_past_their_thresholds() {
    RunRecord queued = runs.create(base, Trigger.SCHEDULE, "nightly", List.of());
    assertThat(runs.reapUnclaimed(queued.id(), T0, "never claimed"))
        .isEqualTo(new Transition.Lost(RunStatus.QUEUED));
    assertThat(runs.reapUnclaimed(queued.id(), T0.plusMillis(1), "never claimed"))
        .isEqualTo(new Transition.Applied(RunStatus.QUEUED, RunStatus.ERROR));

    RunRecord stale = runningRun("host-1");
    clock.advance(Duration.ofMinutes(1));
    runs.heartbeat(stale.id(), "host-1", false);
    Instant heartbeat = clock.instant();
    assertThat(runs.reapStale(stale.id(), heartbeat, "owner lost"))
        .isEqualTo(new Transition.Lost(RunStatus.RUNNING));
    assertThat(runs.reapOverdue(stale.id(), T0, "too long"))
        .isEqualTo(new Transition.Lost(RunStatus.RUNNING));
    assertThat(runs.reapStale(stale.id(), heartbeat.plusMillis(1), "owner lost: no heartbeat"))
        .isEqualTo(new Transition.Applied(RunStatus.RUNNING, RunStatus.ERROR));
    assertThat(runs.find(stale.id()).orElseThrow().error()).isEqualTo("owner lost: no heartbeat");

    RunRecord overdue = runningRun("host-1");
    Instant started = runs.find(overdue.id()).orElseThrow().startedAt();
    assertThat(runs.reapOverdue(overdue.id(), started.plusMillis(1), "exceeded"))
        .isEqualTo(new Transition.Applied(RunStatus.RUNNING, RunStatus.TIMEOUT));
    assertThat(runs.reapUnclaimed(overdue.id(), started.plusMillis(1), "x"))
        .isEqualTo(new Transition.Lost(RunStatus.TIMEOUT));
  }

  @Test
  void two_reapers_sweeping_at_once_end_a_run_once() throws Exception {
    try (Store second = openSecondStore()) {
      for (int round = 0; round < 5; round++) {
        RunRecord run = runningRun("host-1");
        Instant later = T0.plus(Duration.ofHours(1));
        List<Callable<Transition>> reapers =
            List.of(
                () -> runs.reapStale(run.id(), later, "owner lost"),
                () -> second.runs().reapStale(run.id(), later, "owner lost"),
                () -> runs.reapOverdue(run.id(), later, "exceeded"),
                () -> second.runs().reapOverdue(run.id(), later, "exceeded"));
        List<Transition> outcomes = Race.run(reapers);
        assertThat(outcomes).filteredOn(Transition::applied).hasSize(1);
        RunStatus end = runs.find(run.id()).orElseThrow().status();
        assertThat(end).isIn(RunStatus.ERROR, RunStatus.TIMEOUT);
        assertThat(outcomes).filteredOn(t -> !t.applied()).containsOnly(new Transition.Lost(end));
      }
    }
  }

  @Test
  void queries_find_active_runs_by_status_and_newest_first() {
    RunRecord first = runs.create(base, Trigger.MANUAL, null, List.of("a"));
    runs.finish(first.id(), RunStatus.ERROR, "boom");
    clock.advance(Duration.ofSeconds(1));
    RunRecord second = runs.create(base, Trigger.API, null, List.of("b"));
    assertThat(runs.activeRun(base)).map(RunRecord::id).contains(second.id());
    assertThat(runs.withStatus(RunStatus.QUEUED)).extracting(RunRecord::id).contains(second.id());
    assertThat(runs.withStatus(RunStatus.QUEUED))
        .extracting(RunRecord::id)
        .doesNotContain(first.id());
    assertThat(runs.list(new RunQuery(null, base, 10)))
        .extracting(RunRecord::id)
        .containsExactly(second.id(), first.id());
    assertThat(runs.list(new RunQuery(RunStatus.ERROR, base, 10)))
        .extracting(RunRecord::id)
        .containsExactly(first.id());
    assertThat(runs.list(new RunQuery(null, base, 1))).hasSize(1);
    assertThat(runs.find("run_missing")).isEmpty();
  }

  @Test
  void the_page_latency_of_an_entity_is_saved_and_read_back() {
    RunRecord run = runningRun("host-1");
    runs.saveEntities(
        run.id(),
        List.of(
            new EntityProgress(
                run.id(),
                "teachers",
                "Teachers",
                EntityStatus.PENDING,
                0,
                0,
                null,
                null,
                false,
                0,
                250L)));
    assertThat(runs.entities(run.id()).getFirst().pageLatencyMs()).isEqualTo(250L);

    runs.updateEntity(
        new EntityProgress(
                run.id(), "teachers", "Teachers", EntityStatus.FETCHED, 300, 3, 900L, null)
            .withPageLatencyMs(310L));
    assertThat(runs.entities(run.id()).getFirst().pageLatencyMs()).isEqualTo(310L);

    runs.updateEntity(
        new EntityProgress(
            run.id(), "teachers", "Teachers", EntityStatus.FETCHED, 300, 3, 900L, null));
    assertThat(runs.entities(run.id()).getFirst().pageLatencyMs()).isNull();
  }

  /** A run of the base that fetched {@code entity} with these figures, then ended. */
  private RunRecord fetchedRun(
      String baseId, String entity, EntityStatus status, int pages, Long latencyMs) {
    clock.advance(Duration.ofSeconds(10));
    RunRecord run = runs.create(baseId, Trigger.MANUAL, null, List.of(entity));
    assertThat(runs.claim(run.id(), "host-1").applied()).isTrue();
    runs.saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), entity, entity)));
    runs.updateEntity(
        new EntityProgress(
            run.id(),
            entity,
            entity,
            status,
            pages * 100L,
            pages,
            pages * 400L,
            null,
            false,
            0,
            latencyMs));
    runs.finish(run.id(), RunStatus.ERROR, "ended for the test");
    return run;
  }

  @Test
  void the_last_fetch_of_an_entity_is_the_newest_run_of_the_base_that_fetched_it() {
    String other = base.substring(0, base.length() - 1) + "Z";
    fetchedRun(base, "students", EntityStatus.FETCHED, 100, 300L);
    RunRecord newest = fetchedRun(base, "students", EntityStatus.FETCHED, 120, 320L);
    fetchedRun(base, "students", EntityStatus.TIMEOUT, 7, 900L);
    fetchedRun(other, "students", EntityStatus.FETCHED, 5, 50L);
    fetchedRun(base, "classes", EntityStatus.FETCHED, 9, 100L);

    LastEntityFetch last = runs.lastFetch(base, "students").orElseThrow();

    assertThat(last).isEqualTo(new LastEntityFetch(newest.id(), "students", 120, 320L, 120 * 400L));
    assertThat(last.perPageMs()).isEqualTo(320L);
    assertThat(runs.lastFetch(base, "teachers")).isEmpty();
    assertThat(runs.lastFetch(other, "students").orElseThrow().pages()).isEqualTo(5);
  }

  @Test
  void a_last_fetch_without_recorded_latency_falls_back_to_duration_over_pages() {
    fetchedRun(base, "rooms", EntityStatus.FETCHED, 4, null);

    LastEntityFetch last = runs.lastFetch(base, "rooms").orElseThrow();

    assertThat(last.pageLatencyMs()).isNull();
    assertThat(last.perPageMs()).isEqualTo(400L);
  }

  @Test
  void entity_progress_is_saved_in_order_and_upserted_by_run_and_name() {
    RunRecord run = runningRun("host-1");
    runs.saveEntities(
        run.id(),
        List.of(
            EntityProgress.pending(run.id(), "teachers", "Teachers"),
            EntityProgress.pending(run.id(), "classes", "Classes")));
    runs.updateEntity(
        new EntityProgress(
            run.id(), "classes", "tblClasses", EntityStatus.FETCHING, 300, 3, null, null));
    runs.updateEntity(
        new EntityProgress(
            run.id(), "students", "Students", EntityStatus.TIMEOUT, 10, 1, 2000L, "deadline"));
    assertThat(runs.entities(run.id()))
        .containsExactly(
            EntityProgress.pending(run.id(), "teachers", "Teachers"),
            new EntityProgress(
                run.id(), "classes", "tblClasses", EntityStatus.FETCHING, 300, 3, null, null),
            new EntityProgress(
                run.id(), "students", "Students", EntityStatus.TIMEOUT, 10, 1, 2000L, "deadline"));
    runs.updateEntity(
        new EntityProgress(
            run.id(), "classes", "tblClasses", EntityStatus.FETCHED, 10_000, 100, 21_000L, null));
    assertThat(runs.entities(run.id()).get(1))
        .isEqualTo(
            new EntityProgress(
                run.id(),
                "classes",
                "tblClasses",
                EntityStatus.FETCHED,
                10_000,
                100,
                21_000L,
                null));
  }

  @Test
  void last_succeeded_covering_skips_failed_runs_and_runs_without_the_entity() {
    RunRecord first = covering(List.of("teachers", "classes"), RunStatus.SUCCEEDED);
    RunRecord failed = covering(List.of("teachers"), RunStatus.ERROR);
    RunRecord onlyClasses = covering(List.of("classes"), RunStatus.SUCCEEDED);
    RunRecord current = covering(List.of("teachers"), RunStatus.SUCCEEDED);
    assertThat(runs.lastSucceededCovering(base, "teachers", current.id()))
        .map(RunRecord::id)
        .contains(first.id());
    assertThat(runs.lastSucceededCovering(base, "classes", current.id()))
        .map(RunRecord::id)
        .contains(onlyClasses.id());
    assertThat(runs.lastSucceededCovering(base, "teachers", null))
        .map(RunRecord::id)
        .contains(current.id());
    assertThat(runs.lastSucceededCovering(base, "teachers", first.id())).isEmpty();
    assertThat(failed.status()).isEqualTo(RunStatus.QUEUED);
  }

  /** A run over the entities, ended with the given status; returns it as created. */
  RunRecord covering(List<String> entities, RunStatus end) {
    clock.advance(Duration.ofSeconds(1));
    RunRecord run = runs.create(base, Trigger.MANUAL, null, entities);
    runs.claim(run.id(), "host-1");
    runs.saveEntities(
        run.id(), entities.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    runs.finish(run.id(), end, end == RunStatus.SUCCEEDED ? null : "failed");
    return run;
  }

  // ---------------------------------------------------------------- issues

  static IssueRow issue(String entity, String record, String check, String field) {
    return new IssueRow(
        null,
        entity,
        record,
        check,
        field,
        "fail",
        "value 'x' breaks " + check,
        "https://airtable.com/appX/tblX/" + record,
        null);
  }

  @Test
  void issue_writer_writes_a_batch_whenever_the_buffer_fills() {
    RunRecord run = runningRun("host-1");
    IssueRepository issues = store.issues();
    try (IssueWriter writer = issues.writer(run.id(), 10)) {
      for (int i = 0; i < 9; i++) {
        writer.add(issue("teachers", "rec" + i, "required-name", "Name"));
      }
      assertThat(issues.summary(run.id()).total()).isZero();
      writer.add(issue("teachers", "rec9", "required-name", "Name"));
      assertThat(writer.written()).isEqualTo(10);
      assertThat(issues.summary(run.id()).total()).isEqualTo(10);
      writer.add(issue("teachers", "rec10", "required-name", "Name"));
      assertThat(issues.summary(run.id()).total()).isEqualTo(10);
    }
    assertThat(issues.summary(run.id()).total()).isEqualTo(11);
  }

  @Test
  void issue_writer_stores_100000_issues_and_the_summary_counts_them() {
    RunRecord run = runningRun("host-1");
    IssueRepository issues = store.issues();
    try (IssueWriter writer = issues.writer(run.id())) {
      for (int i = 0; i < 100_000; i++) {
        writer.add(
            new IssueRow(
                run.id(),
                "students",
                "rec" + i,
                i % 10 == 0 ? "rule-age" : "required-email",
                i % 10 == 0 ? null : "Email",
                i % 10 == 0 ? "warn" : "fail",
                "missing",
                null,
                null));
      }
      assertThat(writer.written()).isEqualTo(100_000);
    }
    IssueSummary summary = issues.summary(run.id());
    assertThat(summary)
        .isEqualTo(
            new IssueSummary(
                100_000,
                Map.of("fail", 90_000L, "warn", 10_000L),
                100_000,
                0,
                Map.of("fail", 90_000L, "warn", 10_000L)));
    long[] streamed = {0};
    issues.forEach(run.id(), IssueFilter.ALL, row -> streamed[0]++);
    assertThat(streamed[0]).isEqualTo(100_000);
    List<IssueRow> page = issues.list(run.id(), IssueFilter.ALL, 2, 10);
    assertThat(page)
        .extracting(IssueRow::recordId, IssueRow::field, IssueRow::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rec10", null, "new"),
            org.assertj.core.groups.Tuple.tuple("rec11", "Email", "new"));
  }

  @Test
  void compute_states_over_three_runs_marks_new_persisting_and_resolved() {
    IssueRepository issues = store.issues();
    // Run 1 covers teachers and classes: everything is new.
    RunRecord run1 = startCovering(List.of("teachers", "classes"));
    write(
        run1,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "unique-email", "Email"),
        issue("classes", "recC", "link-teacher", "Teacher"));
    issues.computeStates(run1.id(), base, complete("teachers", "classes"));
    markChecked(run1, "teachers", "classes");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);
    assertThat(issues.summary(run1.id()))
        .isEqualTo(new IssueSummary(3, Map.of("fail", 3L), 3, 0, Map.of("fail", 3L)));

    // A run in between that did not check teachers never counts as the previous one.
    RunRecord failed = startCovering(List.of("teachers"));
    write(failed, issue("teachers", "rec9", "required-name", "Name"));
    runs.finish(failed.id(), RunStatus.ERROR, "boom");

    // Run 2 covers teachers only: rec2 persists, rec4 (no field) is new, rec1 is resolved.
    RunRecord run2 = startCovering(List.of("teachers"));
    write(
        run2,
        issue("teachers", "rec2", "unique-email", "Email"),
        issue("teachers", "rec4", "rule-dates", null));
    issues.computeStates(run2.id(), base, complete("teachers"));
    issues.computeStates(run2.id(), base, complete("teachers")); // idempotent
    markChecked(run2, "teachers");
    runs.finish(run2.id(), RunStatus.SUCCEEDED, null);
    assertThat(states(run2)).containsExactly("rec2:persisting", "rec4:new", "rec1:resolved");
    assertThat(issues.summary(run2.id()))
        .isEqualTo(new IssueSummary(2, Map.of("fail", 2L), 1, 1, Map.of("fail", 1L)));
    assertThat(issues.list(run2.id(), IssueFilter.RESOLVED, 10, 0))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.runId()).isEqualTo(run2.id());
              assertThat(row.message()).isEqualTo("value 'x' breaks required-name");
            });

    // Run 3: rec1 is back (new again: it was resolved in run 2), rec4 persists (null field
    // matches null field), rec2 is resolved; classes compare with run 1, the last to cover them.
    RunRecord run3 = startCovering(List.of("teachers", "classes"));
    write(
        run3,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec4", "rule-dates", null),
        issue("classes", "recC", "link-teacher", "Teacher"));
    issues.computeStates(run3.id(), base, complete("teachers", "classes"));
    assertThat(states(run3))
        .containsExactly("rec1:new", "rec4:persisting", "recC:persisting", "rec2:resolved");
    assertThat(issues.list(run3.id(), IssueFilter.NEW, 10, 0))
        .extracting(IssueRow::recordId)
        .containsExactly("rec1");
    assertThat(issues.summary(run3.id()))
        .isEqualTo(new IssueSummary(3, Map.of("fail", 3L), 1, 1, Map.of("fail", 1L)));
  }

  @Test
  void an_issue_keeps_its_offending_value_whole_and_its_resolved_row_carries_it() {
    IssueRepository issues = store.issues();
    String value = "a, \"long\"\nvalue " + "x".repeat(5_000);
    IssueRow withValue = issue("teachers", "rec1", "required-name", "Name");
    RunRecord run1 = startCovering(List.of("teachers"));
    write(
        run1,
        new IssueRow(
            null,
            withValue.entity(),
            withValue.recordId(),
            withValue.checkId(),
            withValue.field(),
            withValue.severity(),
            withValue.message(),
            withValue.url(),
            null,
            null,
            value),
        issue("teachers", "rec2", "rule-dates", null));
    issues.computeStates(run1.id(), base, complete("teachers"));
    markChecked(run1, "teachers");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);
    RunRecord run2 = startCovering(List.of("teachers"));
    write(run2, issue("teachers", "rec2", "rule-dates", null));
    issues.computeStates(run2.id(), base, complete("teachers"));

    assertThat(issues.list(run1.id(), IssueFilter.ALL, 10, 0))
        .extracting(IssueRow::recordId, IssueRow::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rec1", value),
            org.assertj.core.groups.Tuple.tuple("rec2", null));
    assertThat(issues.list(run2.id(), IssueFilter.RESOLVED, 10, 0))
        .singleElement()
        .extracting(IssueRow::value)
        .isEqualTo(value);
  }

  @Test
  void new_and_resolved_compare_with_the_last_run_that_checked_the_entity_whatever_its_ending() {
    IssueRepository issues = store.issues();
    RunRecord full = startCovering(List.of("teachers", "classes"));
    write(
        full,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("classes", "recC", "link-teacher", "Teacher"));
    issues.computeStates(full.id(), base, complete("teachers", "classes"));
    markChecked(full, "teachers", "classes");
    runs.finish(full.id(), RunStatus.SUCCEEDED, null);

    // A partial run: teachers checked (rec1 fixed, rec2 found), classes failed to fetch.
    RunRecord partial = startCovering(List.of("teachers", "classes"));
    write(partial, issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(partial.id(), base, complete("teachers"));
    markChecked(partial, "teachers");
    runs.finish(partial.id(), RunStatus.ERROR, "classes: error: HTTP 500");
    assertThat(states(partial)).containsExactly("rec2:new", "rec1:resolved");
    assertThat(runs.lastChecked(base, "classes", null)).map(RunRecord::id).contains(full.id());
    assertThat(runs.lastChecked(base, "teachers", null)).map(RunRecord::id).contains(partial.id());

    // The next full run: classes compare with the full run (recC persists, not new), teachers with
    // the partial one (rec2 persists).
    RunRecord next = startCovering(List.of("teachers", "classes"));
    write(
        next,
        issue("teachers", "rec2", "required-name", "Name"),
        issue("classes", "recC", "link-teacher", "Teacher"));
    issues.computeStates(next.id(), base, complete("teachers", "classes"));
    assertThat(states(next)).containsExactly("rec2:persisting", "recC:persisting");
  }

  /** Classes checked with every check, the dangling-id part of link-teacher not run. */
  private static EntityCoverage danglingPartNotRun() {
    return new EntityCoverage(
        "classes",
        CHECKS,
        List.of(new EntityCoverage.NotEvaluated.FieldsStartingWith("link-teacher", "Teacher:")));
  }

  @Test
  void
      an_issue_of_a_check_part_that_did_not_run_stays_open_keeps_its_first_seen_and_is_not_resolved() {
    IssueRepository issues = store.issues();
    // Night 1: a dangling link (recX), a count issue of the same check (recA), a required (rec1).
    RunRecord run1 = startCovering(List.of("classes"));
    Instant start1 = runs.find(run1.id()).orElseThrow().startedAt();
    write(
        run1,
        issue("classes", "recX", "link-teacher", "Teacher:recNoSuchTeacher1"),
        issue("classes", "recA", "link-teacher", "Teacher"),
        issue("classes", "rec1", "required-name", "Name"));
    issues.computeStates(run1.id(), base, complete("classes"));
    markChecked(run1, "classes");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);

    // Night 2: the target was not fetched, so only the counts ran: recX cannot be known; the
    // count issue recA went away and rec1 was fixed, both evaluated, so both are resolved.
    clock.advance(Duration.ofDays(1));
    RunRecord run2 = startCovering(List.of("classes"));
    Map<String, Long> open = issues.computeStates(run2.id(), base, List.of(danglingPartNotRun()));
    assertThat(issues.computeStates(run2.id(), base, List.of(danglingPartNotRun())))
        .isEqualTo(open); // idempotent
    markChecked(run2, "classes");
    runs.finish(run2.id(), RunStatus.ERROR, "teachers: error: HTTP 500");
    assertThat(open).containsExactly(Map.entry("classes", 1L));
    assertThat(firstSeen(run2))
        .containsExactly(
            "recX:persisting:" + start1, "recA:resolved:" + start1, "rec1:resolved:" + start1);
    assertThat(issues.list(run2.id(), IssueFilter.PERSISTING, 10, 0))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.runId()).isEqualTo(run2.id());
              assertThat(row.field()).isEqualTo("Teacher:recNoSuchTeacher1");
              assertThat(row.message()).isEqualTo("value 'x' breaks link-teacher");
              assertThat(row.url()).isEqualTo("https://airtable.com/appX/tblX/recX");
            });
    assertThat(issues.summary(run2.id()))
        .isEqualTo(new IssueSummary(1, Map.of("fail", 1L), 0, 2, Map.of()));
    assertThat(issues.checkCounts(run2.id()))
        .containsExactly(
            new CheckCount("classes", "link-teacher", "fail", 1, 0, 1, 1),
            new CheckCount("classes", "required-name", "fail", 0, 0, 0, 1));

    // Night 3, whole again: recX is found again and its series goes on from night 1.
    clock.advance(Duration.ofDays(1));
    RunRecord run3 = startCovering(List.of("classes"));
    write(run3, issue("classes", "recX", "link-teacher", "Teacher:recNoSuchTeacher1"));
    issues.computeStates(run3.id(), base, complete("classes"));
    markChecked(run3, "classes");
    runs.finish(run3.id(), RunStatus.SUCCEEDED, null);
    assertThat(firstSeen(run3)).containsExactly("recX:persisting:" + start1);
    assertThat(issues.summary(run3.id()))
        .isEqualTo(new IssueSummary(1, Map.of("fail", 1L), 0, 0, Map.of()));

    // Night 4, whole: the link was mended; the check ran and found it fine, so it is resolved.
    clock.advance(Duration.ofDays(1));
    RunRecord run4 = startCovering(List.of("classes"));
    issues.computeStates(run4.id(), base, complete("classes"));
    assertThat(states(run4)).containsExactly("recX:resolved");
  }

  @Test
  void a_whole_check_that_did_not_run_keeps_all_its_open_issues_and_the_other_checks_resolve() {
    IssueRepository issues = store.issues();
    RunRecord run1 = startCovering(List.of("classes"));
    write(
        run1,
        issue("classes", "rec1", "rule-dates", null),
        issue("classes", "rec2", "rule-dates", null),
        issue("classes", "rec3", "required-name", "Name"));
    issues.computeStates(run1.id(), base, complete("classes"));
    markChecked(run1, "classes");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);

    RunRecord run2 = startCovering(List.of("classes"));
    EntityCoverage ruleNotRun =
        new EntityCoverage(
            "classes", CHECKS, List.of(new EntityCoverage.NotEvaluated.WholeCheck("rule-dates")));
    assertThat(ruleNotRun.partialChecks()).containsExactly("rule-dates");
    assertThat(issues.computeStates(run2.id(), base, List.of(ruleNotRun)))
        .containsExactly(Map.entry("classes", 2L));
    assertThat(states(run2)).containsExactly("rec1:persisting", "rec2:persisting", "rec3:resolved");
    assertThat(issues.summary(run2.id()))
        .isEqualTo(new IssueSummary(2, Map.of("fail", 2L), 0, 1, Map.of()));
  }

  @Test
  void issues_of_a_check_no_longer_configured_are_retired_once_and_leave_the_open_set() {
    IssueRepository issues = store.issues();
    RunRecord run1 = startCovering(List.of("teachers"));
    Instant start1 = runs.find(run1.id()).orElseThrow().startedAt();
    write(
        run1,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "unique-email", "Email"),
        issue("teachers", "rec3", "unique-email", "Email"));
    issues.computeStates(run1.id(), base, complete("teachers"));
    markChecked(run1, "teachers");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);

    // unique-email left the config; required-name still finds rec1.
    EntityCoverage withoutUnique =
        EntityCoverage.complete("teachers", List.of("required-name", "rule-dates"));
    clock.advance(Duration.ofDays(1));
    RunRecord run2 = startCovering(List.of("teachers"));
    write(run2, issue("teachers", "rec1", "required-name", "Name"));
    assertThat(issues.computeStates(run2.id(), base, List.of(withoutUnique)))
        .containsExactly(Map.entry("teachers", 1L));
    issues.computeStates(run2.id(), base, List.of(withoutUnique)); // idempotent
    markChecked(run2, "teachers");
    runs.finish(run2.id(), RunStatus.SUCCEEDED, null);
    assertThat(firstSeen(run2))
        .containsExactly(
            "rec1:persisting:" + start1, "rec2:retired:" + start1, "rec3:retired:" + start1);
    assertThat(issues.summary(run2.id()))
        .isEqualTo(new IssueSummary(1, Map.of("fail", 1L), 0, 0, 2, Map.of()));
    assertThat(issues.checkCounts(run2.id()))
        .containsExactly(
            new CheckCount("teachers", "required-name", "fail", 1, 0, 1, 0, 0),
            new CheckCount("teachers", "unique-email", "fail", 0, 0, 0, 0, 2));
    assertThat(records(run2, new IssueQuery(null, null, null, IssueFilter.RETIRED)))
        .containsExactly("rec2", "rec3");
    assertThat(records(run2, new IssueQuery(null, null, null, IssueFilter.OPEN)))
        .containsExactly("rec1");
    assertThat(records(run2, new IssueQuery(null, null, null, IssueFilter.RESOLVED))).isEmpty();

    // Gone from the open set: the next run neither retires nor resolves them again.
    clock.advance(Duration.ofDays(1));
    RunRecord run3 = startCovering(List.of("teachers"));
    write(run3, issue("teachers", "rec1", "required-name", "Name"));
    issues.computeStates(run3.id(), base, List.of(withoutUnique));
    markChecked(run3, "teachers");
    runs.finish(run3.id(), RunStatus.SUCCEEDED, null);
    assertThat(states(run3)).containsExactly("rec1:persisting");

    // Configured again, the check's issues start a new series.
    clock.advance(Duration.ofDays(1));
    RunRecord run4 = startCovering(List.of("teachers"));
    write(run4, issue("teachers", "rec2", "unique-email", "Email"));
    issues.computeStates(run4.id(), base, complete("teachers"));
    assertThat(states(run4)).containsExactly("rec2:new", "rec1:resolved");
  }

  @Test
  void entity_checked_flag_and_issue_count_are_saved_and_read_back() {
    RunRecord run = startCovering(List.of("teachers", "classes"));
    EntityProgress fetched =
        new EntityProgress(
            run.id(), "teachers", "Teachers", EntityStatus.FETCHED, 250, 3, 900L, null);
    runs.updateEntity(fetched.checkedWith(42));
    assertThat(runs.entities(run.id()))
        .containsExactly(
            new EntityProgress(
                run.id(),
                "teachers",
                "Teachers",
                EntityStatus.FETCHED,
                250,
                3,
                900L,
                null,
                true,
                42),
            new EntityProgress(
                run.id(), "classes", "classes", EntityStatus.PENDING, 0, 0, null, null, false, 0));
  }

  /** Marks the run's entities as checked, as a run does once their issues are stored. */
  @Test
  void the_summary_counts_new_issues_per_severity_in_the_same_aggregate_as_the_open_ones() {
    IssueRepository issues = store.issues();
    RunRecord run1 = startCovering(List.of("teachers"));
    write(
        run1,
        issue("teachers", "rec1", "required-name", "Name"),
        withSeverity(issue("teachers", "rec2", "rule-dates", null), "warn"));
    issues.computeStates(run1.id(), base, complete("teachers"));
    markChecked(run1, "teachers");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);
    assertThat(issues.summary(run1.id()).newBySeverity()).isEqualTo(Map.of("fail", 1L, "warn", 1L));

    // Run 2: the fail issue persists, one warn persists and one warn is new.
    RunRecord run2 = startCovering(List.of("teachers"));
    write(
        run2,
        issue("teachers", "rec1", "required-name", "Name"),
        withSeverity(issue("teachers", "rec2", "rule-dates", null), "warn"),
        withSeverity(issue("teachers", "rec3", "rule-dates", null), "warn"));
    // Before the states are computed the counts come from the issues themselves: all new.
    assertThat(issues.summary(run2.id()).newBySeverity()).isEqualTo(Map.of("fail", 1L, "warn", 2L));
    issues.computeStates(run2.id(), base, complete("teachers"));
    markChecked(run2, "teachers");
    runs.finish(run2.id(), RunStatus.SUCCEEDED, null);

    IssueSummary summary = issues.summary(run2.id());
    assertThat(summary)
        .isEqualTo(new IssueSummary(3, Map.of("fail", 1L, "warn", 2L), 1, 0, Map.of("warn", 1L)));
    assertThat(summary.newOf("fail")).isZero();
    assertThat(summary.newOf("warn")).isEqualTo(1);
  }

  private static IssueRow withSeverity(IssueRow row, String severity) {
    return new IssueRow(
        row.runId(),
        row.entity(),
        row.recordId(),
        row.checkId(),
        row.field(),
        severity,
        row.message(),
        row.url(),
        row.state());
  }

  @Test
  void the_record_counts_of_an_entity_come_only_from_the_runs_that_checked_it_newest_first() {
    RunRecord first = startCovering(List.of("teachers", "classes"));
    checkedWithRecords(first, "teachers", 100);
    checkedWithRecords(first, "classes", 7);
    runs.finish(first.id(), RunStatus.SUCCEEDED, null);
    // Fetched 40 records, then its run ended before the check: no part of the history.
    RunRecord unchecked = startCovering(List.of("teachers"));
    runs.updateEntity(
        new EntityProgress(
            unchecked.id(), "teachers", "teachers", EntityStatus.FETCHED, 40, 1, 10L, null));
    runs.finish(unchecked.id(), RunStatus.TIMEOUT, "deadline");
    RunRecord second = startCovering(List.of("teachers"));
    checkedWithRecords(second, "teachers", 90);
    runs.finish(second.id(), RunStatus.ERROR, "classes: error");
    RunRecord current = startCovering(List.of("teachers"));
    String otherBase = base + "x";
    RunRecord elsewhere = runs.create(otherBase, Trigger.MANUAL, null, List.of("teachers"));
    runs.saveEntities(
        elsewhere.id(), List.of(EntityProgress.pending(elsewhere.id(), "teachers", "teachers")));
    checkedWithRecords(elsewhere, "teachers", 5);

    assertThat(runs.checkedCounts(base, "teachers", current.id(), 14))
        .extracting(EntityCount::runId, EntityCount::records)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(second.id(), 90L),
            org.assertj.core.groups.Tuple.tuple(first.id(), 100L));
    assertThat(runs.checkedCounts(base, "teachers", current.id(), 1))
        .extracting(EntityCount::records)
        .containsExactly(90L);
    // Up to a run: the later ones are not in its history.
    assertThat(runs.checkedCounts(base, "teachers", first.id(), 14))
        .extracting(EntityCount::records)
        .containsExactly(100L);
    assertThat(runs.checkedCounts(base, "classes", current.id(), 14))
        .extracting(EntityCount::records)
        .containsExactly(7L);
  }

  @Test
  void a_table_issue_stays_open_while_its_check_is_not_judged_and_resolves_once_it_passes() {
    IssueRepository issues = store.issues();
    List<String> checks = List.of("volume", "required-name");
    RunRecord found = startCovering(List.of("teachers"));
    write(
        found,
        issue("teachers", "", "volume", null),
        issue("teachers", "rec1", "required-name", "Name"));
    issues.computeStates(found.id(), base, List.of(EntityCoverage.complete("teachers", checks)));
    markChecked(found, "teachers");
    runs.finish(found.id(), RunStatus.SUCCEEDED, null);

    // Volume could not be judged (no history): its issue is carried, neither new nor resolved;
    // the record issue, judged and gone, is resolved.
    RunRecord unjudged = startCovering(List.of("teachers"));
    issues.computeStates(
        unjudged.id(),
        base,
        List.of(
            new EntityCoverage(
                "teachers",
                checks,
                List.of(new EntityCoverage.NotEvaluated.WholeCheck("volume")))));
    markChecked(unjudged, "teachers");
    runs.finish(unjudged.id(), RunStatus.SUCCEEDED, null);
    assertThat(states(unjudged)).containsExactlyInAnyOrder(":persisting", "rec1:resolved");

    RunRecord judged = startCovering(List.of("teachers"));
    issues.computeStates(judged.id(), base, List.of(EntityCoverage.complete("teachers", checks)));
    assertThat(states(judged)).containsExactly(":resolved");
  }

  private void checkedWithRecords(RunRecord run, String entity, long records) {
    runs.updateEntity(
        new EntityProgress(run.id(), entity, entity, EntityStatus.FETCHED, records, 1, 10L, null)
            .checkedWith(0));
  }

  private void markChecked(RunRecord run, String... entities) {
    for (EntityProgress e : runs.entities(run.id())) {
      if (List.of(entities).contains(e.name())) {
        runs.updateEntity(e.checkedWith(0));
      }
    }
  }

  @Test
  void first_seen_at_keeps_the_start_of_an_unbroken_series_and_a_comeback_starts_a_new_one() {
    IssueRepository issues = store.issues();
    // Run 1 finds rec1 and rec2.
    RunRecord run1 = startCovering(List.of("teachers"));
    Instant start1 = runs.find(run1.id()).orElseThrow().startedAt();
    write(
        run1,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(run1.id(), base, complete("teachers"));
    markChecked(run1, "teachers");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);
    assertThat(firstSeen(run1)).containsExactly("rec1:new:" + start1, "rec2:new:" + start1);

    // Run 2: both persist and keep run 1's start; rec1 then goes away in run 3.
    clock.advance(Duration.ofDays(3));
    RunRecord run2 = startCovering(List.of("teachers"));
    write(
        run2,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(run2.id(), base, complete("teachers"));
    markChecked(run2, "teachers");
    runs.finish(run2.id(), RunStatus.SUCCEEDED, null);
    assertThat(firstSeen(run2))
        .containsExactly("rec1:persisting:" + start1, "rec2:persisting:" + start1);

    clock.advance(Duration.ofDays(3));
    RunRecord run3 = startCovering(List.of("teachers"));
    write(run3, issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(run3.id(), base, complete("teachers"));
    markChecked(run3, "teachers");
    runs.finish(run3.id(), RunStatus.SUCCEEDED, null);
    assertThat(firstSeen(run3))
        .containsExactly("rec2:persisting:" + start1, "rec1:resolved:" + start1);

    // Run 4: rec1 is found again, so its series starts over at run 4's start.
    clock.advance(Duration.ofDays(3));
    RunRecord run4 = startCovering(List.of("teachers"));
    Instant start4 = runs.find(run4.id()).orElseThrow().startedAt();
    assertThat(start4).isAfter(start1);
    write(
        run4,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(run4.id(), base, complete("teachers"));
    issues.computeStates(run4.id(), base, complete("teachers")); // idempotent
    assertThat(firstSeen(run4)).containsExactly("rec1:new:" + start4, "rec2:persisting:" + start1);
  }

  @Test
  void an_issue_of_a_run_still_going_is_first_seen_at_the_run_start() {
    RunRecord run = startCovering(List.of("teachers"));
    write(run, issue("teachers", "rec1", "required-name", "Name"));
    assertThat(store.issues().list(run.id(), IssueFilter.ALL, 10, 0))
        .singleElement()
        .extracting(IssueRow::firstSeenAt)
        .isEqualTo(runs.find(run.id()).orElseThrow().startedAt());
  }

  @Test
  void slices_filter_by_entity_check_severity_and_state_and_the_summary_counts_per_check() {
    IssueRepository issues = store.issues();
    RunRecord run1 = startCovering(List.of("teachers", "classes"));
    write(
        run1,
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "required-name", "Name"));
    issues.computeStates(run1.id(), base, complete("teachers", "classes"));
    markChecked(run1, "teachers", "classes");
    runs.finish(run1.id(), RunStatus.SUCCEEDED, null);

    RunRecord run2 = startCovering(List.of("teachers", "classes"));
    IssueRow warn =
        new IssueRow(
            null, "teachers", "rec3", "rule-dates", null, "warn", "end before start", null, null);
    write(
        run2,
        issue("teachers", "rec2", "required-name", "Name"),
        warn,
        issue("classes", "recC", "link-teacher", "Teacher"),
        issue("classes", "recD", "link-teacher", "Teacher"));
    issues.computeStates(run2.id(), base, complete("teachers", "classes"));
    markChecked(run2, "teachers", "classes");
    runs.finish(run2.id(), RunStatus.SUCCEEDED, null);

    assertThat(issues.checkCounts(run2.id()))
        .containsExactly(
            new CheckCount("classes", "link-teacher", "fail", 2, 2, 0, 0),
            new CheckCount("teachers", "required-name", "fail", 1, 0, 1, 1),
            new CheckCount("teachers", "rule-dates", "warn", 1, 1, 0, 0));
    assertThat(records(run2, new IssueQuery("teachers", null, null, IssueFilter.OPEN)))
        .containsExactly("rec2", "rec3");
    assertThat(records(run2, new IssueQuery(null, "link-teacher", null, IssueFilter.OPEN)))
        .containsExactly("recC", "recD");
    assertThat(records(run2, new IssueQuery(null, null, "warn", IssueFilter.ALL)))
        .containsExactly("rec3");
    assertThat(records(run2, new IssueQuery(null, null, null, IssueFilter.PERSISTING)))
        .containsExactly("rec2");
    assertThat(records(run2, new IssueQuery("teachers", "required-name", "fail", IssueFilter.ALL)))
        .containsExactly("rec2", "rec1");
    assertThat(records(run2, new IssueQuery("classes", "required-name", null, IssueFilter.ALL)))
        .isEmpty();
    // Paging keeps the slice.
    assertThat(
            issues.list(run2.id(), new IssueQuery("classes", null, null, IssueFilter.OPEN), 1, 1))
        .extracting(IssueRow::recordId)
        .containsExactly("recD");
    List<String> streamed = new ArrayList<>();
    issues.forEach(
        run2.id(),
        new IssueQuery(null, null, "fail", IssueFilter.NEW),
        row -> streamed.add(row.recordId()));
    assertThat(streamed).containsExactly("recC", "recD");
    // An entity set (an owner's entities): within it, on top of the other criteria; empty: none.
    IssueQuery open = IssueQuery.of(IssueFilter.OPEN);
    assertThat(records(run2, open.withEntities(java.util.Set.of("classes", "rooms"))))
        .containsExactly("recC", "recD");
    assertThat(records(run2, open.withEntities(java.util.Set.of("teachers", "classes"))))
        .containsExactly("rec2", "rec3", "recC", "recD");
    assertThat(
            records(
                run2,
                new IssueQuery("teachers", null, "warn", IssueFilter.OPEN)
                    .withEntities(java.util.Set.of("teachers", "classes"))))
        .containsExactly("rec3");
    assertThat(records(run2, open.withEntities(java.util.Set.of()))).isEmpty();
    assertThat(issues.count(run2.id(), open.withEntities(java.util.Set.of("classes"))))
        .isEqualTo(2);

    // The history of each check over the base's runs, oldest first.
    assertThat(issues.history(run2.id(), 30))
        .containsExactly(
            new CheckHistory("classes", "link-teacher", List.of(0L, 2L)),
            new CheckHistory("teachers", "required-name", List.of(2L, 1L)),
            new CheckHistory("teachers", "rule-dates", List.of(0L, 1L)));
    assertThat(issues.history(run2.id(), 1))
        .extracting(CheckHistory::counts)
        .containsExactly(List.of(2L), List.of(1L), List.of(1L));
    assertThat(issues.history(run1.id(), 30))
        .containsExactly(new CheckHistory("teachers", "required-name", List.of(2L)));
  }

  private List<String> records(RunRecord run, IssueQuery query) {
    return store.issues().list(run.id(), query, 100, 0).stream().map(IssueRow::recordId).toList();
  }

  private List<String> firstSeen(RunRecord run) {
    List<String> out = new ArrayList<>();
    store
        .issues()
        .forEach(
            run.id(),
            IssueFilter.ALL,
            row -> out.add(row.recordId() + ":" + row.state() + ":" + row.firstSeenAt()));
    return out;
  }

  /** The checks the tests' issues name: every one configured for every entity. */
  static final List<String> CHECKS =
      List.of("required-name", "unique-email", "link-teacher", "rule-dates");

  /** Each entity checked with every check of {@link #CHECKS}, all of them run whole. */
  private static List<EntityCoverage> complete(String... entities) {
    return java.util.Arrays.stream(entities).map(e -> EntityCoverage.complete(e, CHECKS)).toList();
  }

  private RunRecord startCovering(List<String> entities) {
    clock.advance(Duration.ofSeconds(1));
    RunRecord run = runs.create(base, Trigger.MANUAL, null, entities);
    runs.claim(run.id(), "host-1");
    runs.saveEntities(
        run.id(), entities.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    return run;
  }

  private void write(RunRecord run, IssueRow... rows) {
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (IssueRow row : rows) {
        writer.add(row);
      }
    }
  }

  private List<String> states(RunRecord run) {
    List<String> states = new ArrayList<>();
    store
        .issues()
        .forEach(run.id(), IssueFilter.ALL, row -> states.add(row.recordId() + ":" + row.state()));
    return states;
  }

  // ---------------------------------------------------------------- acknowledgements

  /** One run of teachers with the given issues, states computed, checked and succeeded. */
  private RunRecord checkedRun(IssueRow... rows) {
    RunRecord run = startCovering(List.of("teachers"));
    write(run, rows);
    store.issues().computeStates(run.id(), base, complete("teachers"));
    markChecked(run, "teachers");
    runs.finish(run.id(), RunStatus.SUCCEEDED, null);
    return run;
  }

  private AckRepository.NewAck ackOf(String check, String record, Instant until) {
    return new AckRepository.NewAck(
        base, "teachers", check, record, null, "known: " + check, "ana", until);
  }

  @Test
  void an_acknowledged_check_keeps_its_issues_listed_but_counts_them_apart_and_quiet() {
    Ack ack = store.acks().create(ackOf("unique-email", null, null));
    RunRecord run =
        checkedRun(
            issue("teachers", "rec1", "required-name", "Name"),
            issue("teachers", "rec2", "unique-email", "Email"),
            issue("teachers", "rec3", "unique-email", "Email"));

    IssueSummary summary = store.issues().summary(run.id());
    assertThat(summary.total()).isEqualTo(3);
    assertThat(summary.acknowledged()).isEqualTo(2);
    assertThat(summary.unacknowledgedOf("fail")).isEqualTo(1);
    assertThat(summary.alertingOf("fail")).isEqualTo(1);
    assertThat(store.issues().list(run.id(), IssueQuery.of(IssueFilter.ALL), 10, 0))
        .extracting(IssueRow::recordId, r -> r.ack() == null ? null : r.ack().id())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("rec1", null),
            org.assertj.core.groups.Tuple.tuple("rec2", ack.id()),
            org.assertj.core.groups.Tuple.tuple("rec3", ack.id()));
    assertThat(store.issues().list(run.id(), IssueQuery.of(IssueFilter.ALL), 10, 0).get(1).ack())
        .isEqualTo(new Ack.AckRef(ack.id(), "known: unique-email", "ana", null));
    assertThat(records(run, IssueQuery.of(IssueFilter.ALL).withAck(AckFilter.YES)))
        .containsExactly("rec2", "rec3");
    assertThat(records(run, IssueQuery.of(IssueFilter.ALL).withAck(AckFilter.NO)))
        .containsExactly("rec1");
    assertThat(records(run, IssueQuery.alerting("teachers", "fail"))).containsExactly("rec1");
    assertThat(store.acks().covering()).containsEntry(ack.id(), 2L);
  }

  @Test
  void an_acknowledgement_made_or_revoked_after_a_run_changes_that_run_at_once() {
    RunRecord run =
        checkedRun(
            issue("teachers", "rec1", "required-name", "Name"),
            issue("teachers", "rec2", "required-name", "Name"));
    assertThat(store.issues().summary(run.id()).acknowledged()).isZero();

    clock.advance(Duration.ofMinutes(1));
    Ack ack = store.acks().create(ackOf("required-name", "rec2", null));
    assertThat(records(run, IssueQuery.of(IssueFilter.OPEN).withAck(AckFilter.YES)))
        .containsExactly("rec2");
    assertThat(store.issues().summary(run.id()).acknowledged()).isEqualTo(1);
    assertThat(store.issues().checkCounts(run.id())).hasSize(1);

    assertThat(store.acks().revoke(ack.id()))
        .get()
        .satisfies(
            a -> {
              assertThat(a.status(clock.instant())).isEqualTo(Ack.Status.REVOKED);
              assertThat(a.endedAt()).isEqualTo(clock.instant());
            });
    assertThat(store.issues().summary(run.id()).acknowledged()).isZero();
    assertThat(store.acks().list(false)).extracting(Ack::id).doesNotContain(ack.id());
    assertThat(store.acks().list(true)).extracting(Ack::id).contains(ack.id());
    assertThat(store.acks().revoke("ack_unknown")).isEmpty();
  }

  @Test
  void when_its_end_date_passes_an_issue_is_open_again_and_alerts_as_if_new() {
    Ack ack =
        store
            .acks()
            .create(ackOf("required-name", "rec1", clock.instant().plus(Duration.ofDays(2))));
    RunRecord first = checkedRun(issue("teachers", "rec1", "required-name", "Name"));
    assertThat(store.issues().summary(first.id()).alertingOf("fail")).isZero();

    clock.advance(Duration.ofDays(1));
    RunRecord second = checkedRun(issue("teachers", "rec1", "required-name", "Name"));
    assertThat(store.issues().summary(second.id()).acknowledged()).isEqualTo(1);
    assertThat(store.issues().summary(second.id()).alertingOf("fail")).isZero();

    clock.advance(Duration.ofDays(2));
    assertThat(store.acks().find(ack.id()).orElseThrow().status(clock.instant()))
        .isEqualTo(Ack.Status.EXPIRED);
    RunRecord third = checkedRun(issue("teachers", "rec1", "required-name", "Name"));
    IssueSummary summary = store.issues().summary(third.id());
    assertThat(summary.acknowledged()).isZero();
    assertThat(summary.newCount()).isZero();
    assertThat(summary.alertingOf("fail")).isEqualTo(1);
    assertThat(records(third, IssueQuery.alerting(null, "fail"))).containsExactly("rec1");

    // The run after that: it persists unacknowledged, and alerts no more.
    clock.advance(Duration.ofDays(1));
    RunRecord fourth = checkedRun(issue("teachers", "rec1", "required-name", "Name"));
    assertThat(store.issues().summary(fourth.id()).alertingOf("fail")).isZero();
  }

  @Test
  void an_acknowledgement_ends_when_what_it_covers_resolves() {
    Ack one = store.acks().create(ackOf("required-name", "rec1", null));
    Ack all = store.acks().create(ackOf("unique-email", null, null));
    checkedRun(
        issue("teachers", "rec1", "required-name", "Name"),
        issue("teachers", "rec2", "unique-email", "Email"),
        issue("teachers", "rec3", "unique-email", "Email"));

    // rec1 and rec2 resolve; rec3 keeps the check-wide acknowledgement alive.
    clock.advance(Duration.ofDays(1));
    checkedRun(issue("teachers", "rec3", "unique-email", "Email"));
    assertThat(store.acks().find(one.id()).orElseThrow().endReason()).isEqualTo(Ack.RESOLVED);
    assertThat(store.acks().find(all.id()).orElseThrow().endedAt()).isNull();

    clock.advance(Duration.ofDays(1));
    RunRecord clean = checkedRun();
    assertThat(store.acks().find(all.id()).orElseThrow().status(clock.instant()))
        .isEqualTo(Ack.Status.RESOLVED);

    // Back after resolving: new, and nothing covers it.
    clock.advance(Duration.ofDays(1));
    RunRecord back = checkedRun(issue("teachers", "rec1", "required-name", "Name"));
    assertThat(store.issues().summary(back.id()).acknowledged()).isZero();
    assertThat(store.issues().summary(back.id()).alertingOf("fail")).isEqualTo(1);
    assertThat(store.issues().summary(clean.id()).total()).isZero();
  }

  @Test
  void acknowledging_a_slice_record_by_record_stores_all_or_none() {
    RunRecord run =
        checkedRun(
            issue("teachers", "rec1", "required-name", "Name"),
            issue("teachers", "rec2", "required-name", "Name"),
            issue("teachers", "rec3", "unique-email", "Email"));
    assertThatThrownBy(
            () ->
                store
                    .acks()
                    .createAll(
                        List.of(
                            ackOf("required-name", "rec1", null),
                            new AckRepository.NewAck(
                                base, "teachers", "required-name", "rec2", null, "", null, null))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.acks().list(true)).extracting(Ack::baseId).doesNotContain(base);

    List<Ack> made =
        store
            .acks()
            .createAll(
                List.of(
                    ackOf("required-name", "rec1", null), ackOf("required-name", "rec2", null)));
    assertThat(made).extracting(Ack::recordId).containsExactly("rec1", "rec2");
    assertThat(records(run, IssueQuery.of(IssueFilter.OPEN).withAck(AckFilter.YES)))
        .containsExactly("rec1", "rec2");
    assertThat(store.issues().summary(run.id()).acknowledgedBySeverity())
        .isEqualTo(Map.of("fail", 2L));
  }

  @Test
  void an_acknowledgement_needs_a_reason_and_an_end_date_in_the_future() {
    assertThatThrownBy(
            () ->
                store
                    .acks()
                    .create(
                        new AckRepository.NewAck(
                            base, "teachers", "required-name", null, null, " ", null, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reason");
    assertThatThrownBy(
            () ->
                store.acks().create(ackOf("required-name", null, clock.instant().minusSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in the future");
  }

  // ---------------------------------------------------------------- schedules

  @Test
  void a_run_finishes_unless_a_cancel_was_requested_first() {
    RunRecord clean = runningRun("host-1");
    assertThat(runs.finishUnlessCancelRequested(clean.id(), RunStatus.SUCCEEDED, null).applied())
        .isTrue();
    assertThat(runs.find(clean.id()).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(runs.requestCancel(clean.id())).isEqualTo(CancelOutcome.ALREADY_ENDED);

    RunRecord asked = runningRun("host-1");
    assertThat(runs.requestCancel(asked.id())).isEqualTo(CancelOutcome.REQUESTED);
    Transition lost = runs.finishUnlessCancelRequested(asked.id(), RunStatus.SUCCEEDED, null);
    assertThat(lost).isEqualTo(new Transition.Lost(RunStatus.RUNNING));
    assertThat(runs.finish(asked.id(), RunStatus.CANCELLED, "cancelled by request").applied())
        .isTrue();
  }

  @Test
  void a_schedule_is_inserted_only_when_its_name_is_free() {
    ScheduleRepository schedules = store.schedules();
    String name = base + "-once";
    ScheduleRow first =
        new ScheduleRow(name, base, "0 2 * * *", "UTC", List.of(), true, "api", null, null);
    ScheduleRow second =
        new ScheduleRow(name, base, "0 5 * * *", "UTC", List.of(), true, "api", null, null);

    assertThat(schedules.insertIfAbsent(first))
        .get()
        .extracting(ScheduleRow::cron)
        .isEqualTo("0 2 * * *");
    assertThat(schedules.insertIfAbsent(second)).isEmpty();
    assertThat(schedules.find(name)).get().extracting(ScheduleRow::cron).isEqualTo("0 2 * * *");
    schedules.delete(name);
  }

  @Test
  void a_schedule_keeps_its_run_mode_and_an_upsert_replaces_it() {
    ScheduleRepository schedules = store.schedules();
    String name = base + "-moded";
    ScheduleRow incremental =
        new ScheduleRow(
            name,
            base,
            "0 2 * * *",
            "UTC",
            List.of(),
            true,
            "api",
            null,
            null,
            RunMode.INCREMENTAL);
    assertThat(schedules.insertIfAbsent(incremental))
        .get()
        .extracting(ScheduleRow::mode)
        .isEqualTo(RunMode.INCREMENTAL);
    assertThat(schedules.find(name))
        .get()
        .extracting(ScheduleRow::mode)
        .isEqualTo(RunMode.INCREMENTAL);

    schedules.upsert(
        new ScheduleRow(
            name, base, "0 2 * * *", "UTC", List.of(), true, "api", null, null, RunMode.FULL));
    assertThat(schedules.find(name)).get().extracting(ScheduleRow::mode).isEqualTo(RunMode.FULL);
    schedules.delete(name);
  }

  @Test
  void schedules_are_upserted_by_name_keeping_their_creation_time() {
    ScheduleRepository schedules = store.schedules();
    String name = base + "-nightly";
    ScheduleRow saved =
        schedules.upsert(
            new ScheduleRow(
                name,
                base,
                "0 2 * * *",
                "America/New_York",
                List.of("teachers"),
                true,
                "config",
                null,
                null));
    assertThat(saved.createdAt()).isEqualTo(T0);
    assertThat(saved.updatedAt()).isEqualTo(T0);
    assertThat(saved.entities()).containsExactly("teachers");
    assertThat(saved.enabled()).isTrue();

    clock.advance(Duration.ofMinutes(5));
    ScheduleRow changed =
        schedules.upsert(
            new ScheduleRow(name, base, "0 3 * * *", "UTC", List.of(), false, "api", null, null));
    assertThat(changed)
        .isEqualTo(
            new ScheduleRow(
                name,
                base,
                "0 3 * * *",
                "UTC",
                List.of(),
                false,
                "api",
                T0,
                T0.plus(Duration.ofMinutes(5))));
    assertThat(schedules.find(name)).contains(changed);
    assertThat(schedules.list()).contains(changed);
    assertThat(schedules.delete(name)).isTrue();
    assertThat(schedules.delete(name)).isFalse();
    assertThat(schedules.find(name)).isEmpty();
  }

  @Test
  void fires_are_recorded_newest_first_and_skips_count_since_the_last_start() {
    ScheduleRepository schedules = store.schedules();
    String name = base + "-hourly";
    assertThat(schedules.consecutiveSkips(name)).isZero();
    schedules.recordFire(new FireRow(name, base, T0, FireRow.STARTED, "run_1", null));
    schedules.recordFire(
        new FireRow(name, base, T0.plusSeconds(60), FireRow.SKIPPED, null, "run_1 active"));
    schedules.recordFire(new FireRow(name, base, null, FireRow.SKIPPED, null, "run_1 active"));
    schedules.recordFire(new FireRow(base + "-other", base, null, FireRow.SKIPPED, null, "busy"));
    assertThat(schedules.consecutiveSkips(name)).isEqualTo(2);
    assertThat(schedules.fires(name, 2))
        .containsExactly(
            new FireRow(name, base, T0, FireRow.SKIPPED, null, "run_1 active"),
            new FireRow(name, base, T0.plusSeconds(60), FireRow.SKIPPED, null, "run_1 active"));
    schedules.recordFire(new FireRow(name, base, null, FireRow.STARTED, "run_2", null));
    assertThat(schedules.consecutiveSkips(name)).isZero();
    schedules.recordFire(new FireRow(name, base, null, FireRow.SKIPPED, null, "run_2 active"));
    assertThat(schedules.consecutiveSkips(name)).isEqualTo(1);
    assertThat(schedules.fires(name, 10)).hasSize(5);
  }

  // ---------------------------------------------------------------- alerts

  @Test
  void alerts_are_deduplicated_per_key_until_resolved() {
    AlertRepository alerts = store.alerts();
    String key = "run-timeout:" + base;
    Optional<AlertRow> opened =
        alerts.openIfAbsent(key, "run-timeout", base, "run_1", null, "run_1 timed out");
    assertThat(opened)
        .hasValueSatisfying(
            row -> {
              assertThat(row.key()).isEqualTo(key);
              assertThat(row.state()).isEqualTo(AlertRow.OPEN);
              assertThat(row.openedAt()).isEqualTo(T0);
              assertThat(row.resolvedAt()).isNull();
            });
    assertThat(alerts.openIfAbsent(key, "run-timeout", base, "run_1", null, "again")).isEmpty();
    assertThat(alerts.open()).extracting(AlertRow::key).containsOnlyOnce(key);

    clock.advance(Duration.ofMinutes(1));
    assertThat(alerts.resolve(key))
        .hasValueSatisfying(
            row -> {
              assertThat(row.id()).isEqualTo(opened.get().id());
              assertThat(row.state()).isEqualTo(AlertRow.RESOLVED);
              assertThat(row.resolvedAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
            });
    assertThat(alerts.resolve(key)).isEmpty();
    assertThat(alerts.open()).extracting(AlertRow::key).doesNotContain(key);

    Optional<AlertRow> reopened =
        alerts.openIfAbsent(key, "run-timeout", base, "run_1", null, "timed out again");
    assertThat(reopened).isPresent();
    assertThat(reopened.get().id()).isNotEqualTo(opened.get().id());
    assertThat(alerts.list(100))
        .filteredOn(row -> row.key().equals(key))
        .extracting(AlertRow::state)
        .containsExactly(AlertRow.OPEN, AlertRow.RESOLVED);
  }

  @Test
  void concurrent_opens_of_one_alert_from_two_stores_open_it_once() throws Exception {
    try (Store second = openSecondStore()) {
      String key = "schedule-skipped:" + base;
      List<Callable<Optional<AlertRow>>> openers = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        AlertRepository alerts = i % 2 == 0 ? store.alerts() : second.alerts();
        openers.add(() -> alerts.openIfAbsent(key, "schedule-skipped", base, null, "n", "3 skips"));
      }
      assertThat(Race.run(openers)).filteredOn(Optional::isPresent).hasSize(1);
    }
  }

  @Test
  void alert_deliveries_are_recorded_per_attempt() {
    AlertRepository alerts = store.alerts();
    AlertRow alert =
        alerts.openIfAbsent("long-run:" + base, "long-run", base, null, null, "slow").orElseThrow();
    alerts.recordDelivery(alert.id(), "slack", false, "HTTP 500");
    clock.advance(Duration.ofSeconds(2));
    alerts.recordDelivery(alert.id(), "slack", true, null);
    assertThat(alerts.deliveries(alert.id()))
        .containsExactly(
            new AlertDelivery(alert.id(), "slack", false, "HTTP 500", T0),
            new AlertDelivery(alert.id(), "slack", true, null, T0.plusSeconds(2)));
  }

  // ---------------------------------------------------------------- API calls (issue 19)

  /** A run of {@code base} created at {@code at} that sent {@code calls} requests and succeeded. */
  private RunRecord countedRun(String schedule, Instant at, long calls) {
    clock.set(at);
    RunRecord run = runs.create(base, Trigger.SCHEDULE, schedule, List.of("teachers"));
    runs.claim(run.id(), "owner-1");
    runs.recordApiCalls(run.id(), calls, 1_000L);
    runs.finish(run.id(), RunStatus.SUCCEEDED, null);
    return run;
  }

  @Test
  void a_new_run_has_sent_no_call_and_its_calls_and_budget_are_saved_but_never_lowered() {
    RunRecord created = runs.create(base, Trigger.MANUAL, null, List.of("teachers"));
    assertThat(created.apiCalls()).isZero();
    assertThat(created.callBudget()).isNull();

    runs.recordApiCalls(created.id(), 12, 1_000L);
    runs.recordApiCalls(created.id(), 7, 1_000L); // a late heartbeat's count

    RunRecord saved = runs.find(created.id()).orElseThrow();
    assertThat(saved.apiCalls()).isEqualTo(12);
    assertThat(saved.callBudget()).isEqualTo(1_000L);
  }

  @Test
  void the_calls_this_month_sum_the_base_s_runs_since_the_first_of_the_month_utc() {
    countedRun("nightly", Instant.parse("2025-01-31T23:59:59Z"), 500);
    countedRun("nightly", Instant.parse("2025-02-01T00:00:00Z"), 40);
    countedRun(null, Instant.parse("2025-02-14T12:00:00Z"), 2);
    String other = base;
    base = other + "X";
    countedRun("nightly", Instant.parse("2025-02-02T00:00:00Z"), 1_000);
    base = other;

    Instant february = Instant.parse("2025-02-01T00:00:00Z");
    assertThat(runs.apiCallsSince(base, february)).isEqualTo(42);
    assertThat(runs.apiCallsSince(base, Instant.parse("2025-01-01T00:00:00Z"))).isEqualTo(542);
    assertThat(runs.apiCallsSince(base, Instant.parse("2025-03-01T00:00:00Z"))).isZero();
  }

  @Test
  void the_last_counted_run_is_the_newest_succeeded_one_of_the_schedule_or_of_the_base() {
    countedRun("nightly", T0.plusSeconds(10), 300);
    RunRecord manual = countedRun(null, T0.plusSeconds(20), 9);
    clock.set(T0.plusSeconds(30));
    RunRecord failed = runs.create(base, Trigger.SCHEDULE, "nightly", List.of("teachers"));
    runs.claim(failed.id(), "owner-1");
    runs.recordApiCalls(failed.id(), 5, null);
    runs.finish(failed.id(), RunStatus.ERROR, "boom");

    assertThat(runs.lastCounted(base, "nightly").orElseThrow().apiCalls()).isEqualTo(300);
    assertThat(runs.lastCounted(base, null).orElseThrow().id()).isEqualTo(manual.id());
    assertThat(runs.lastCounted(base, "hourly")).isEmpty();
    assertThat(runs.lastCounted(base + "Y", null)).isEmpty();
  }
}
