package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrity.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code entities.E.owner} and {@code alerts.repeatAfter} (issue 22, items 2 and 3). */
class OwnerConfigTest {
  private static final Path FILE = Path.of("integrity.yml");
  private static final String SLACK = "https://hooks.slack.com/services/T0/B0/staff-secret";
  private static final String SMTP =
      """
      alerts:
        email: {host: smtp.school.org, from: integrity@school.org, to: [ops@school.org]}
      """;

  private static String config(String entities, String rest) {
    return """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
        """
        + entities
        + rest;
  }

  private static IntegrityConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, FILE, env);
  }

  private static List<ConfigProblem> problems(String yaml) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems();
  }

  @Test
  void an_owner_with_slack_from_the_environment_e_mail_and_a_webhook_is_read() {
    IntegrityConfig config =
        parse(
            config(
                """
                  teachers:
                    table: Teachers
                    owner:
                      name: Staff office
                      slack: {webhookUrl: ${STAFF_SLACK_URL}}
                      email: [office@school.org, head@school.org]
                      webhook: {url: "https://hooks.example.org/staff"}
                  classes: {table: Classes}
                """,
                SMTP),
            Map.of("STAFF_SLACK_URL", SLACK));

    OwnerConfig owner = config.entity("teachers").owner();
    assertThat(owner.name()).isEqualTo("Staff office");
    assertThat(owner.slackWebhookUrl()).isEqualTo(new Secret(SLACK));
    assertThat(owner.webhookUrl()).isEqualTo(new Secret("https://hooks.example.org/staff"));
    assertThat(owner.email()).containsExactly("office@school.org", "head@school.org");
    // A block mapping starts at its first key.
    assertThat(owner.location().line()).isEqualTo(8);
    assertThat(owner.toString()).doesNotContain("staff-secret").doesNotContain("/staff\"");
    assertThat(config.entity("classes").owner()).isNull();
  }

  @Test
  void an_owner_needs_a_name_and_at_least_one_channel() {
    List<ConfigProblem> problems =
        problems(
            config(
                """
                  teachers:
                    table: Teachers
                    owner: {slack: {webhookUrl: "https://hooks.slack.com/x"}}
                  classes:
                    table: Classes
                    owner: {name: Registrar}
                """,
                ""));

    assertThat(problems)
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder("entities.teachers.owner.name", "entities.classes.owner");
    assertThat(problems)
        .filteredOn(p -> p.path().equals("entities.classes.owner"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isEqualTo(10);
              assertThat(p.message()).contains("'Registrar' needs at least one channel");
            });
    assertThat(problems.toString()).contains("integrity.yml");
  }

  @Test
  void a_bad_owner_webhook_url_is_refused_without_showing_it() {
    List<ConfigProblem> problems =
        problems(
            config(
                """
                  teachers:
                    table: Teachers
                    owner: {name: Staff, webhook: {url: "ftp://secret-token@host/x"}}
                """,
                ""));

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("entities.teachers.owner.webhook.url");
              assertThat(p.line()).isEqualTo(7);
              assertThat(p.message()).contains("http(s) URL").doesNotContain("secret-token");
            });
  }

  @Test
  void an_owner_s_e_mail_needs_the_base_s_smtp_settings_and_real_addresses() {
    List<ConfigProblem> noSmtp =
        problems(
            config(
                """
                  teachers:
                    table: Teachers
                    owner: {name: Staff, email: office@school.org}
                """,
                ""));
    assertThat(noSmtp)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("entities.teachers.owner.email");
              assertThat(p.line()).isEqualTo(7);
              assertThat(p.message()).contains("SMTP");
            });

    List<ConfigProblem> badAddress =
        problems(
            config(
                """
                  teachers:
                    table: Teachers
                    owner: {name: Staff, email: [office@school.org, not-an-address]}
                """,
                SMTP));
    assertThat(badAddress)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("entities.teachers.owner.email");
              assertThat(p.message()).contains("'not-an-address' is not an e-mail address");
            });
  }

  @Test
  void two_entities_may_share_an_owner_but_not_with_different_channels() {
    IntegrityConfig shared =
        parse(
            config(
                """
                  teachers: {table: Teachers, owner: {name: Staff, email: [a@school.org]}}
                  rooms: {table: Rooms, owner: {name: Staff, email: [a@school.org]}}
                """,
                SMTP),
            Map.of());
    assertThat(shared.entity("rooms").owner().sameChannels(shared.entity("teachers").owner()))
        .isTrue();

    List<ConfigProblem> problems =
        problems(
            config(
                """
                  teachers: {table: Teachers, owner: {name: Staff, email: [a@school.org]}}
                  rooms: {table: Rooms, owner: {name: Staff, email: [b@school.org]}}
                """,
                SMTP));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("entities.rooms.owner");
              assertThat(p.message()).contains("also named at line 5 with other channels");
            });
  }

  @Test
  void an_unknown_owner_key_is_named_with_its_line() {
    List<ConfigProblem> problems =
        problems(
            config(
                """
                  teachers:
                    table: Teachers
                    owner:
                      name: Staff
                      slack: {webhookUrl: "https://hooks.slack.com/x"}
                      phone: 555
                """,
                ""));

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("entities.teachers.owner.phone");
              assertThat(p.line()).isEqualTo(10);
            });
  }

  @Test
  void repeat_after_defaults_to_24_hours_and_takes_minutes_hours_or_days() {
    String entity = "  teachers: {table: Teachers}\n";
    assertThat(parse(config(entity, ""), Map.of()).alerts().repeatAfter())
        .isEqualTo(Duration.ofHours(24));
    assertThat(
            parse(config(entity, "alerts: {repeatAfter: 90m}\n"), Map.of()).alerts().repeatAfter())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(
            parse(config(entity, "alerts: {repeatAfter: 2d}\n"), Map.of()).alerts().repeatAfter())
        .isEqualTo(Duration.ofDays(2));
  }

  @Test
  void a_repeat_after_that_is_not_a_positive_duration_is_refused_with_its_line() {
    for (String bad : List.of("0h", "soon", "-1h", "24")) {
      List<ConfigProblem> problems =
          problems(
              config("  teachers: {table: Teachers}\n", "alerts:\n  repeatAfter: " + bad + "\n"));
      assertThat(problems)
          .as(bad)
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.path()).isEqualTo("alerts.repeatAfter");
                assertThat(p.line()).isEqualTo(7);
                assertThat(p.message()).contains("90m, 24h or 7d");
              });
    }
  }
}
