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
  void business_hours_on_weekdays_count_each_matching_day_s_minutes() {
    // 9 hours x 60 minutes on each of the 22 weekdays.
    assertThat(CronFires.perMonth("* 9-17 * * 1-5", ZoneOffset.UTC, NOW)).isEqualTo(11_880);
    // The 1st and the 15th at 00:00 and 12:00: April 1 falls outside (Mar 1 12:00 to Mar 31).
    assertThat(CronFires.perMonth("0 0,12 1,15 * *", ZoneOffset.UTC, NOW)).isEqualTo(2);
    assertThat(CronFires.perMonth("* * * * * *", ZoneOffset.UTC, NOW)).isEqualTo(2_592_000);
  }

  @Test
  void a_field_s_size_counts_ranges_steps_and_lists_once_each() {
    assertThat(CronFires.size("*", 59)).isEqualTo(60);
    assertThat(CronFires.size("*/15", 59)).isEqualTo(4);
    assertThat(CronFires.size("5/20", 59)).isEqualTo(3);
    assertThat(CronFires.size("9-17", 23)).isEqualTo(9);
    assertThat(CronFires.size("0-10/5,5,30", 59)).isEqualTo(4);
    assertThat(CronFires.size("L", 59)).isZero();
  }
}
