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
  public AirtableConfig {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(baseUrl, "baseUrl");
    monthlyCallBudget = monthlyCallBudget == null ? CallBudget.none() : monthlyCallBudget;
  }

  /** Without a monthly call budget. */
  public AirtableConfig(String baseId, Secret token, URI baseUrl) {
    this(baseId, token, baseUrl, CallBudget.none());
  }
}
