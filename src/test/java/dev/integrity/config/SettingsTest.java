package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvSettingsTest {

  @Test
  void an_empty_environment_gives_the_contract_defaults() {
    EnvSettings env = EnvSettings.from(Map.of());

    assertThat(env.airtableToken()).isNull();
    assertThat(env.airtableBaseUrl()).isNull();
    assertThat(env.dbUrl()).isEqualTo("jdbc:sqlite:data/integrity.db");
    assertThat(env.logFormat()).isEqualTo(EnvSettings.LogFormat.TEXT);
    assertThat(env.alertEmailTo()).isEmpty();
    assertThat(env.limits()).isEqualTo(Limits.defaults());
  }

  @Test
  void every_variable_is_read_and_the_token_wins_over_its_alias() {
    EnvSettings env =
        EnvSettings.from(
            Map.ofEntries(
                Map.entry("AIRTABLE_TOKEN", "tok"),
                Map.entry("AIRTABLE_API_KEY", "alias"),
                Map.entry("AIRTABLE_BASE_URL", "http://127.0.0.1:8081"),
                Map.entry("INTEGRITY_DB_URL", "jdbc:postgresql://db/integrity"),
                Map.entry("INTEGRITY_DB_USER", "app"),
                Map.entry("INTEGRITY_DB_PASSWORD", "dbpw"),
                Map.entry("INTEGRITY_API_TOKEN", "api"),
                Map.entry("SLACK_WEBHOOK_URL", "https://hooks.slack.com/x"),
                Map.entry("ALERT_WEBHOOK_URL", "https://hooks.example/y"),
                Map.entry("SMTP_HOST", "smtp.example"),
                Map.entry("SMTP_PORT", "2525"),
                Map.entry("SMTP_USER", "mailer"),
                Map.entry("SMTP_PASSWORD", "mailpw"),
                Map.entry("ALERT_EMAIL_FROM", "runner@example.com"),
                Map.entry("ALERT_EMAIL_TO", "a@example.com, b@example.com"),
                Map.entry("LOG_FORMAT", "json")));

    assertThat(env.airtableToken().reveal()).isEqualTo("tok");
    assertThat(env.airtableBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8081"));
    assertThat(env.dbUrl()).isEqualTo("jdbc:postgresql://db/integrity");
    assertThat(env.dbUser()).isEqualTo("app");
    assertThat(env.dbPassword().reveal()).isEqualTo("dbpw");
    assertThat(env.apiToken().reveal()).isEqualTo("api");
    assertThat(env.slackWebhookUrl().reveal()).isEqualTo("https://hooks.slack.com/x");
    assertThat(env.alertWebhookUrl().reveal()).isEqualTo("https://hooks.example/y");
    assertThat(env.smtpHost()).isEqualTo("smtp.example");
    assertThat(env.smtpPort()).isEqualTo(2525);
    assertThat(env.smtpUser()).isEqualTo("mailer");
    assertThat(env.smtpPassword().reveal()).isEqualTo("mailpw");
    assertThat(env.alertEmailFrom()).isEqualTo("runner@example.com");
    assertThat(env.alertEmailTo()).isEqualTo(List.of("a@example.com", "b@example.com"));
    assertThat(env.logFormat()).isEqualTo(EnvSettings.LogFormat.JSON);
    assertThat(env.toString())
        .doesNotContain("tok,")
        .doesNotContain("dbpw")
        .doesNotContain("mailpw");
  }

  @Test
  void bad_values_are_refused_naming_each_variable_without_quoting_secrets() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSettings.from(
                    Map.of(
                        "SMTP_PORT", "70000",
                        "LOG_FORMAT", "xml",
                        "SLACK_WEBHOOK_URL", "hooks.slack.com/SECRETPATH",
                        "AIRTABLE_BASE_URL", "ftp://x")));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "SMTP_PORT", "LOG_FORMAT", "SLACK_WEBHOOK_URL", "AIRTABLE_BASE_URL");
    assertThat(e.getMessage()).doesNotContain("SECRETPATH");
  }
}
