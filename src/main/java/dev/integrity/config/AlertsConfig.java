package dev.integrity.config;

import dev.integrity.Secret;

/**
 * Alert channels (each null when not configured; webhook URLs are secrets) and whether a run with
 * new {@code fail} issues raises an alert. Immutable and thread-safe.
 */
public record AlertsConfig(
    Secret slackWebhookUrl, Secret webhookUrl, EmailConfig email, boolean onNewFailIssues) {

  /** No channel configured. */
  public static AlertsConfig none() {
    return new AlertsConfig(null, null, null, false);
  }
}
