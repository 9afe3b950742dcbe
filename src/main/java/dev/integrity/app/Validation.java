package dev.integrity.app;

import dev.integrity.config.IntegrityConfig;
import java.util.List;

/**
 * What {@code validate} found: each config, valid (else loading it threw), and, when checked
 * online, what its checks name that the base's schema does not have. Immutable.
 */
public record Validation(List<Config> configs) {
  public Validation {
    configs = List.copyOf(configs);
  }

  /**
   * One config file and its online problems.
   *
   * @param schemaProblems null when the schema was not fetched; empty when everything exists
   */
  public record Config(IntegrityConfig config, List<String> schemaProblems) {
    public Config {
      schemaProblems = schemaProblems == null ? null : List.copyOf(schemaProblems);
    }

    public int checks() {
      return config.entities().values().stream().mapToInt(e -> e.checks().size()).sum();
    }
  }
}
