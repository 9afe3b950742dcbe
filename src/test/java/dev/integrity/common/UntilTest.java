package dev.integrity.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UntilTest {
  private final Clock clock =
      Clock.fixed(Instant.parse("2026-12-04T10:30:20.855872637Z"), ZoneOffset.UTC);

  @Test
  void a_date_covers_that_whole_day_in_utc() {
    assertThat(Until.parse("2026-12-31", clock)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void an_instant_keeps_its_offset_and_days_count_from_now_in_whole_seconds() {
    assertThat(Until.parse("2026-12-31T18:00:00+01:00", clock))
        .isEqualTo(Instant.parse("2026-12-31T17:00:00Z"));
    assertThat(Until.parse(" 30d ", clock)).isEqualTo(Instant.parse("2027-01-03T10:30:20Z"));
    assertThat(Until.parse("  ", clock)).isNull();
  }

  @Test
  void anything_else_says_which_forms_are_accepted() {
    assertThatThrownBy(() -> Until.parse("next friday", clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'next friday' is not a date (2026-12-31");
  }
}
