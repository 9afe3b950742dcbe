package dev.integrity.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.testing.MutableClock;
import dev.integrity.testing.Postgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AlertRepository#renotify}: an open alert is told again only once {@code every} has passed
 * since it was last told, on SQLite and on PostgreSQL (V13's {@code notified_at}).
 */
class AlertRenotifyTest {
  private static final Instant T0 = Instant.parse("2026-12-01T02:00:00Z");
  private static final Duration DAY = Duration.ofHours(24);

  @TempDir Path dir;

  private void onBoth(TestInfo info, Consumer<Fixture> test) {
    MutableClock sqliteClock = new MutableClock(T0);
    try (Store store =
        Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("a.db")), sqliteClock)) {
      test.accept(new Fixture(store, sqliteClock));
    }
    try (Postgres pg = Postgres.freshSchema(info.getDisplayName())) {
      MutableClock pgClock = new MutableClock(T0);
      try (Store store = Store.open(pg.storeSettings(), pgClock)) {
        test.accept(new Fixture(store, pgClock));
      }
    }
  }

  private record Fixture(Store store, MutableClock clock) {
    AlertRepository alerts() {
      return store.alerts();
    }
  }

  @Test
  void an_open_alert_is_told_again_once_per_period_with_its_new_message(TestInfo info) {
    onBoth(
        info,
        fx -> {
          AlertRow opened =
              fx.alerts()
                  .openIfAbsent("run-error:appX", "run_error", "appX", "run_1", null, "first")
                  .orElseThrow();

          fx.clock().advance(Duration.ofHours(23));
          assertThat(fx.alerts().renotify("run-error:appX", "second", DAY)).isEmpty();

          fx.clock().advance(Duration.ofHours(1));
          assertThat(fx.alerts().renotify("run-error:appX", "third", DAY))
              .hasValueSatisfying(
                  row -> {
                    assertThat(row.id()).isEqualTo(opened.id());
                    assertThat(row.message()).isEqualTo("third");
                    assertThat(row.openedAt()).isEqualTo(T0);
                    assertThat(row.state()).isEqualTo(AlertRow.OPEN);
                  });
          // Told just now: the period starts again from here, not from when it opened.
          assertThat(fx.alerts().renotify("run-error:appX", "fourth", DAY)).isEmpty();
          fx.clock().advance(DAY);
          assertThat(fx.alerts().renotify("run-error:appX", "fifth", DAY)).isPresent();
        });
  }

  @Test
  void a_resolved_or_unknown_alert_is_never_told_again(TestInfo info) {
    onBoth(
        info,
        fx -> {
          fx.alerts().openIfAbsent("long-run:r1", "long_run", "appX", "r1", null, "long");
          fx.alerts().resolve("long-run:r1");
          fx.clock().advance(Duration.ofDays(3));

          assertThat(fx.alerts().renotify("long-run:r1", "again", DAY)).isEmpty();
          assertThat(fx.alerts().renotify("no-such-key", "again", DAY)).isEmpty();
          assertThat(fx.alerts().list(10))
              .singleElement()
              .satisfies(a -> assertThat(a.message()).isEqualTo("long"));
        });
  }
}
