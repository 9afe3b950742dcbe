package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {

  @Test
  void defaults_are_the_contracts_and_they_nest() {
    Limits limits = Limits.fromEnv(Map.of());

    assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(limits.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.maxRetries()).isEqualTo(5);
    assertThat(limits.rateLimitPerSecond()).isEqualTo(5);
    assertThat(limits.tokenRateLimitPerSecond()).isEqualTo(50);
    assertThat(limits.maxRunDuration()).isEqualTo(Duration.ofSeconds(1800));
    assertThat(limits.hungRunThreshold()).isEqualTo(Duration.ofMinutes(30));
    assertThat(limits.sweepInterval()).isEqualTo(Duration.ofSeconds(600));
    assertThat(limits.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(limits.heartbeatStale()).isEqualTo(Duration.ofSeconds(120));
    assertThat(limits.longRunAlert()).isEqualTo(Duration.ofMinutes(15));
    assertThat(limits.runningRunsAlertThreshold()).isEqualTo(5);
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void each_variable_overrides_its_limit_in_its_unit() {
    Limits limits =
        Limits.fromEnv(
            Map.of(
                "AIRTABLE_REQUEST_TIMEOUT_SECONDS", "2",
                "MAX_RUN_DURATION_SECONDS", " 5 ",
                "HUNG_RUN_THRESHOLD_MINUTES", "1",
                "AIRTABLE_MAX_RETRIES", "0",
                "RUN_HEARTBEAT_STALE_SECONDS", "3",
                "RUN_HEARTBEAT_INTERVAL_SECONDS", "1"));

    assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(limits.maxRunDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(limits.hungRunThreshold()).isEqualTo(Duration.ofMinutes(1));
    assertThat(limits.maxRetries()).isZero();
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void a_bad_value_is_refused_naming_the_variable_and_all_bad_values_are_listed() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                Limits.fromEnv(
                    Map.of(
                        "AIRTABLE_READ_TIMEOUT_SECONDS", "sixty",
                        "AIRTABLE_RATE_LIMIT_PER_SECOND", "0")));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "AIRTABLE_READ_TIMEOUT_SECONDS", "AIRTABLE_RATE_LIMIT_PER_SECOND");
    assertThat(e.getMessage()).contains("'sixty'").contains("from 1");
  }

  @Test
  void the_token_rate_limit_is_read_from_its_variable() {
    Limits limits = Limits.fromEnv(Map.of("AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND", "20"));

    assertThat(limits.tokenRateLimitPerSecond()).isEqualTo(20);
  }

  @Test
  void the_longest_wait_between_rate_probes_is_read_in_minutes_and_defaults_to_twenty() {
    assertThat(Limits.defaults().rateProbe()).isEqualTo(Duration.ofMinutes(20));
    assertThat(Limits.fromEnv(Map.of("AIRTABLE_RATE_PROBE_MINUTES", "2")).rateProbe())
        .isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> Limits.fromEnv(Map.of("AIRTABLE_RATE_PROBE_MINUTES", "0")))
        .hasMessageContaining("AIRTABLE_RATE_PROBE_MINUTES");
  }

  @Test
  void a_request_deadline_not_below_the_run_deadline_is_refused_naming_both() {
    Limits limits =
        Limits.fromEnv(
            Map.of("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "600", "MAX_RUN_DURATION_SECONDS", "600"));

    ConfigException e = catchThrowableOfType(ConfigException.class, limits::validateNesting);

    assertThat(e.problems()).singleElement();
    assertThat(e.getMessage())
        .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS (600 s)")
        .contains("MAX_RUN_DURATION_SECONDS (600 s)");
  }

  @Test
  void a_run_deadline_beyond_the_hung_threshold_is_refused_naming_both() {
    Limits limits =
        Limits.fromEnv(
            Map.of("MAX_RUN_DURATION_SECONDS", "3601", "HUNG_RUN_THRESHOLD_MINUTES", "60"));

    ConfigException e = catchThrowableOfType(ConfigException.class, limits::validateNesting);

    assertThat(e.getMessage())
        .contains("MAX_RUN_DURATION_SECONDS (3601 s)")
        .contains("HUNG_RUN_THRESHOLD_MINUTES x 60 (3600 s)");
  }

  @Test
  void a_run_deadline_equal_to_the_hung_threshold_nests() {
    Limits limits =
        Limits.fromEnv(
            Map.of("MAX_RUN_DURATION_SECONDS", "3600", "HUNG_RUN_THRESHOLD_MINUTES", "60"));

    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void a_heartbeat_interval_not_below_staleness_is_refused_naming_both() {
    Limits limits =
        Limits.fromEnv(
            Map.of("RUN_HEARTBEAT_INTERVAL_SECONDS", "120", "RUN_HEARTBEAT_STALE_SECONDS", "120"));

    ConfigException e = catchThrowableOfType(ConfigException.class, limits::validateNesting);

    assertThat(e.getMessage())
        .contains("RUN_HEARTBEAT_INTERVAL_SECONDS")
        .contains("RUN_HEARTBEAT_STALE_SECONDS");
  }

  @Test
  void a_short_run_deadline_lowers_the_default_request_deadline_instead_of_being_refused() {
    Limits limits = Limits.fromEnv(Map.of("MAX_RUN_DURATION_SECONDS", "60"));

    assertThat(limits.maxRunDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void a_long_request_deadline_raises_the_default_run_deadline_and_hung_threshold() {
    Limits limits = Limits.fromEnv(Map.of("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "3600"));

    assertThat(limits.maxRunDuration()).isEqualTo(Duration.ofSeconds(7200));
    assertThat(limits.hungRunThreshold()).isEqualTo(Duration.ofMinutes(120));
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void a_short_hung_threshold_lowers_the_default_run_deadline() {
    Limits limits = Limits.fromEnv(Map.of("HUNG_RUN_THRESHOLD_MINUTES", "4"));

    assertThat(limits.maxRunDuration()).isEqualTo(Duration.ofMinutes(4));
    assertThat(limits.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void a_slow_heartbeat_raises_the_default_staleness() {
    Limits limits = Limits.fromEnv(Map.of("RUN_HEARTBEAT_INTERVAL_SECONDS", "200"));

    assertThat(limits.heartbeatStale()).isEqualTo(Duration.ofSeconds(1600));
    assertThatCode(limits::validateNesting).doesNotThrowAnyException();
  }

  @Test
  void each_adjusted_default_is_described_naming_both_limits() {
    java.util.List<String> notes = new java.util.ArrayList<>();
    Limits.defaults().fitDefaults(name -> name.equals("MAX_RUN_DURATION_SECONDS"), notes);
    assertThat(notes).isEmpty();

    Limits shortRun =
        new Limits(
            Duration.ofSeconds(300),
            Duration.ofSeconds(10),
            Duration.ofSeconds(60),
            5,
            5,
            50,
            Duration.ofMinutes(20),
            Duration.ofSeconds(60),
            Duration.ofMinutes(30),
            Duration.ofSeconds(600),
            Duration.ofSeconds(15),
            Duration.ofSeconds(120),
            Duration.ofMinutes(15),
            5);
    shortRun.fitDefaults(name -> name.equals("MAX_RUN_DURATION_SECONDS"), notes);
    assertThat(notes)
        .singleElement()
        .asString()
        .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS left at its default (300 s) lowered to 30 s")
        .contains("MAX_RUN_DURATION_SECONDS (60 s)");
  }
}
