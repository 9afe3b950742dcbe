package dev.integrity.run;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.check.CheckEngine;
import dev.integrity.config.IntegrityConfig;
import java.util.Objects;

/**
 * What a run of one base needs: its config, compiled checks and the client that talks to it.
 * Immutable; the client is shared by every run of the base (it holds the base's rate limiter).
 */
public record RunPlan(IntegrityConfig config, CheckEngine checks, AirtableClient client) {
  public RunPlan {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(client, "client");
  }

  public String baseId() {
    return config.airtable().baseId();
  }
}
