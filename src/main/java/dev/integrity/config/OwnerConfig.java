package dev.integrity.config;

import dev.integrity.Secret;
import java.util.List;
import java.util.Objects;

/**
 * Who answers for an entity's issues ({@code entities.E.owner}): a name, and the channels its
 * alerts and digests go to instead of the base's. Webhook URLs are secrets; e-mail goes through the
 * base's SMTP settings ({@code alerts.email}) to these addresses. At least one channel is set.
 * Immutable and thread-safe.
 *
 * @param slackWebhookUrl a Slack incoming webhook, or null
 * @param webhookUrl a generic JSON webhook, or null
 * @param email addresses, empty for none
 * @param location where the owner was written (for cross-section errors)
 */
public record OwnerConfig(
    String name, Secret slackWebhookUrl, Secret webhookUrl, List<String> email, Location location) {
  public OwnerConfig {
    Objects.requireNonNull(name, "name");
    email = List.copyOf(email);
    if (slackWebhookUrl == null && webhookUrl == null && email.isEmpty()) {
      throw new IllegalArgumentException("owner " + name + " has no channel");
    }
  }

  /** Whether {@code other} sends to the same places (its location may differ). */
  public boolean sameChannels(OwnerConfig other) {
    return Objects.equals(slackWebhookUrl, other.slackWebhookUrl)
        && Objects.equals(webhookUrl, other.webhookUrl)
        && email.equals(other.email);
  }
}
