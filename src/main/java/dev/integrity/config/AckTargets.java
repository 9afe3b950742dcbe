package dev.integrity.config;

import java.util.Collection;
import java.util.List;

/**
 * Checks what an acknowledgement names against the configs served: the base, the entity and the
 * check must exist, so a typo is refused instead of acknowledging nothing forever. Fills in the
 * base when the entity belongs to one config only. Stateless and thread-safe.
 */
public final class AckTargets {
  private AckTargets() {}

  /**
   * The base of the acknowledged entity.
   *
   * @param baseId the base named, or null
   * @throws IllegalArgumentException naming what is unknown and what there is
   */
  public static String baseOf(
      Collection<IntegrityConfig> configs, String baseId, String entity, String checkId) {
    List<IntegrityConfig> candidates =
        configs.stream()
            .filter(c -> baseId == null || c.airtable().baseId().equals(baseId))
            .toList();
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException(
          "base: '"
              + baseId
              + "' is not served here; one of "
              + configs.stream().map(c -> c.airtable().baseId()).toList());
    }
    List<IntegrityConfig> withEntity =
        candidates.stream().filter(c -> c.entities().containsKey(entity)).toList();
    if (withEntity.isEmpty()) {
      throw new IllegalArgumentException(
          "entity: '"
              + entity
              + "' is not configured; one of "
              + candidates.stream().flatMap(c -> c.entities().keySet().stream()).toList());
    }
    if (withEntity.size() > 1) {
      throw new IllegalArgumentException(
          "base: entity '"
              + entity
              + "' is in several bases; name one of "
              + withEntity.stream().map(c -> c.airtable().baseId()).toList());
    }
    IntegrityConfig config = withEntity.get(0);
    List<String> checks =
        config.entities().get(entity).checks().stream().map(CheckSpec::id).toList();
    if (!checks.contains(checkId)) {
      throw new IllegalArgumentException(
          "check: '" + checkId + "' is not a check of " + entity + "; one of " + checks);
    }
    return config.airtable().baseId();
  }
}
