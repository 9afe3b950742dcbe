package dev.integrity.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrity.config.ScheduleConfig;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.model.Trigger;
import dev.integrity.store.FireRow;
import dev.integrity.store.RunQuery;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schedules on SQLite with a settable clock: db-scheduler polls when the clock says so. */
class ScheduleServiceTest {
  private static final Instant T0 = Instant.parse("2025-03-03T12:00:30Z");
  private static final String BASE = "appSchedules0001";
  private static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private final List<ScheduleService> services = new ArrayList<>();
  private Store store;
  private RecordingHandler handler;

  @BeforeEach
  void open() {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("integrity.db")), clock);
    handler = new RecordingHandler(store, clock);
  }

  @AfterEach
  void close() {
    services.forEach(ScheduleService::close);
    store.close();
  }

  /**
   * db-scheduler waits for its polling interval on the settable clock; a poll that started before
   * the clock moved would otherwise wait until the clock moves again.
   */
  private void wake() {
    services.forEach(ScheduleService::checkNow);
  }

  private ScheduleService service(String instance) {
    ScheduleSettings settings =
        new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(5), 1, instance, false);
    ScheduleService service = new ScheduleService(store, clock, settings, handler);
    services.add(service);
    return service;
  }

  private static ScheduleRow row(String name, String cron, String timezone) {
    return new ScheduleRow(name, BASE, cron, timezone, List.of("teachers"), true, null, null, null);
  }

  private static Instant at(String time) {
    return Instant.parse("2025-03-03T" + time + "Z");
  }

  private ScheduleView view(ScheduleService service, String name) {
    return service.find(name).orElseThrow();
  }

  @Test
  void
      a_fire_picked_by_an_instance_that_fell_silent_is_taken_up_after_the_stale_bound_at_its_next_time()
          throws Exception {
    // Instance "dead" picks the 12:01 fire and never finishes it; its clock stays at that fire, so
    // its heartbeat stamps stay there too, as a killed process's would.
    java.util.concurrent.CountDownLatch hang = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch picked = new java.util.concurrent.CountDownLatch(1);
    MutableClock deadClock = new MutableClock(T0);
    ScheduleService dead =
        new ScheduleService(
            store,
            deadClock,
            new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(1), 1, "dead", false)
                .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3)),
            (schedule, base, entities, mode) -> {
              picked.countDown();
              try {
                hang.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new FireOutcome.Skipped("never reached", null);
            });
    try {
      dead.put(row("every-minute", "* * * * *", "UTC"));
      dead.start();
      deadClock.set(at("12:01:00"));
      dead.checkNow();
      assertThat(picked.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

      // A live instance, at 12:01:10, finds the pick silent for more than 3 s (not db-scheduler's
      // own default of 30 minutes) and gives the schedule its next time, 12:02, not a burst now.
      clock.set(at("12:01:10"));
      ScheduleService live =
          new ScheduleService(
              store,
              clock,
              new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(5), 1, "live", false)
                  .withHeartbeat(Duration.ofSeconds(1), Duration.ofSeconds(3)),
              handler);
      services.add(live);
      live.start();
      await()
          .atMost(WAIT)
          .until(() -> at("12:02:00").equals(view(live, "every-minute").nextFireAt()));
      assertThat(handler.fires()).isEmpty();

      clock.set(at("12:02:00"));
      live.checkNow();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(handler.fires())
                      .singleElement()
                      .satisfies(f -> assertThat(f.at()).isEqualTo(at("12:02:00"))));
    } finally {
      hang.countDown();
      dead.close();
    }
  }

  @Test
  void fire_times_that_pass_while_a_fire_holds_its_run_are_recorded_as_skipped_with_why() {
    java.util.concurrent.CompletableFuture<Void> runEnded =
        new java.util.concurrent.CompletableFuture<>();
    List<String> passed = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicReference<String> runId =
        new java.util.concurrent.atomic.AtomicReference<>();
    FireHandler holding =
        new FireHandler() {
          @Override
          public FireOutcome fire(
              String schedule, String baseId, List<String> entities, RunMode mode) {
            RunRecord run = store.runs().create(baseId, Trigger.SCHEDULE, schedule, entities);
            runId.set(run.id());
            return new FireOutcome.Started(run.id(), runEnded);
          }

          @Override
          public void passed(String schedule, String baseId, Instant at, String reason) {
            passed.add(at + " " + reason);
          }
        };
    ScheduleService service =
        new ScheduleService(
            store,
            clock,
            new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(5), 1, "a", false),
            holding);
    services.add(service);
    service.put(row("every-minute", "* * * * *", "UTC"));
    service.start();
    clock.set(at("12:01:00"));
    service.checkNow();
    await()
        .atMost(WAIT)
        .until(
            () ->
                runId.get() != null
                    && runId.get().equals(view(service, "every-minute").lastRunId()));
    String held = runId.get();

    // The run goes on past two more fire times; then it ends.
    clock.set(at("12:03:30"));
    runEnded.complete(null);

    await().atMost(WAIT).until(() -> passed.size() == 2);
    assertThat(passed)
        .containsExactly(
            at("12:02:00")
                + " run "
                + held
                + " (the fire due at "
                + at("12:01:00")
                + ") was still going",
            at("12:03:00")
                + " run "
                + held
                + " (the fire due at "
                + at("12:01:00")
                + ") was still going");
    await()
        .atMost(WAIT)
        .until(() -> at("12:04:00").equals(view(service, "every-minute").nextFireAt()));
    ScheduleView view = view(service, "every-minute");
    assertThat(view.consecutiveSkips()).isEqualTo(2);
    assertThat(view.lastFire().reason()).contains(held).contains("was still going");
  }

  @Test
  void the_stale_bound_becomes_missed_heartbeats_with_db_schedulers_floor_of_four() {
    ScheduleSettings s = ScheduleSettings.defaults("x");
    assertThat(s.missedHeartbeats()).isEqualTo(8);
    ScheduleSettings contract = s.withHeartbeat(Duration.ofSeconds(15), Duration.ofSeconds(120));
    assertThat(contract.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(contract.missedHeartbeats()).isEqualTo(8);
    // Fewer than four stamps would fit: stamp more often so that the bound stays 25 s.
    ScheduleSettings tight = s.withHeartbeat(Duration.ofSeconds(10), Duration.ofSeconds(25));
    assertThat(tight.missedHeartbeats()).isEqualTo(4);
    assertThat(tight.heartbeatInterval()).isEqualTo(Duration.ofMillis(6250));
  }

  @Test
  void fires_on_the_cron_grid_and_skips_while_the_base_has_an_active_run() {
    ScheduleService service = service("a");
    service.put(row("every-minute", "* * * * *", "UTC"));
    service.start();
    assertThat(view(service, "every-minute").nextFireAt()).isEqualTo(at("12:01:00"));

    clock.set(at("12:01:00"));
    wake();
    await().atMost(WAIT).until(() -> view(service, "every-minute").lastRunId() != null);
    ScheduleView afterFirst = view(service, "every-minute");
    RunRecord first = store.runs().find(afterFirst.lastRunId()).orElseThrow();
    assertThat(first.trigger()).isEqualTo(Trigger.SCHEDULE);
    assertThat(first.schedule()).isEqualTo("every-minute");
    assertThat(first.entities()).containsExactly("teachers");
    assertThat(afterFirst.lastRunStatus()).isEqualTo("queued");
    assertThat(afterFirst.consecutiveSkips()).isZero();
    await()
        .atMost(WAIT)
        .until(() -> at("12:02:00").equals(view(service, "every-minute").nextFireAt()));

    // The first run is still active: the next fire is skipped and recorded, not queued up.
    clock.set(at("12:02:00"));
    wake();
    await().atMost(WAIT).until(() -> view(service, "every-minute").consecutiveSkips() == 1);
    ScheduleView skipped = view(service, "every-minute");
    assertThat(skipped.lastFire().outcome()).isEqualTo(FireRow.SKIPPED);
    assertThat(skipped.lastFire().reason())
        .isEqualTo("base " + BASE + " already has an active run (" + first.id() + ")");
    assertThat(skipped.lastFire().at()).isEqualTo(at("12:02:00"));
    assertThat(skipped.lastRunId()).isEqualTo(first.id());
    assertThat(store.runs().list(RunQuery.latest(10))).hasSize(1);
    await()
        .atMost(WAIT)
        .until(() -> at("12:03:00").equals(view(service, "every-minute").nextFireAt()));

    store.runs().finish(first.id(), RunStatus.SUCCEEDED, null);
    clock.set(at("12:03:00"));
    wake();
    await().atMost(WAIT).until(() -> !first.id().equals(view(service, "every-minute").lastRunId()));
    ScheduleView third = view(service, "every-minute");
    assertThat(third.consecutiveSkips()).isZero();
    assertThat(third.lastFire().outcome()).isEqualTo(FireRow.STARTED);
    assertThat(third.lastRunStatus()).isEqualTo("queued");
    assertThat(handler.fires())
        .extracting(RecordingHandler.Fire::at)
        .containsExactly(at("12:01:00"), at("12:02:00"), at("12:03:00"));
  }

  @Test
  void missed_fires_during_downtime_lead_to_one_catch_up_run_then_the_grid_again() {
    ScheduleService before = service("before");
    before.put(row("every-minute", "* * * * *", "UTC"));
    before.start();
    assertThat(view(before, "every-minute").nextFireAt()).isEqualTo(at("12:01:00"));
    before.close();

    // Down from 12:00:30 to 12:10:30: nine fires missed.
    clock.set(at("12:10:30"));
    wake();
    ScheduleService after = service("after");
    after.start();

    await().atMost(WAIT).until(() -> handler.fires().size() == 1);
    await()
        .atMost(WAIT)
        .until(() -> at("12:11:00").equals(view(after, "every-minute").nextFireAt()));
    // Back on the grid with the next fire in the future, so nothing else is due: one catch-up run.
    assertThat(handler.fires()).hasSize(1);
    assertThat(store.runs().list(RunQuery.latest(10))).hasSize(1);
    assertThat(view(after, "every-minute").lastFire().at()).isEqualTo(at("12:10:30"));

    store.runs().finish(view(after, "every-minute").lastRunId(), RunStatus.SUCCEEDED, null);
    clock.set(at("12:11:00"));
    wake();
    await().atMost(WAIT).until(() -> handler.fires().size() == 2);
    assertThat(handler.fires().get(1).at()).isEqualTo(at("12:11:00"));
  }

  @Test
  void restart_keeps_the_pending_fire_time_of_an_unchanged_schedule() {
    ScheduleService first = service("first");
    first.put(row("hourly", "0 * * * *", "UTC"));
    first.start();
    first.close();
    clock.set(at("12:40:00"));
    wake();

    ScheduleService second = service("second");
    second.put(row("hourly", "0 * * * *", "UTC"));
    second.start();

    assertThat(view(second, "hourly").nextFireAt()).isEqualTo(at("13:00:00"));
  }

  @Test
  void cron_changes_reschedule_and_the_time_zone_is_honoured() {
    ScheduleService service = service("a");
    service.put(row("report", "0 * * * *", "UTC"));
    assertThat(view(service, "report").nextFireAt()).isEqualTo(at("13:00:00"));

    service.put(row("report", "*/5 * * * *", "UTC"));
    assertThat(view(service, "report").nextFireAt()).isEqualTo(at("12:05:00"));

    // 02:00 in New York on 4 March 2025 (EST, UTC-5) is 07:00 UTC.
    service.put(row("report", "0 2 * * *", "America/New_York"));
    assertThat(view(service, "report").nextFireAt())
        .isEqualTo(Instant.parse("2025-03-04T07:00:00Z"));
    // The view shows no source; the stored row keeps it.
    assertThat(store.schedules().find("report").orElseThrow().source()).isEqualTo("api");
  }

  @Test
  void a_six_field_cron_is_taken_as_seconds_first() {
    ScheduleService service = service("a");
    service.put(row("fast", "*/10 * * * * *", "UTC"));

    assertThat(view(service, "fast").nextFireAt()).isEqualTo(at("12:00:40"));
  }

  @Test
  void disabled_and_deleted_schedules_have_no_pending_fire() {
    ScheduleService service = service("a");
    ScheduleRow enabled = row("nightly", "0 2 * * *", "UTC");
    service.put(enabled);
    assertThat(view(service, "nightly").nextFireAt()).isNotNull();

    ScheduleRow disabled =
        new ScheduleRow("nightly", BASE, "0 2 * * *", "UTC", List.of(), false, null, null, null);
    assertThat(service.put(disabled).enabled()).isFalse();
    assertThat(view(service, "nightly").nextFireAt()).isNull();

    service.put(enabled);
    assertThat(view(service, "nightly").nextFireAt())
        .isEqualTo(Instant.parse("2025-03-04T02:00:00Z"));

    assertThat(service.delete("nightly")).isTrue();
    assertThat(service.find("nightly")).isEmpty();
    assertThat(service.list()).isEmpty();
    assertThat(service.delete("nightly")).isFalse();
  }

  @Test
  void invalid_definitions_are_refused_naming_the_field() {
    ScheduleService service = service("a");

    assertThatThrownBy(() -> service.put(row("bad", "61 * * * *", "UTC")))
        .isInstanceOfSatisfying(
            ScheduleException.class, e -> assertThat(e.field()).isEqualTo("cron"))
        .hasMessageContaining("schedule 'bad'")
        .hasMessageContaining("61 * * * *");
    assertThatThrownBy(() -> service.put(row("bad", "* * * *", "UTC")))
        .isInstanceOfSatisfying(
            ScheduleException.class, e -> assertThat(e.field()).isEqualTo("cron"))
        .hasMessageContaining("must have 5 fields")
        .hasMessageContaining("got 4");
    assertThatThrownBy(() -> service.put(row("bad", "0 2 * * *", "Mars/Olympus")))
        .isInstanceOfSatisfying(
            ScheduleException.class, e -> assertThat(e.field()).isEqualTo("timezone"))
        .hasMessageContaining("unknown time zone 'Mars/Olympus'");
    assertThatThrownBy(() -> service.put(row("no spaces please", "0 2 * * *", "UTC")))
        .isInstanceOfSatisfying(
            ScheduleException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(
            () ->
                service.put(
                    new ScheduleRow(
                        "x", " ", "0 2 * * *", "UTC", List.of(), true, null, null, null)))
        .isInstanceOfSatisfying(
            ScheduleException.class, e -> assertThat(e.field()).isEqualTo("baseId"));
    assertThat(service.list()).isEmpty();
  }

  @Test
  void config_sync_upserts_the_base_schedules_and_drops_those_no_longer_configured() {
    ScheduleService service = service("a");
    service.put(row("adhoc", "0 3 * * *", "UTC"));
    service.sync(
        BASE,
        List.of(
            new ScheduleConfig("nightly", "0 2 * * *", ZoneId.of("UTC"), List.of("teachers")),
            new ScheduleConfig("hourly", "0 * * * *", ZoneId.of("UTC"), List.of())));
    assertThat(service.list())
        .extracting(ScheduleView::name)
        .containsExactly("adhoc", "hourly", "nightly");
    assertThat(store.schedules().list())
        .extracting(ScheduleRow::name, ScheduleRow::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("adhoc", "api"),
            org.assertj.core.groups.Tuple.tuple("hourly", "config"),
            org.assertj.core.groups.Tuple.tuple("nightly", "config"));

    service.sync(
        BASE,
        List.of(new ScheduleConfig("nightly", "0 4 * * *", ZoneId.of("Europe/Paris"), List.of())));

    assertThat(service.list()).extracting(ScheduleView::name).containsExactly("adhoc", "nightly");
    // 04:00 in Paris (CET, UTC+1) on 4 March 2025.
    assertThat(view(service, "nightly").nextFireAt())
        .isEqualTo(Instant.parse("2025-03-04T03:00:00Z"));
    assertThat(view(service, "nightly").timezone()).isEqualTo("Europe/Paris");
    assertThat(view(service, "adhoc").nextFireAt())
        .isEqualTo(Instant.parse("2025-03-04T03:00:00Z"));
  }

  @Test
  void a_fire_runs_in_the_mode_stored_with_the_schedule() {
    ScheduleService service = service("a");
    service.put(
        new ScheduleRow(
            "incremental",
            BASE,
            "* * * * *",
            "UTC",
            List.of("teachers"),
            true,
            null,
            null,
            null,
            RunMode.INCREMENTAL));
    service.start();
    assertThat(store.schedules().find("incremental").orElseThrow().mode())
        .isEqualTo(RunMode.INCREMENTAL);

    clock.set(at("12:01:00"));
    wake();
    await().atMost(WAIT).until(() -> !handler.fires().isEmpty());
    assertThat(handler.fires())
        .extracting(RecordingHandler.Fire::mode)
        .containsExactly(RunMode.INCREMENTAL);
  }

  @Test
  void config_sync_stores_each_schedules_mode_and_a_later_sync_changes_it() {
    ScheduleService service = service("a");
    service.sync(
        BASE,
        List.of(
            new ScheduleConfig("nightly", "0 2 * * *", ZoneId.of("UTC"), List.of(), true),
            new ScheduleConfig("hourly", "0 * * * *", ZoneId.of("UTC"), List.of())));
    assertThat(store.schedules().find("nightly").orElseThrow().mode())
        .isEqualTo(RunMode.INCREMENTAL);
    assertThat(store.schedules().find("hourly").orElseThrow().mode()).isEqualTo(RunMode.FULL);

    service.sync(
        BASE, List.of(new ScheduleConfig("nightly", "0 2 * * *", ZoneId.of("UTC"), List.of())));
    assertThat(store.schedules().find("nightly").orElseThrow().mode()).isEqualTo(RunMode.FULL);
  }

  @Test
  void config_sync_with_an_invalid_schedule_changes_nothing() {
    ScheduleService service = service("a");
    service.sync(
        BASE, List.of(new ScheduleConfig("nightly", "0 2 * * *", ZoneId.of("UTC"), List.of())));

    assertThatThrownBy(
            () ->
                service.sync(
                    BASE,
                    List.of(
                        new ScheduleConfig("hourly", "0 * * * *", ZoneId.of("UTC"), List.of()),
                        new ScheduleConfig("broken", "0 25 * * *", ZoneId.of("UTC"), List.of()))))
        .isInstanceOfSatisfying(
            ScheduleException.class,
            e -> {
              assertThat(e.schedule()).isEqualTo("broken");
              assertThat(e.field()).isEqualTo("cron");
            });
    assertThat(service.list()).extracting(ScheduleView::name).containsExactly("nightly");
  }

  @Test
  void a_failing_handler_is_recorded_as_a_skip_and_the_schedule_keeps_firing() {
    ScheduleService service = service("a");
    service.put(row("every-minute", "* * * * *", "UTC"));
    handler.failWith(new IllegalStateException("no plan for base " + BASE));
    service.start();

    clock.set(at("12:01:00"));
    wake();
    await().atMost(WAIT).until(() -> view(service, "every-minute").consecutiveSkips() == 1);
    assertThat(view(service, "every-minute").lastFire().reason())
        .isEqualTo("could not start a run: no plan for base " + BASE);
    await()
        .atMost(WAIT)
        .until(() -> at("12:02:00").equals(view(service, "every-minute").nextFireAt()));

    handler.failWith(null);
    clock.set(at("12:02:00"));
    wake();
    await().atMost(WAIT).until(() -> view(service, "every-minute").lastRunId() != null);
    assertThat(view(service, "every-minute").consecutiveSkips()).isZero();
  }

  @Test
  void a_schedule_deleted_elsewhere_while_pending_does_not_run_after_restart() {
    ScheduleService service = service("a");
    service.put(row("every-minute", "* * * * *", "UTC"));
    service.close();
    // Another writer removed the row but not db-scheduler's pending fire.
    store.schedules().delete("every-minute");
    clock.set(at("12:05:00"));
    wake();

    ScheduleService restarted = service("b");
    restarted.start();
    restarted.put(row("probe", "* * * * *", "UTC"));
    clock.set(at("12:06:00"));
    wake();

    await().atMost(WAIT).until(() -> handler.fires().size() == 1);
    assertThat(handler.fires())
        .extracting(RecordingHandler.Fire::schedule)
        .containsExactly("probe");
  }

  @Test
  void lock_and_fetch_polling_is_refused_on_sqlite() {
    ScheduleSettings settings = ScheduleSettings.defaults("a").withLockAndFetch(true);

    assertThatThrownBy(() -> new ScheduleService(store, clock, settings, handler))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lock-and-fetch polling needs PostgreSQL");
  }
}
