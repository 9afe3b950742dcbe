package dev.integrity.config;

import dev.integrity.Secret;
import java.time.Duration;

/**
 * Alert channels (each null when not configured; webhook URLs are secrets), whether a run with new
 * {@code fail} issues raises an alert for the entities without an owner, and how often a condition
 * that stays open is repeated ({@code alerts.repeatAfter}). Immutable and thread-safe.
 */
public record AlertsConfig(
    Secret slackWebhookUrl,
    Secret webhookUrl,
    EmailConfig email,
    boolean onNewFailIssues,
    Duration repeatAfter) {
  /** {@code alerts.repeatAfter} when the config does not say. */
  public static final Duration DEFAULT_REPEAT_AFTER = Duration.ofHours(24);

  public AlertsConfig {
    repeatAfter = repeatAfter == null ? DEFAULT_REPEAT_AFTER : repeatAfter;
    if (repeatAfter.isNegative() || repeatAfter.isZero()) {
      throw new IllegalArgumentException("repeatAfter must be positive, was " + repeatAfter);
    }
  }

  /** Channels with the default {@code repeatAfter} (24 h). */
  public AlertsConfig(
      Secret slackWebhookUrl, Secret webhookUrl, EmailConfig email, boolean onNewFailIssues) {
    this(slackWebhookUrl, webhookUrl, email, onNewFailIssues, DEFAULT_REPEAT_AFTER);
  }

  /** No channel configured. */
  public static AlertsConfig none() {
    return new AlertsConfig(null, null, null, false);
  }

  /** Whether some channel is configured. */
  public boolean hasChannel() {
    return slackWebhookUrl != null || webhookUrl != null || email != null;
  }

  @Override
  public String toString() {
    // Secret prints as ****; spelled out so a future field cannot leak by accident.
    return "AlertsConfig[slack="
        + (slackWebhookUrl == null ? "none" : "****")
        + ", webhook="
        + (webhookUrl == null ? "none" : "****")
        + ", email="
        + (email == null ? "none" : email.host())
        + ", onNewFailIssues="
        + onNewFailIssues
        + ", repeatAfter="
        + repeatAfter
        + "]";
  }
}
