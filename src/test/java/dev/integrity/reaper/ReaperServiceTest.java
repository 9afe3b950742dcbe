package dev.integrity.reaper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReaperServiceTest {
  private static final ReaperSettings SETTINGS =
      new ReaperSettings(Duration.ofSeconds(120), Duration.ofMinutes(30));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private final ScheduledThreadPoolExecutor timers =
      new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("test-reaper-timer").factory());
  private final List<Reaped> reaped = new CopyOnWriteArrayList<>();
  private final List<Exception> failures = new CopyOnWriteArrayList<>();
  private final ReaperListener recording =
      new ReaperListener() {
        @Override
        public void onReaped(Reaped r) {
          reaped.add(r);
        }

        @Override
        public void onSweepFailed(Exception e) {
          failures.add(e);
        }
      };
  private Store store;

  @BeforeEach
  void open() {
    timers.setRemoveOnCancelPolicy(true);
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("integrity.db")), clock);
  }

  @AfterEach
  void close() throws InterruptedException {
    timers.shutdownNow();
    assertThat(timers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    store.close();
  }

  private RunRecord running(String base) {
    RunRecord run = store.runs().create(base, Trigger.SCHEDULE, "nightly", List.of());
    store.runs().claim(run.id(), "owner-" + base);
    return run;
  }

  @Test
  void first_sweep_runs_at_start_and_the_listener_hears_each_reaped_run() {
    RunRecord run = running("appOne");
    clock.advance(Duration.ofMinutes(5));
    try (ReaperService service =
        new ReaperService(
            new Reaper(store, clock, SETTINGS), timers, Duration.ofHours(1), recording)) {
      service.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> service.sweeps() == 1);
      assertThat(reaped)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.runId()).isEqualTo(run.id());
                assertThat(r.applied()).isTrue();
                assertThat(r.reason()).isEqualTo(Reaped.Reason.STALE_HEARTBEAT);
              });
      assertThat(store.runs().find(run.id()).orElseThrow().status()).isEqualTo(RunStatus.ERROR);
    }
  }

  @Test
  void later_sweeps_reap_runs_that_hang_after_start() {
    try (ReaperService service =
        new ReaperService(
            new Reaper(store, clock, SETTINGS), timers, Duration.ofMillis(50), recording)) {
      service.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> service.sweeps() >= 1);
      RunRecord run = running("appTwo");
      clock.advance(Duration.ofMinutes(3));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reaped.stream().anyMatch(r -> r.runId().equals(run.id())));
      assertThat(reaped).hasSize(1);
      assertThat(service.failedSweeps()).isZero();
    }
  }

  @Test
  void failing_sweeps_are_counted_and_the_loop_goes_on_even_when_the_listener_throws() {
    AtomicInteger heard = new AtomicInteger();
    ReaperListener throwing =
        new ReaperListener() {
          @Override
          public void onSweepFailed(Exception e) {
            heard.incrementAndGet();
            throw new IllegalStateException("listener broken too");
          }
        };
    Reaper reaper = new Reaper(store, clock, SETTINGS);
    store.close();
    try (ReaperService service =
        new ReaperService(reaper, timers, Duration.ofMillis(20), throwing)) {
      service.start();

      await().atMost(Duration.ofSeconds(20)).until(() -> service.failedSweeps() >= 3);
      assertThat(heard.get()).isGreaterThanOrEqualTo(3);
      assertThat(service.sweeps()).isGreaterThanOrEqualTo(3);
    }
  }

  @Test
  void close_cancels_the_loop_and_leaves_the_executor_to_its_owner() {
    ReaperService service =
        new ReaperService(
            new Reaper(store, clock, SETTINGS), timers, Duration.ofMillis(50), recording);
    service.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> service.sweeps() >= 1);

    service.close();

    assertThat(timers.getQueue()).isEmpty();
    assertThat(timers.isShutdown()).isFalse();
  }

  @Test
  void the_service_sweeps_at_least_once_per_heartbeat_interval_so_a_dead_owner_is_found_in_time() {
    assertThat(ReaperService.cadence(Duration.ofSeconds(600), Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(ReaperService.cadence(Duration.ofSeconds(10), Duration.ofSeconds(30)))
        .isEqualTo(Duration.ofSeconds(10));
  }
}
