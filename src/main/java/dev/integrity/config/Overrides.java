package dev.integrity.config;

import dev.integrity.Secret;
import java.net.URI;
import java.util.List;

/**
 * What the environment sets over every config file (the contract: "each overrides the config
 * file"): the Airtable token and API root, and the alert channels. A field is null when its
 * variable is unset or blank. Immutable and thread-safe; secrets print as {@code ****}.
 */
public record Overrides(
    Secret airtableToken,
    URI airtableBaseUrl,
    Secret slackWebhookUrl,
    Secret alertWebhookUrl,
    String smtpHost,
    Integer smtpPort,
    String smtpUser,
    Secret smtpPassword,
    String alertEmailFrom,
    List<String> alertEmailTo) {

  public Overrides {
    alertEmailTo = alertEmailTo == null ? List.of() : List.copyOf(alertEmailTo);
  }

  /** No overrides: every value comes from the config file or its default. */
  public static Overrides none() {
    return new Overrides(null, null, null, null, null, null, null, null, null, List.of());
  }

  /** {@code AIRTABLE_TOKEN} wins over its alias {@code AIRTABLE_API_KEY}. */
  static Overrides read(EnvReader env) {
    Secret token = env.secret("AIRTABLE_TOKEN");
    if (token == null) {
      token = env.secret("AIRTABLE_API_KEY");
    }
    return new Overrides(
        token,
        env.httpUrl("AIRTABLE_BASE_URL"),
        env.secretUrl("SLACK_WEBHOOK_URL"),
        env.secretUrl("ALERT_WEBHOOK_URL"),
        env.text("SMTP_HOST"),
        env.port("SMTP_PORT"),
        env.text("SMTP_USER"),
        env.secret("SMTP_PASSWORD"),
        env.text("ALERT_EMAIL_FROM"),
        env.list("ALERT_EMAIL_TO"));
  }

  /** The same overrides pointing at another Airtable (the demo's simulator). */
  public Overrides withAirtable(URI baseUrl, Secret token) {
    return new Overrides(
        token,
        baseUrl,
        slackWebhookUrl,
        alertWebhookUrl,
        smtpHost,
        smtpPort,
        smtpUser,
        smtpPassword,
        alertEmailFrom,
        alertEmailTo);
  }
}
