package dev.integrity.config;

import dev.integrity.Secret;
import java.net.URI;
import java.util.Objects;

/**
 * Which base to read and how: base id, personal access token (prints as {@code ****}) and API root
 * ({@code https://api.airtable.com} unless overridden). Immutable and thread-safe.
 */
public record AirtableConfig(String baseId, Secret token, URI baseUrl) {
  public AirtableConfig {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(baseUrl, "baseUrl");
  }
}
