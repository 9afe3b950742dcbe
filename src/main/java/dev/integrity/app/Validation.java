package dev.integrity.app;

import dev.integrity.config.IntegrityConfig;
import dev.integrity.cost.Projection;
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
   * @param costs each schedule's projected month of API calls (online only, else empty)
   */
  public record Config(
      IntegrityConfig config, List<String> schemaProblems, List<Projection> costs) {
    public Config {
      schemaProblems = schemaProblems == null ? null : List.copyOf(schemaProblems);
      costs = costs == null ? List.of() : List.copyOf(costs);
    }

    public Config(IntegrityConfig config, List<String> schemaProblems) {
      this(config, schemaProblems, List.of());
    }

    public int checks() {
      return config.entities().values().stream().mapToInt(e -> e.checks().size()).sum();
    }
  }
}
