package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 20: the checks of a whole table, {@code volume} and {@code freshness}, as written. */
class TableCheckConfigTest {
  private static final Path FILE = Path.of("integrity.yml");

  private static String config(String checks) {
    return """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
          students:
            table: Students
            checks:
        """
        + checks.indent(6);
  }

  private static List<CheckSpec> checks(String checks) {
    return ConfigLoader.parse(config(checks), FILE, Map.of()).entity("students").checks();
  }

  private static List<ConfigProblem> problems(String checks) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(config(checks), FILE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems();
  }

  @Test
  void the_contract_examples_load_with_their_default_ids() {
    List<CheckSpec> checks =
        checks(
            """
            - volume: {min: 1000, max: 50000, maxDrop: 10, maxGrowth: 100, anomaly: 3}
            - freshness: {field: Last Modified, maxAge: 48h}
            - freshness: {field: createdTime, maxAge: 7d}
              severity: warn
            """);

    assertThat(checks.get(0))
        .isEqualTo(
            new CheckSpec.Volume(
                1000,
                50000,
                new BigDecimal("10"),
                new BigDecimal("100"),
                new BigDecimal("3"),
                null,
                null,
                checks.get(0).location()));
    assertThat(checks.get(0).id()).isEqualTo("volume");
    assertThat(checks.get(0).fields()).isEmpty();
    assertThat(checks.get(1))
        .isEqualTo(
            new CheckSpec.Freshness(
                "Last Modified", Duration.ofHours(48), null, null, checks.get(1).location()));
    assertThat(checks.get(1).id()).isEqualTo("freshness:Last Modified");
    assertThat(checks.get(1).fields()).containsExactly("Last Modified");
    // The creation time is no field: nothing to ask Airtable for, nothing to find in the schema.
    CheckSpec.Freshness created = (CheckSpec.Freshness) checks.get(2);
    assertThat(created.id()).isEqualTo("freshness:createdTime");
    assertThat(created.createdTime()).isTrue();
    assertThat(created.fields()).isEmpty();
    assertThat(created.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(created.severity()).isEqualTo(Severity.WARN);
  }

  @Test
  void any_subset_of_the_volume_options_will_do_and_a_percent_sign_is_allowed() {
    List<CheckSpec> checks =
        checks(
            """
            - volume: {maxDrop: 20%}
            - volume: {anomaly: 2.5}
              id: volume-spread
            - volume:
                min: 1
              id: volume-nonempty
            """);

    assertThat(checks)
        .map(c -> (CheckSpec.Volume) c)
        .extracting(
            CheckSpec::id,
            CheckSpec.Volume::min,
            CheckSpec.Volume::maxDrop,
            CheckSpec.Volume::anomaly)
        .containsExactly(
            tuple("volume", null, new BigDecimal("20"), null),
            tuple("volume-spread", null, null, new BigDecimal("2.5")),
            tuple("volume-nonempty", 1, null, null));
  }

  @Test
  void max_ages_are_minutes_hours_or_days() {
    assertThat(TableCheckTypes.age("90m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(TableCheckTypes.age("48h")).isEqualTo(Duration.ofHours(48));
    assertThat(TableCheckTypes.age(" 7d ")).isEqualTo(Duration.ofDays(7));
    assertThat(TableCheckTypes.age("0h")).isNull();
    assertThat(TableCheckTypes.age("2w")).isNull();
    assertThat(TableCheckTypes.age("1.5h")).isNull();
    assertThat(TableCheckTypes.age("48")).isNull();
  }

  @Test
  void wrong_options_are_refused_at_their_line_with_what_was_expected() {
    List<ConfigProblem> problems =
        problems(
            """
            - volume: {}
            - volume: 1000
              id: v2
            - volume: {min: many, maxDrop: 120, maxGrowth: -1, anomaly: 0}
              id: v3
            - volume: {min: 10, max: 5}
              id: v4
            - volume: {maxdrop: 10}
              id: v5
            - freshness: {field: Updated, maxAge: 2 weeks}
            - freshness: {maxAge: 7d}
            - freshness: Updated
              id: f3
            """);

    assertThat(problems)
        .extracting(ConfigProblem::line, ConfigProblem::message)
        .containsExactly(
            tuple(8, "volume needs at least one of [min, max, maxDrop, maxGrowth, anomaly]"),
            tuple(
                9,
                "volume takes a mapping such as {min: 1000, maxDrop: 20} (any of [min, max,"
                    + " maxDrop, maxGrowth, anomaly])"),
            tuple(11, "expected a whole number of at least 0, got 'many'"),
            tuple(11, "maxDrop is a percent from 0 to 100, got 120"),
            tuple(11, "maxGrowth is a percent of at least 0, got -1"),
            tuple(11, "anomaly is a number of standard deviations above 0, got 0"),
            tuple(13, "max 5 is below min 10"),
            tuple(
                15,
                "unknown option 'maxdrop' for a volume check (expected [min, max, maxDrop,"
                    + " maxGrowth, anomaly, id, severity])"),
            tuple(
                17, "maxAge must be minutes, hours or days such as 90m, 48h or 7d, got '2 weeks'"),
            tuple(18, "missing option 'field'"),
            tuple(19, "missing option 'maxAge'"));
    assertThat(problems.get(2).path()).isEqualTo("entities.students.checks[2].volume.min");
    assertThat(problems.get(8).path()).isEqualTo("entities.students.checks[5].freshness.maxAge");
  }
}
