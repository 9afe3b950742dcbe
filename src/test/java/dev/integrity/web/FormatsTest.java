package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void ages_use_the_largest_whole_unit_and_never_go_negative() {
    assertThat(Formats.age(Duration.ofSeconds(-5))).isEqualTo("0 minutes");
    assertThat(Formats.age(Duration.ofSeconds(61))).isEqualTo("1 minute");
    assertThat(Formats.age(Duration.ofMinutes(59))).isEqualTo("59 minutes");
    assertThat(Formats.age(Duration.ofMinutes(61))).isEqualTo("1 hour");
    assertThat(Formats.age(Duration.ofHours(23))).isEqualTo("23 hours");
    assertThat(Formats.age(Duration.ofHours(25))).isEqualTo("1 day");
    assertThat(Formats.age(Duration.ofDays(3))).isEqualTo("3 days");
  }

  @Test
  void durations_read_in_ms_seconds_minutes_or_hours() {
    assertThat(Formats.formatMillis(999)).isEqualTo("999 ms");
    assertThat(Formats.formatMillis(1500)).isEqualTo("1.5 s");
    assertThat(Formats.formatMillis(200_000)).isEqualTo("3 min 20 s");
    assertThat(Formats.formatMillis(5_000_000)).isEqualTo("1 h 23 min");
  }

  @Test
  void times_are_iso_utc_to_the_second() {
    assertThat(Formats.iso(Instant.parse("2025-03-01T10:00:07.999Z")))
        .isEqualTo("2025-03-01T10:00:07Z");
  }

  @Test
  void path_segments_encode_spaces_slashes_and_plus() {
    assertThat(Formats.segment("run c/é+")).isEqualTo("run%20c%2F%C3%A9%2B");
  }

  @Test
  void htmx_intervals_are_whole_milliseconds_of_at_least_one() {
    assertThat(Formats.htmxInterval(Duration.ofSeconds(5))).isEqualTo("5000ms");
    assertThat(Formats.htmxInterval(Duration.ZERO)).isEqualTo("1ms");
  }

  @Test
  void server_written_times_name_their_zone() {
    java.time.Instant t = java.time.Instant.parse("2025-03-01T10:00:00Z");
    assertThat(Formats.zoned(t, null)).isEqualTo("2025-03-01 10:00 UTC");
    assertThat(Formats.zoned(t, "UTC")).isEqualTo("2025-03-01 10:00 UTC");
    assertThat(Formats.zoned(t, "Europe/Paris")).isEqualTo("2025-03-01 11:00 CET");
    assertThat(Formats.zoned(t, "America/New_York")).isEqualTo("2025-03-01 05:00 EST");
    assertThat(Formats.zoned(t, "Not/AZone")).isEqualTo("2025-03-01 10:00 UTC");
  }

  @Test
  void the_pager_says_first_to_last_of_the_total() {
    assertThat(new Views.Paging(null, 1L, 50L, 364, "n").range()).isEqualTo("1–50 of 364");
    assertThat(new Views.Paging("p", 351L, 364L, 364, null).range()).isEqualTo("351–364 of 364");
    assertThat(new Views.Paging("p", null, null, 364, null).range()).isEqualTo("0 of 364");
    assertThat(new Views.Paging(null, null, null, 0, null).range()).isNull();
    assertThat(new Views.Paging(null, 1L, 50L, 1234, "n").range()).isEqualTo("1–50 of 1,234");
  }
}
