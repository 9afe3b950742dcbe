package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void an_empty_environment_gives_the_contract_defaults() {
    Settings settings = Settings.from(Map.of());

    assertThat(settings.overrides()).isEqualTo(Overrides.none());
    assertThat(settings.store().url()).isEqualTo("jdbc:sqlite:data/integrity.db");
    assertThat(settings.logging()).isEqualTo(LogSettings.defaults());
    assertThat(settings.limits()).isEqualTo(Limits.defaults());
    assertThat(settings.adjustments()).isEmpty();
    assertThat(settings.apiToken()).isNull();
    assertThat(settings.schedulePolling()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(settings.scheduledRunsPerInstance()).isEqualTo(10);
  }

  @Test
  void every_variable_is_read_and_the_token_wins_over_its_alias() {
    Settings settings =
        Settings.from(
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
                Map.entry("LOG_FORMAT", "json"),
                Map.entry("INTEGRITY_LOG_LEVEL", "debug"),
                Map.entry("SCHEDULE_POLL_INTERVAL_SECONDS", "2"),
                Map.entry("SCHEDULED_RUNS_PER_INSTANCE", "3")));
    Overrides env = settings.overrides();

    assertThat(env.airtableToken().reveal()).isEqualTo("tok");
    assertThat(env.airtableBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8081"));
    assertThat(settings.store())
        .isEqualTo(
            new dev.integrity.store.StoreSettings(
                "jdbc:postgresql://db/integrity", "app", new dev.integrity.Secret("dbpw")));
    assertThat(settings.withStoreUrl("jdbc:sqlite:x.db").store().url())
        .isEqualTo("jdbc:sqlite:x.db");
    assertThat(settings.withStoreUrl("jdbc:sqlite:x.db").store().user()).isEqualTo("app");
    assertThat(settings.apiToken().reveal()).isEqualTo("api");
    assertThat(settings.schedulePolling()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(settings.scheduledRunsPerInstance()).isEqualTo(3);
    assertThat(env.slackWebhookUrl().reveal()).isEqualTo("https://hooks.slack.com/x");
    assertThat(env.alertWebhookUrl().reveal()).isEqualTo("https://hooks.example/y");
    assertThat(env.smtpHost()).isEqualTo("smtp.example");
    assertThat(env.smtpPort()).isEqualTo(2525);
    assertThat(env.smtpUser()).isEqualTo("mailer");
    assertThat(env.smtpPassword().reveal()).isEqualTo("mailpw");
    assertThat(env.alertEmailFrom()).isEqualTo("runner@example.com");
    assertThat(env.alertEmailTo()).isEqualTo(List.of("a@example.com", "b@example.com"));
    assertThat(settings.logging()).isEqualTo(new LogSettings(LogSettings.Format.JSON, "DEBUG"));
    assertThat(settings.toString() + env)
        .doesNotContain("tok,")
        .doesNotContain("tok]")
        .doesNotContain("dbpw")
        .doesNotContain("mailpw")
        .doesNotContain("hooks.slack.com/x")
        .doesNotContain("=api");
  }

  @Test
  void bad_values_are_refused_naming_each_variable_without_quoting_secrets() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                Settings.from(
                    Map.of(
                        "SMTP_PORT", "70000",
                        "LOG_FORMAT", "xml",
                        "INTEGRITY_LOG_LEVEL", "loud",
                        "SLACK_WEBHOOK_URL", "hooks.slack.com/SECRETPATH",
                        "AIRTABLE_BASE_URL", "ftp://x",
                        "SCHEDULED_RUNS_PER_INSTANCE", "0")));

    assertThat(e.problems())
        .extracting(ConfigProblem::path)
        .containsExactlyInAnyOrder(
            "SMTP_PORT",
            "LOG_FORMAT",
            "INTEGRITY_LOG_LEVEL",
            "SLACK_WEBHOOK_URL",
            "AIRTABLE_BASE_URL",
            "SCHEDULED_RUNS_PER_INSTANCE");
    assertThat(e.getMessage()).doesNotContain("SECRETPATH");
  }

  @Test
  void a_run_deadline_alone_lowers_the_default_request_deadline_and_says_so() {
    Settings settings = Settings.from(Map.of("MAX_RUN_DURATION_SECONDS", "60"));

    assertThat(settings.limits().maxRunDuration()).hasSeconds(60);
    assertThat(settings.limits().requestTimeout()).hasSeconds(30);
    assertThat(settings.adjustments())
        .singleElement()
        .asString()
        .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS left at its default (300 s) lowered to 30 s");
  }

  @Test
  void two_limits_the_user_set_that_do_not_nest_are_refused_naming_both() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                Settings.from(
                    Map.of(
                        "MAX_RUN_DURATION_SECONDS", "60",
                        "AIRTABLE_REQUEST_TIMEOUT_SECONDS", "90")));

    assertThat(e.getMessage())
        .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS (90 s)")
        .contains("MAX_RUN_DURATION_SECONDS (60 s)");
  }

  @Test
  void the_demo_points_the_settings_at_its_simulator_and_keeps_a_rate_the_user_set() {
    Settings plain = Settings.from(Map.of("AIRTABLE_TOKEN", "real"));
    Settings demo =
        plain
            .withDefaultRateLimit(20)
            .withAirtable(URI.create("http://127.0.0.1:9"), new dev.integrity.Secret("sim"));

    assertThat(demo.limits().rateLimitPerSecond()).isEqualTo(20);
    assertThat(demo.overrides().airtableToken().reveal()).isEqualTo("sim");
    assertThat(demo.variables()).containsEntry("AIRTABLE_TOKEN", "sim");
    assertThat(
            Settings.from(Map.of("AIRTABLE_RATE_LIMIT_PER_SECOND", "3"))
                .withDefaultRateLimit(20)
                .limits()
                .rateLimitPerSecond())
        .isEqualTo(3);
  }
}
