package dev.integrity.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.reaper.Reaper;
import dev.integrity.reaper.ReaperSettings;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.FireRow;
import dev.integrity.store.RunQuery;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.Postgres;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two schedule services on one PostgreSQL (127.0.0.1:5432, database {@code test}, a fresh schema
 * per test), as two {@code serve} processes would be: each fire runs exactly once. Skipped, with
 * the reason, when PostgreSQL is unreachable.
 */
class ClusterScheduleTest {
  private static final int FIRES = 20;
  private Postgres pg;

  // A schema per test: a schedule one test leaves behind must not fire in the next.
  @BeforeEach
  void createSchema() {
    pg = Postgres.freshSchema("ClusterScheduleTest");
  }

  @AfterEach
  void dropSchema() {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }

  private StoreSettings settings() {
    return pg.storeSettings();
  }

  @Test
  void two_instances_on_one_postgresql_run_each_of_twenty_per_second_fires_exactly_once() {
    MutableClock clock = new MutableClock(Instant.parse("2025-03-03T12:00:00.500Z"));
    List<RecordingHandler.Fire> fires = new CopyOnWriteArrayList<>();
    try (Store storeA = Store.open(settings(), clock);
        Store storeB = Store.open(settings(), clock);
        ScheduleService a =
            new ScheduleService(
                storeA,
                clock,
                settings("instance-a"),
                new RecordingHandler("instance-a", storeA, clock, true, fires));
        ScheduleService b =
            new ScheduleService(
                storeB,
                clock,
                settings("instance-b"),
                new RecordingHandler("instance-b", storeB, clock, true, fires))) {
      a.put(
          new ScheduleRow(
              "every-second",
              "appCluster000001",
              "* * * * * *",
              "UTC",
              List.of(),
              true,
              null,
              null,
              null));
      a.start();
      b.start();
      assertThat(b.find("every-second").orElseThrow().nextFireAt())
          .isEqualTo(Instant.parse("2025-03-03T12:00:01Z"));

      for (int second = 1; second <= FIRES; second++) {
        clock.advance(Duration.ofSeconds(1));
        a.checkNow();
        b.checkNow();
        int expected = second;
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    fires.size() >= expected
                        && b.find("every-second")
                            .orElseThrow()
                            .nextFireAt()
                            .isAfter(clock.instant()));
        assertThat(fires).as("fires after second %d", second).hasSize(expected);
      }

      // Every clock second fired once, by one instance or the other, and started one run.
      assertThat(fires.stream().map(RecordingHandler.Fire::at).distinct()).hasSize(FIRES);
      Map<String, Long> byInstance =
          fires.stream()
              .collect(
                  Collectors.groupingBy(RecordingHandler.Fire::instance, Collectors.counting()));
      assertThat(byInstance.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FIRES);
      List<FireRow> recorded = storeA.schedules().fires("every-second", 100);
      assertThat(recorded).hasSize(FIRES).allMatch(f -> FireRow.STARTED.equals(f.outcome()));
      List<RunRecord> runs = storeB.runs().list(RunQuery.latest(100));
      assertThat(runs).hasSize(FIRES).allMatch(r -> "every-second".equals(r.schedule()));
      System.err.println("fires by instance: " + byInstance);
    }
  }

  @Test
  void when_one_instance_dies_mid_run_the_other_reaps_its_run_and_keeps_firing() {
    String base = "appCluster000002";
    MutableClock clock = new MutableClock(Instant.parse("2025-03-03T12:00:00Z"));
    List<String> log = new CopyOnWriteArrayList<>();
    try (Store storeA = Store.open(settings(), clock);
        Store storeB = Store.open(settings(), clock)) {
      ScheduleService a =
          new ScheduleService(
              storeA,
              clock,
              settings("instance-a"),
              claimingHandler(storeA, clock, "instance-a", log));
      ScheduleService b =
          new ScheduleService(
              storeB,
              clock,
              settings("instance-b"),
              claimingHandler(storeB, clock, "instance-b", log));
      try (a;
          b) {
        a.put(
            new ScheduleRow(
                "every-minute", base, "* * * * *", "UTC", List.of(), true, null, null, null));
        a.start();
        clock.set(Instant.parse("2025-03-03T12:01:00Z"));
        a.checkNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> log.size() == 1);
        String orphan = a.find("every-minute").orElseThrow().lastRunId();
        assertThat(orphan).isNotNull();
        assertThat(storeA.runs().find(orphan).orElseThrow().owner()).isEqualTo("instance-a");

        // Instance A dies: no more fires, no more heartbeats for its run.
        a.close();
        b.start();
        clock.set(Instant.parse("2025-03-03T12:02:00Z"));
        b.checkNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> log.size() == 2);
        assertThat(b.find("every-minute").orElseThrow().consecutiveSkips()).isEqualTo(1);

        clock.set(Instant.parse("2025-03-03T12:02:40Z"));
        Reaper reaper =
            new Reaper(
                storeB, clock, new ReaperSettings(Duration.ofSeconds(90), Duration.ofMinutes(30)));
        assertThat(reaper.sweep(false))
            .singleElement()
            .satisfies(r -> assertThat(r.runId()).isEqualTo(orphan));
        assertThat(storeB.runs().find(orphan).orElseThrow().error())
            .isEqualTo("owner lost: no heartbeat since 2025-03-03T12:01:00Z");

        clock.set(Instant.parse("2025-03-03T12:03:00Z"));
        b.checkNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> log.size() == 3);
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> !orphan.equals(b.find("every-minute").orElseThrow().lastRunId()));
        assertThat(log)
            .containsExactly(
                "instance-a 2025-03-03T12:01:00Z started",
                "instance-b 2025-03-03T12:02:00Z skipped",
                "instance-b 2025-03-03T12:03:00Z started");
      }
    }
  }

  @Test
  void two_instances_share_the_fires_of_a_minute_neither_takes_more_than_its_workers_allow() {
    int schedules = 10;
    int workers = 3;
    MutableClock clock = new MutableClock(Instant.parse("2025-03-03T12:00:30Z"));
    Map<String, String> firedBy = new java.util.concurrent.ConcurrentHashMap<>();
    List<java.util.concurrent.CompletableFuture<Void>> running = new CopyOnWriteArrayList<>();
    try (Store storeA = Store.open(settings(), clock);
        Store storeB = Store.open(settings(), clock);
        ScheduleService a =
            new ScheduleService(
                storeA,
                clock,
                settings("instance-a").withThreads(workers),
                holdingHandler(storeA, "instance-a", firedBy, running));
        ScheduleService b =
            new ScheduleService(
                storeB,
                clock,
                settings("instance-b").withThreads(workers),
                holdingHandler(storeB, "instance-b", firedBy, running))) {
      for (int i = 0; i < schedules; i++) {
        a.put(
            new ScheduleRow(
                "minute-" + i,
                "appSpread" + String.format("%07d", i),
                "* * * * *",
                "UTC",
                List.of(),
                true,
                null,
                null,
                null));
      }
      a.start();
      b.start();
      clock.set(Instant.parse("2025-03-03T12:01:00Z"));
      a.checkNow();
      b.checkNow();

      // Each instance holds as many runs as it has workers; the other fires wait for a worker.
      await().atMost(Duration.ofSeconds(15)).until(() -> firedBy.size() == 2 * workers);
      assertThat(count(firedBy, "instance-a")).isEqualTo(workers);
      assertThat(count(firedBy, "instance-b")).isEqualTo(workers);

      // As runs end, the waiting fires go to whichever instance has a free worker.
      while (firedBy.size() < schedules) {
        int before = firedBy.size();
        running.forEach(r -> r.complete(null));
        a.checkNow();
        b.checkNow();
        await().atMost(Duration.ofSeconds(15)).until(() -> firedBy.size() > before);
      }
      running.forEach(r -> r.complete(null));
      long byA = count(firedBy, "instance-a");
      long byB = count(firedBy, "instance-b");
      System.err.println("fires of one minute: instance-a " + byA + ", instance-b " + byB);
      assertThat(byA + byB).isEqualTo(schedules);
      assertThat(Math.max(byA, byB)).isLessThanOrEqualTo(schedules * 7 / 10);
      assertThat(storeA.schedules().fires("minute-0", 10))
          .singleElement()
          .satisfies(f -> assertThat(f.outcome()).isEqualTo(FireRow.STARTED));
    }
  }

  private static long count(Map<String, String> firedBy, String instance) {
    return firedBy.values().stream().filter(instance::equals).count();
  }

  /** Starts a run that goes on until the test ends it, as a real run holds its fire's worker. */
  private static FireHandler holdingHandler(
      Store store,
      String instance,
      Map<String, String> firedBy,
      List<java.util.concurrent.CompletableFuture<Void>> running) {
    return (schedule, baseId, entities, mode) -> {
      RunRecord run = store.runs().create(baseId, Trigger.SCHEDULE, schedule, entities);
      java.util.concurrent.CompletableFuture<Void> ended =
          new java.util.concurrent.CompletableFuture<>();
      running.add(ended);
      firedBy.put(schedule, instance);
      return new FireOutcome.Started(run.id(), ended);
    };
  }

  /** Creates and claims a run, as the run engine would, and leaves it running. */
  private static FireHandler claimingHandler(
      Store store, MutableClock clock, String instance, List<String> log) {
    return (schedule, baseId, entities, mode) -> {
      try {
        RunRecord run = store.runs().create(baseId, Trigger.SCHEDULE, schedule, entities);
        store.runs().claim(run.id(), instance);
        log.add(instance + " " + clock.instant() + " started");
        return new FireOutcome.Started(run.id());
      } catch (ActiveRunExistsException e) {
        log.add(instance + " " + clock.instant() + " skipped");
        return FireOutcome.Skipped.activeRun(baseId, e.activeRunId());
      }
    };
  }

  private static ScheduleSettings settings(String instance) {
    return new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(5), 2, instance, true);
  }
}
