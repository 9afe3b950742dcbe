package dev.integrity.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one run's check of an entity covered: the ids of the checks configured for it, and the parts
 * of them that did not run (a link whose target was not fetched checks only its counts). The store
 * compares a run with the last one that checked the entity through it: an earlier open issue absent
 * now is {@code retired} when its check is no longer configured, stays open when a part that did
 * not run covers it, and is {@code resolved} only otherwise. Immutable and thread-safe.
 *
 * @param configuredChecks every check id of the entity in the run's config, in config order
 * @param notEvaluated the parts that did not run, in config order; empty for a complete check
 */
public record EntityCoverage(
    String entity, List<String> configuredChecks, List<NotEvaluated> notEvaluated) {
  public EntityCoverage {
    Objects.requireNonNull(entity, "entity");
    configuredChecks = List.copyOf(new LinkedHashSet<>(configuredChecks));
    notEvaluated = List.copyOf(notEvaluated);
    for (NotEvaluated part : notEvaluated) {
      if (!configuredChecks.contains(part.checkId())) {
        throw new IllegalArgumentException(
            "entity "
                + entity
                + ": check "
                + part.checkId()
                + " did not run in part, yet it is not configured");
      }
    }
  }

  /** Every configured check ran whole. */
  public static EntityCoverage complete(String entity, List<String> configuredChecks) {
    return new EntityCoverage(entity, configuredChecks, List.of());
  }

  /**
   * The ids of the checks that did not run whole, each once, in config order: the entity's {@code
   * "partialChecks"} in the run JSON.
   */
  public List<String> partialChecks() {
    Set<String> ids = new LinkedHashSet<>();
    notEvaluated.forEach(part -> ids.add(part.checkId()));
    return List.copyOf(ids);
  }

  /** Whether an earlier issue of this check on this field is one this run could not have found. */
  public boolean unknown(String checkId, String field) {
    return notEvaluated.stream().anyMatch(part -> part.covers(checkId, field));
  }

  /**
   * A part of a check that did not run, and so which of its issues this run can say nothing about.
   * Immutable and thread-safe.
   */
  public sealed interface NotEvaluated {
    String checkId();

    /** Whether an issue of {@code checkId} on {@code field} (null for none) is in this part. */
    boolean covers(String checkId, String field);

    /**
     * The whole check did not run: e.g. a {@code rule} reading {@code linked(r, …)} whose target
     * was not fetched.
     */
    record WholeCheck(String checkId) implements NotEvaluated {
      public WholeCheck {
        Objects.requireNonNull(checkId, "checkId");
      }

      @Override
      public boolean covers(String checkId, String field) {
        return this.checkId.equals(checkId);
      }
    }

    /**
     * Only the issues of the check whose field starts with {@code prefix} could not be found: the
     * dangling-id part of a {@code link} (fields {@code "Teacher:rec…"}) when its target was not
     * fetched, while its counts were checked.
     */
    record FieldsStartingWith(String checkId, String prefix) implements NotEvaluated {
      public FieldsStartingWith {
        Objects.requireNonNull(checkId, "checkId");
        if (prefix == null || prefix.isEmpty()) {
          throw new IllegalArgumentException("a field prefix must not be empty; use WholeCheck");
        }
      }

      @Override
      public boolean covers(String checkId, String field) {
        return this.checkId.equals(checkId) && field != null && field.startsWith(prefix);
      }
    }
  }
}
