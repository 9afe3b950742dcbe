package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrity.config.CheckSpec.Range.Bound;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path FILE = Path.of("integrity.yml");
  private static final Map<String, String> ENV =
      Map.of(
          "AIRTABLE_TOKEN", "patSECRET123.abc",
          "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T000/B000/XXXSECRETXXX");

  @TempDir Path dir;

  private static String resource(String name) throws IOException {
    try (var in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static List<ConfigProblem> problems(String yaml, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, env));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems();
  }

  private static String minimal(String entities) {
    return """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
        """
        + entities;
  }

  @Test
  void the_contract_example_loads_with_variables_replaced_from_the_environment() throws Exception {
    Path file = dir.resolve("integrity.yml");
    Files.writeString(file, resource("contract-example.yml"));

    IntegrityConfig config = ConfigLoader.load(file, ENV);

    assertThat(config.source()).isEqualTo(file);
    assertThat(config.airtable().baseId()).isEqualTo("appXXXXXXXXXXXXXX");
    assertThat(config.airtable().token().reveal()).isEqualTo("patSECRET123.abc");
    assertThat(config.airtable().baseUrl()).isEqualTo(URI.create("https://api.airtable.com"));
    assertThat(config.entities().keySet()).containsExactly("teachers", "classes");
    assertThat(config.entity("teachers").checks())
        .extracting(CheckSpec::id)
        .containsExactly("required:Name+Email", "unique:Email", "format:Email");
    assertThat(config.entity("classes").checks())
        .extracting(CheckSpec::id)
        .containsExactly(
            "required:Name",
            "link:Teacher",
            "allowed:Status",
            "pattern:Code",
            "range:Capacity",
            "rule:ends-after-start");
    assertThat(config.entity("teachers").checks().get(1))
        .isEqualTo(
            new CheckSpec.Unique(
                List.of("Email"),
                true,
                "unique:Email",
                Severity.FAIL,
                config.entity("teachers").checks().get(1).location()));
    CheckSpec.Link link = (CheckSpec.Link) config.entity("classes").checks().get(1);
    assertThat(link.to()).isEqualTo("teachers");
    assertThat(link.min()).isEqualTo(1);
    assertThat(link.max()).isEqualTo(1);
    CheckSpec.Pattern pattern = (CheckSpec.Pattern) config.entity("classes").checks().get(3);
    assertThat(pattern.regex()).isEqualTo("^[A-Z]{3}-\\d{3}$");
    CheckSpec.Range range = (CheckSpec.Range) config.entity("classes").checks().get(4);
    assertThat(range.min()).isEqualTo(new Bound.Number(BigDecimal.ONE));
    assertThat(range.max()).isEqualTo(new Bound.Number(BigDecimal.valueOf(40)));
    CheckSpec.Rule rule = (CheckSpec.Rule) config.entity("classes").checks().get(5);
    assertThat(rule.severity()).isEqualTo(Severity.WARN);
    assertThat(rule.fields()).containsExactly("End Date", "Start Date");
    assertThat(rule.location().line()).isEqualTo(20);
    assertThat(rule.location().path()).isEqualTo("entities.classes.checks[5]");
    ScheduleConfig nightly = config.schedules().getFirst();
    assertThat(nightly.timezone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(nightly.springCron()).isEqualTo("0 0 2 * * *");
    assertThat(nightly.entities()).containsExactly("teachers", "classes");
    assertThat(config.alerts().slackWebhookUrl().reveal()).endsWith("XXXSECRETXXX");
  }

  @Test
  void a_variable_that_is_not_set_is_a_problem_naming_the_variable_and_its_place()
      throws Exception {
    List<ConfigProblem> problems =
        problems(resource("contract-example.yml"), Map.of("AIRTABLE_TOKEN", "x"));

    assertThat(problems).hasSize(1);
    ConfigProblem p = problems.getFirst();
    assertThat(p.message()).contains("SLACK_WEBHOOK_URL").contains("not set");
    assertThat(p.line()).isEqualTo(27);
    assertThat(p.column()).isEqualTo(23);
    assertThat(p.path()).isEqualTo("alerts.slack.webhookUrl");
    assertThat(p.toString()).startsWith("integrity.yml:27:23: alerts.slack.webhookUrl: ");
  }

  @Test
  void environment_variables_override_the_file_and_the_token_alias_is_read() {
    String yaml =
        """
        airtable:
          baseId: appBASE
          token: ${AIRTABLE_TOKEN}
          baseUrl: https://file.example
        entities:
          things: {table: Things}
        alerts:
          slack: {webhookUrl: "https://file.example/slack"}
        """;
    IntegrityConfig config =
        ConfigLoader.parse(
            yaml,
            FILE,
            Map.of(
                "AIRTABLE_API_KEY", "alias-token",
                "AIRTABLE_BASE_URL", "http://127.0.0.1:9999",
                "SLACK_WEBHOOK_URL", "https://env.example/slack"));

    assertThat(config.airtable().token().reveal()).isEqualTo("alias-token");
    assertThat(config.airtable().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:9999"));
    assertThat(config.alerts().slackWebhookUrl().reveal()).isEqualTo("https://env.example/slack");
  }

  @Test
  void a_default_fills_an_unset_variable_and_a_doubled_dollar_stays_literal() {
    String yaml =
        minimal(
            """
              things:
                table: ${TABLE:-Things}
                checks:
                  - pattern: {field: Code, regex: 'x$${NOT_A_VAR}'}
            """);
    IntegrityConfig config = ConfigLoader.parse(yaml, FILE, Map.of());

    assertThat(config.entity("things").table()).isEqualTo("Things");
    assertThat(((CheckSpec.Pattern) config.entity("things").checks().getFirst()).regex())
        .isEqualTo("x${NOT_A_VAR}");
  }

  @Test
  void a_substituted_value_is_never_parsed_as_yaml() {
    String yaml = minimal("  things: {table: \"${TABLE}\"}\n");
    IntegrityConfig config =
        ConfigLoader.parse(yaml, FILE, Map.of("TABLE", "Odd: name, {with} # yaml"));

    assertThat(config.entity("things").table()).isEqualTo("Odd: name, {with} # yaml");
  }

  @Test
  void every_problem_of_a_file_is_reported_at_once_with_line_column_and_key_path() {
    String yaml =
        """
        airtable:
          token: x
        entities:
          classes:
            table: Classes
            checks:
              - requird: [Name]
              - link: {field: Teacher, to: teacher}
              - pattern: {field: Code, regex: '(unclosed'}
              - rule: {name: bad, expr: 'r.x +'}
              - format: {field: Email, as: mail}
              - range: {field: Capacity, min: ten}
              - unique: Email
                normalise: true
              - allowed: {field: Status}
        schedules:
          - name: nightly
            cron: "0 2 * *"
            timezone: Mars/Olympus
            entities: [classes, rooms]
        """;
    List<ConfigProblem> problems = problems(yaml, Map.of());

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.path())
        .containsExactly(
            "2:3 airtable.baseId",
            "7:9 entities.classes.checks[0].requird",
            "8:36 entities.classes.checks[1].link.to",
            "9:39 entities.classes.checks[2].pattern.regex",
            "10:33 entities.classes.checks[3].rule.expr",
            "11:36 entities.classes.checks[4].format.as",
            "12:39 entities.classes.checks[5].range.min",
            "14:9 entities.classes.checks[6].normalise",
            "15:9 entities.classes.checks[7]",
            "19:15 schedules[0].timezone",
            "18:11 schedules[0].cron",
            "20:15 schedules[0].entities");
    assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(FILE));
    assertThat(problems.get(0).message()).contains("missing 'baseId'");
    assertThat(problems.get(1).message()).contains("unknown check type 'requird'");
    assertThat(problems.get(2).message()).contains("unknown entity 'teacher'");
    assertThat(problems.get(3).message()).contains("bad regex");
    assertThat(problems.get(4).message()).contains("does not compile");
    assertThat(problems.get(5).message()).contains("email, url, phone or date");
    assertThat(problems.get(6).message()).contains("number or an ISO date");
    assertThat(problems.get(7).message()).contains("unknown option 'normalise'");
    assertThat(problems.get(8).message()).contains("missing option 'values'");
    assertThat(problems.get(9).message()).contains("unknown time zone 'Mars/Olympus'");
    assertThat(problems.get(10).message()).contains("5 fields").contains("got 4");
    assertThat(problems.get(11).message()).contains("unknown entity 'rooms'");
  }

  @Test
  void a_cron_with_five_fields_that_db_scheduler_cannot_parse_is_refused() {
    String yaml =
        minimal("  things: {table: Things}\n")
            + """
            schedules:
              - {name: a, cron: "61 2 * * *"}
              - {name: b, cron: "*/15 8-18 * * MON-FRI"}
            """;
    List<ConfigProblem> problems = problems(yaml, Map.of());

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("schedules[0].cron");
              assertThat(p.message()).startsWith("bad cron '61 2 * * *'");
            });
  }

  @Test
  void a_schedule_name_the_api_and_the_service_would_refuse_is_refused_at_its_line() {
    String yaml =
        minimal("  things: {table: Things}\n")
            + "schedules:\n"
            + "  - {name: nightly run, cron: '0 2 * * *'}\n"
            + "  - {name: "
            + "n".repeat(65)
            + ", cron: '0 2 * * *'}\n"
            + "  - {name: "
            + "n".repeat(64)
            + ", cron: '0 2 * * *'}\n";
    List<ConfigProblem> problems = problems(yaml, Map.of());

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.path())
        .containsExactly("7:12 schedules[0].name", "8:12 schedules[1].name");
    assertThat(problems)
        .allSatisfy(
            p ->
                assertThat(p.message())
                    .startsWith("schedule name must be 1 to 64 letters, digits, '.', '_' or '-'"));
  }

  @Test
  void a_schedule_mode_is_full_by_default_incremental_when_asked_and_refused_otherwise() {
    String yaml =
        minimal("  a: {table: A}\n")
            + "schedules:\n  - {name: nightly, cron: '0 2 * * *'}\n"
            + "  - {name: hourly, cron: '5 * * * *', mode: incremental}\n";
    List<ScheduleConfig> schedules = ConfigLoader.parse(yaml, FILE, Map.of()).schedules();

    assertThat(schedules.get(0).mode()).isEqualTo("full");
    assertThat(schedules.get(1).incremental()).isTrue();
    assertThat(
            problems(
                minimal("  a: {table: A}\n")
                    + "schedules:\n  - {name: x, cron: '0 2 * * *', mode: fast}\n",
                Map.of()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("schedules[0].mode");
              assertThat(p.message()).contains("unknown mode 'fast'");
            });
  }

  @Test
  void schedules_default_to_all_entities_and_utc() {
    String yaml =
        minimal("  a: {table: A}\n  b: {table: B}\n")
            + "schedules:\n  - {name: hourly, cron: '5 * * * *'}\n";
    ScheduleConfig schedule = ConfigLoader.parse(yaml, FILE, Map.of()).schedules().getFirst();

    assertThat(schedule.entities()).containsExactly("a", "b");
    assertThat(schedule.timezone()).isEqualTo(java.time.ZoneOffset.UTC);
    assertThat(schedule.springCron()).isEqualTo("0 5 * * * *");
  }

  @Test
  void a_yaml_syntax_error_names_its_line_and_never_quotes_the_source_line() {
    String yaml = "airtable:\n  token: patLITERALSECRET\n  baseId: [unclosed\nentities: {}\n";
    List<ConfigProblem> problems = problems(yaml, Map.of());

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).startsWith("not valid YAML");
              assertThat(p.line()).isGreaterThanOrEqualTo(3);
              assertThat(p.toString()).doesNotContain("patLITERALSECRET");
            });
  }

  @Test
  void a_secret_value_never_appears_in_a_problem() {
    String yaml =
        minimal("  things: {table: Things}\n")
            + "alerts:\n  slack: {webhookUrl: 'not a url SECRETPART'}\n  webhook: {url: ${HOOK}}\n";
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigLoader.parse(yaml, FILE, Map.of("HOOK", "ftp://SECRETHOOK")));

    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage()).doesNotContain("SECRETPART").doesNotContain("SECRETHOOK");
  }

  @Test
  void a_missing_token_is_a_problem_unless_the_environment_supplies_it() {
    String yaml = "airtable:\n  baseId: appB\nentities:\n  t: {table: T}\n";

    assertThat(problems(yaml, Map.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("AIRTABLE_TOKEN"));
    assertThat(ConfigLoader.parse(yaml, FILE, Map.of("AIRTABLE_TOKEN", "t")).airtable().token())
        .isNotNull();
  }

  @Test
  void offline_a_token_that_is_not_set_is_no_problem_and_reads_as_no_token() {
    String placeholder =
        "airtable:\n  baseId: appB\n  token: ${AIRTABLE_TOKEN}\nentities:\n  t: {table: T}\n";
    String none = "airtable:\n  baseId: appB\nentities:\n  t: {table: T}\n";
    Settings unset = Settings.from(Map.of());

    for (String yaml : List.of(placeholder, none)) {
      AirtableConfig airtable = ConfigLoader.parse(yaml, FILE, unset, false).airtable();
      assertThat(airtable.token()).isSameAs(AirtableConfig.NO_TOKEN);
      assertThat(airtable.tokenSet()).isFalse();
    }
    assertThat(
            ConfigLoader.parse(
                    placeholder, FILE, Settings.from(Map.of("AIRTABLE_TOKEN", "t")), false)
                .airtable()
                .tokenSet())
        .isTrue();
    assertThat(problems(placeholder, Map.of()))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.message())
                    .isEqualTo(
                        "environment variable AIRTABLE_TOKEN is not set: the Airtable token is"
                            + " needed to read the base (validate --online, run, serve); only"
                            + " offline validate does without it"));
  }

  @Test
  void options_may_sit_beside_the_type_or_inside_it_and_ids_and_severity_are_read() {
    String yaml =
        minimal(
            """
              things:
                table: Things
                checks:
                  - unique: [Email, Name]
                    normalize: yes
                    id: email-and-name
                    severity: warn
                  - link: Teacher
                    to: things
                    max: 2
                  - required: Name
            """);
    List<CheckSpec> checks = ConfigLoader.parse(yaml, FILE, Map.of()).entity("things").checks();

    assertThat(checks.get(0))
        .isEqualTo(
            new CheckSpec.Unique(
                List.of("Email", "Name"),
                true,
                "email-and-name",
                Severity.WARN,
                checks.get(0).location()));
    assertThat(checks.get(1))
        .isEqualTo(
            new CheckSpec.Link("Teacher", "things", 0, 2, null, null, checks.get(1).location()));
    assertThat(checks.get(2).id()).isEqualTo("required:Name");
  }

  @Test
  void two_checks_with_the_same_id_are_refused() {
    String yaml =
        minimal(
            """
              things:
                table: Things
                checks:
                  - pattern: {field: Code, regex: '^A'}
                  - pattern: {field: Code, regex: 'Z$'}
            """);
    assertThat(problems(yaml, Map.of()))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).contains("duplicate check id 'pattern:Code'");
              assertThat(p.line()).isEqualTo(9);
            });
  }

  @Test
  void mistyped_options_are_refused_with_what_was_expected() {
    String yaml =
        minimal(
            """
              things:
                table: Things
                checks:
                  - link: {field: T, to: things, min: -1, max: many}
                  - unique: {fields: {a: b}, normalize: maybe}
                  - required: []
                  - rule: {expr: 'true', severity: fatal}
            """);
    assertThat(problems(yaml, Map.of()))
        .extracting(ConfigProblem::message)
        .containsExactly(
            "expected a whole number of at least 0, got '-1'",
            "expected a whole number of at least 0, got 'many'",
            "expected a single value, got a mapping",
            "expected true or false, got 'maybe'",
            "name at least one field, and no empty field names",
            "severity must be fail or warn, got 'fatal'",
            "missing option 'name'");
  }

  @Test
  void limits_that_do_not_nest_are_refused_at_load_naming_both_limits() {
    String yaml = minimal("  things: {table: Things}\n");
    List<ConfigProblem> problems =
        problems(
            yaml,
            Map.of("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "2000", "MAX_RUN_DURATION_SECONDS", "1800"));

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isNull();
              assertThat(p.message())
                  .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS")
                  .contains("MAX_RUN_DURATION_SECONDS");
            });
  }

  @Test
  void a_missing_file_is_a_problem_naming_the_file() {
    Path missing = dir.resolve("nope.yml");
    assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("not found");
  }

  @Test
  void the_demo_fixture_uses_every_check_type_and_loads() throws Exception {
    Path file = dir.resolve("demo.yml");
    Files.writeString(file, resource("demo-integrity.yml"));
    IntegrityConfig config = ConfigLoader.load(file, Map.of("AIRTABLE_TOKEN", "t"));

    assertThat(
            config.entities().values().stream()
                .flatMap(e -> e.checks().stream())
                .map(CheckSpec::type)
                .distinct())
        .containsExactlyInAnyOrder(
            "required", "unique", "allowed", "pattern", "format", "range", "link", "rule");
  }

  @Test
  void the_examples_demo_config_is_in_the_contract_format_when_present() {
    Path demo = Path.of("examples/demo/integrity.yml");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.exists(demo), "examples/demo/integrity.yml is not on this branch yet");
    IntegrityConfig config =
        ConfigLoader.load(
            demo, Map.of("AIRTABLE_TOKEN", "t", "SLACK_WEBHOOK_URL", "https://hooks.example/x"));
    assertThat(config.entities()).isNotEmpty();
  }
}
