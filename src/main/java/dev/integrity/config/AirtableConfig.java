package dev.integrity.config;

import dev.integrity.Secret;
import java.net.URI;
import java.util.Objects;

/**
 * Which base to read and how: base id, personal access token (prints as {@code ****}), API root
 * ({@code https://api.airtable.com} unless overridden) and the workspace's monthly call budget.
 * Immutable and thread-safe.
 */
public record AirtableConfig(
    String baseId, Secret token, URI baseUrl, CallBudget monthlyCallBudget) {
  /**
   * The token of a config loaded for offline {@code validate} ({@link ConfigLoader#loadOffline})
   * that sets none: never sent, since such a config reads no base. A real token is never blank.
   */
  public static final Secret NO_TOKEN = new Secret("");

  public AirtableConfig {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(baseUrl, "baseUrl");
    monthlyCallBudget = monthlyCallBudget == null ? CallBudget.none() : monthlyCallBudget;
  }

  /** False when the token was not set and the config was loaded offline ({@link #NO_TOKEN}). */
  public boolean tokenSet() {
    return !token.reveal().isEmpty();
  }

  /** Without a monthly call budget. */
  public AirtableConfig(String baseId, Secret token, URI baseUrl) {
    this(baseId, token, baseUrl, CallBudget.none());
  }
}
