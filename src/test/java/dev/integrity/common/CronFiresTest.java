package dev.integrity.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Fires of a cron in the 30 days a projected month counts. */
class CronFiresTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void a_nightly_cron_fires_thirty_times_and_a_minutely_one_43200_times_in_thirty_days() {
    assertThat(CronFires.perMonth("0 2 * * *", ZoneOffset.UTC, NOW)).isEqualTo(30);
    assertThat(CronFires.perMonth("* * * * *", ZoneOffset.UTC, NOW)).isEqualTo(43_200);
    assertThat(CronFires.perMonth("0 * * * *", ZoneOffset.UTC, NOW)).isEqualTo(720);
  }

  @Test
  void weekdays_only_and_a_time_zone_change_are_counted_as_db_scheduler_fires() {
    // 2026-03-01 is a Sunday: 30 days hold 4 full weeks (20 weekdays) and Mon 30, Tue 31.
    assertThat(CronFires.perMonth("0 6 * * 1-5", ZoneOffset.UTC, NOW)).isEqualTo(22);
    // New York springs forward on 2026-03-08: 02:30 does not exist that day, 29 fires remain.
    assertThat(CronFires.perMonth("30 2 * * *", ZoneId.of("America/New_York"), NOW))
        .isBetween(29L, 30L);
  }

  @Test
  void a_cron_finer_than_its_count_limit_is_scaled_to_the_window() {
    long everySecond = CronFires.perMonth("* * * * * *", ZoneOffset.UTC, NOW);

    assertThat(everySecond).isBetween(2_590_000L, 2_600_000L);
  }
}
