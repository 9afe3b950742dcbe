package dev.integrity.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {

  @Test
  void names_are_one_to_sixty_four_url_safe_characters_starting_with_a_letter_or_digit() {
    assertThat(ScheduleSpec.name("nightly.v2_a-b")).isEqualTo("nightly.v2_a-b");
    assertThat(ScheduleSpec.name("n".repeat(64))).hasSize(64);
    for (String bad : new String[] {"", "-x", "with space", "a/b", "n".repeat(65)}) {
      assertThatThrownBy(() -> ScheduleSpec.name(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              InvalidScheduleException.class, e -> assertThat(e.field()).isEqualTo("name"))
          .hasMessageStartingWith("schedule name must be 1 to 64");
    }
    assertThatThrownBy(() -> ScheduleSpec.name(null)).isInstanceOf(InvalidScheduleException.class);
  }

  @Test
  void a_cron_has_five_fields_that_db_scheduler_parses() {
    assertThat(ScheduleSpec.cron("  */15 8-18 * * MON-FRI ")).isEqualTo("*/15 8-18 * * MON-FRI");
    assertThatThrownBy(() -> ScheduleSpec.cron("0 0 2 * * *"))
        .isInstanceOfSatisfying(
            InvalidScheduleException.class, e -> assertThat(e.field()).isEqualTo("cron"))
        .hasMessage(
            "cron must have 5 fields (minute hour day-of-month month day-of-week), got 6 in '0 0 2"
                + " * * *'");
    assertThatThrownBy(() -> ScheduleSpec.cron("61 2 * * *"))
        .hasMessageStartingWith("bad cron '61 2 * * *': ");
    assertThatThrownBy(() -> ScheduleSpec.cron(" ")).hasMessageStartingWith("no cron pattern");
  }

  @Test
  void the_spring_pattern_puts_seconds_first_and_takes_six_fields_as_already_seconds_first() {
    assertThat(ScheduleSpec.springCron("0 2 * * *")).isEqualTo("0 0 2 * * *");
    assertThat(ScheduleSpec.springCron("*/10 * * * * *")).isEqualTo("*/10 * * * * *");
    assertThatThrownBy(() -> ScheduleSpec.springCron("* * * *"))
        .hasMessageContaining("must have 5 fields")
        .hasMessageContaining("got 4");
    assertThatThrownBy(() -> ScheduleSpec.springCron("99 * * * * *"))
        .hasMessageStartingWith("bad cron '99 * * * * *'");
  }

  @Test
  void a_zone_is_a_region_id_and_an_unknown_one_is_named_in_the_message() {
    assertThat(ScheduleSpec.zone(" Europe/Paris ")).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThatThrownBy(() -> ScheduleSpec.zone("Mars/Olympus"))
        .isInstanceOfSatisfying(
            InvalidScheduleException.class, e -> assertThat(e.field()).isEqualTo("timezone"))
        .hasMessageStartingWith("unknown time zone 'Mars/Olympus'");
    assertThatThrownBy(() -> ScheduleSpec.zone("")).hasMessageStartingWith("no time zone");
  }

  @Test
  void a_spec_is_valid_once_built() {
    ScheduleSpec spec = new ScheduleSpec("nightly", " 0 2 * * * ", ZoneId.of("UTC"));

    assertThat(spec.cron()).isEqualTo("0 2 * * *");
    assertThat(spec.springCron()).isEqualTo("0 0 2 * * *");
    assertThatThrownBy(() -> new ScheduleSpec("bad name", "0 2 * * *", ZoneId.of("UTC")))
        .isInstanceOf(InvalidScheduleException.class);
  }
}
