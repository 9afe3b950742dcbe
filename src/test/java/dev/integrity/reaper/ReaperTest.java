package dev.integrity.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.Limits;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.reaper.Reaped.Reason;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final ReaperSettings SETTINGS =
      new ReaperSettings(Duration.ofSeconds(120), Duration.ofMinutes(30));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private Store store;
  private Reaper reaper;
  private int bases;

  @BeforeEach
  void open() {
    store = Store.open(settings(), clock);
    reaper = new Reaper(store, clock, SETTINGS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private StoreSettings settings() {
    return StoreSettings.of("jdbc:sqlite:" + dir.resolve("integrity.db"));
  }

  private RunRecord queued() {
    bases++;
    return store.runs().create("appBase" + bases, Trigger.SCHEDULE, "nightly", List.of("teachers"));
  }

  private RunRecord running(String owner) {
    RunRecord run = queued();
    assertThat(store.runs().claim(run.id(), owner).applied()).isTrue();
    return run;
  }

  private RunRecord stored(String runId) {
    return store.runs().find(runId).orElseThrow();
  }

  @Test
  void running_run_whose_heartbeat_went_stale_ends_error_naming_the_last_heartbeat() {
    RunRecord run = running("owner-a");
    clock.advance(Duration.ofSeconds(30));
    store.runs().heartbeat(run.id(), "owner-a", true);
    Instant lastBeat = clock.instant();
    clock.advance(Duration.ofSeconds(121));

    List<Reaped> reaped = reaper.sweep(false);

    String message = "owner lost: no heartbeat since " + lastBeat;
    assertThat(reaped)
        .containsExactly(
            new Reaped(
                run.id(), run.baseId(), Reason.STALE_HEARTBEAT, RunStatus.ERROR, message, true));
    RunRecord ended = stored(run.id());
    assertThat(ended.status()).isEqualTo(RunStatus.ERROR);
    assertThat(ended.error()).isEqualTo("owner lost: no heartbeat since 2025-03-01T10:00:30Z");
    assertThat(ended.finishedAt()).isEqualTo(clock.instant());
    // An owner that was only slow learns at its next heartbeat that the run is no longer its own.
    assertThat(store.runs().heartbeat(run.id(), "owner-a", false).stillOwned()).isFalse();
  }

  @Test
  void heartbeat_exactly_at_the_stale_bound_is_not_yet_stale() {
    RunRecord run = running("owner-a");
    clock.advance(Duration.ofSeconds(120));

    assertThat(reaper.sweep(false)).isEmpty();
    assertThat(stored(run.id()).status()).isEqualTo(RunStatus.RUNNING);

    clock.advance(Duration.ofMillis(1));
    assertThat(reaper.sweep(false)).extracting(Reaped::runId).containsExactly(run.id());
  }

  @Test
  void run_that_keeps_heartbeating_past_the_hung_threshold_ends_timeout() {
    RunRecord run = running("owner-a");
    for (int minute = 0; minute < 30; minute++) {
      clock.advance(Duration.ofMinutes(1));
      store.runs().heartbeat(run.id(), "owner-a", false);
      assertThat(reaper.sweep(false)).as("sweep after %d minute(s)", minute + 1).isEmpty();
    }
    clock.advance(Duration.ofSeconds(1));
    store.runs().heartbeat(run.id(), "owner-a", false);

    List<Reaped> reaped = reaper.sweep(false);

    assertThat(reaped)
        .containsExactly(
            new Reaped(
                run.id(),
                run.baseId(),
                Reason.OVERDUE,
                RunStatus.TIMEOUT,
                "Run exceeded maximum duration and was automatically terminated",
                true));
    RunRecord ended = stored(run.id());
    assertThat(ended.status()).isEqualTo(RunStatus.TIMEOUT);
    assertThat(ended.error())
        .isEqualTo("Run exceeded maximum duration and was automatically terminated");
  }

  @Test
  void run_both_stale_and_overdue_is_reported_as_owner_lost() {
    RunRecord run = running("owner-a");
    clock.advance(Duration.ofHours(2));

    assertThat(reaper.sweep(false))
        .extracting(Reaped::reason, Reaped::endedAs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Reason.STALE_HEARTBEAT, RunStatus.ERROR));
  }

  @Test
  void queued_run_never_claimed_within_the_stale_bound_ends_error() {
    RunRecord fresh = queued();
    clock.advance(Duration.ofSeconds(60));
    RunRecord younger = queued();
    clock.advance(Duration.ofSeconds(61));

    List<Reaped> reaped = reaper.sweep(false);

    assertThat(reaped).hasSize(1);
    Reaped only = reaped.getFirst();
    assertThat(only.runId()).isEqualTo(fresh.id());
    assertThat(only.reason()).isEqualTo(Reason.UNCLAIMED);
    assertThat(only.endedAs()).isEqualTo(RunStatus.ERROR);
    assertThat(only.message())
        .isEqualTo("never claimed: queued since 2025-03-01T10:00:00Z and not started within 120 s");
    assertThat(stored(fresh.id()).status()).isEqualTo(RunStatus.ERROR);
    assertThat(stored(younger.id()).status()).isEqualTo(RunStatus.QUEUED);
    // The base is free again: a new run can be created.
    assertThat(store.runs().create(fresh.baseId(), Trigger.MANUAL, null, List.of()).status())
        .isEqualTo(RunStatus.QUEUED);
  }

  @Test
  void dry_run_lists_every_hung_run_and_changes_nothing() {
    RunRecord stale = running("owner-a");
    RunRecord overdue = running("owner-b");
    RunRecord unclaimed = queued();
    RunRecord healthy;
    clock.advance(Duration.ofMinutes(31));
    store.runs().heartbeat(overdue.id(), "owner-b", false);
    healthy = running("owner-c");

    List<Reaped> listed = reaper.sweep(true);

    assertThat(listed)
        .containsExactlyInAnyOrder(
            new Reaped(
                stale.id(),
                stale.baseId(),
                Reason.STALE_HEARTBEAT,
                RunStatus.ERROR,
                "owner lost: no heartbeat since 2025-03-01T10:00:00Z",
                false),
            new Reaped(
                overdue.id(),
                overdue.baseId(),
                Reason.OVERDUE,
                RunStatus.TIMEOUT,
                Reaper.OVERDUE_MESSAGE,
                false),
            new Reaped(
                unclaimed.id(),
                unclaimed.baseId(),
                Reason.UNCLAIMED,
                RunStatus.ERROR,
                "never claimed: queued since 2025-03-01T10:00:00Z and not started within 120 s",
                false));
    for (RunRecord run : List.of(stale, overdue, healthy)) {
      assertThat(stored(run.id()).status()).isEqualTo(RunStatus.RUNNING);
      assertThat(stored(run.id()).error()).isNull();
    }
    assertThat(stored(unclaimed.id()).status()).isEqualTo(RunStatus.QUEUED);
    // The same sweep for real ends exactly what the dry run listed.
    assertThat(reaper.sweep(false))
        .extracting(Reaped::runId)
        .containsExactlyInAnyOrder(stale.id(), overdue.id(), unclaimed.id());
  }

  @Test
  void terminal_runs_are_never_touched() {
    RunRecord run = running("owner-a");
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    clock.advance(Duration.ofHours(5));

    assertThat(reaper.sweep(false)).isEmpty();
    assertThat(stored(run.id()).status()).isEqualTo(RunStatus.SUCCEEDED);
  }

  @Test
  void settings_come_from_the_contract_limits() {
    assertThat(ReaperSettings.from(Limits.defaults()))
        .isEqualTo(new ReaperSettings(Duration.ofSeconds(120), Duration.ofMinutes(30)));
  }

  @Test
  void two_reapers_sweeping_at_once_end_each_run_once() throws Exception {
    List<RunRecord> hung = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      hung.add(i % 3 == 2 ? queued() : running("owner-" + i));
    }
    clock.advance(Duration.ofMinutes(10));
    try (Store second = Store.open(settings(), clock)) {
      Reaper other = new Reaper(second, clock, SETTINGS);

      List<List<Reaped>> sweeps =
          race(List.of(() -> reaper.sweep(false), () -> other.sweep(false)));

      List<Reaped> all = sweeps.stream().flatMap(List::stream).toList();
      for (RunRecord run : hung) {
        List<Reaped> ofRun = all.stream().filter(r -> r.runId().equals(run.id())).toList();
        assertThat(ofRun).as("results for run %s", run.id()).isNotEmpty();
        assertThat(ofRun.stream().filter(Reaped::applied))
            .as("applied results for run %s", run.id())
            .hasSize(1);
        assertThat(ofRun).allSatisfy(r -> assertThat(r.endedAs()).isEqualTo(RunStatus.ERROR));
        assertThat(stored(run.id()).status()).isEqualTo(RunStatus.ERROR);
      }
    }
  }

  private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            tasks.size(), Thread.ofPlatform().name("reaper-race-", 0).factory());
    try {
      CyclicBarrier start = new CyclicBarrier(tasks.size());
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return task.call();
                }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
