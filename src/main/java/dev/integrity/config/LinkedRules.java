package dev.integrity.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that read other entities through {@code linked(r, "Field")}: which entity each link field
 * leads to (the entity's {@code link} check on that field says), which entities a rule so reads,
 * and which of their fields. The run waits for those entities, asks Airtable for those fields and
 * keeps them in the mirror. Stateless.
 */
public final class LinkedRules {
  private LinkedRules() {}

  /** Link field to target entity, from the entity's {@code link} checks (the first one wins). */
  public static Map<String, String> linkTargets(List<CheckSpec> checks) {
    Map<String, String> targets = new LinkedHashMap<>();
    for (CheckSpec check : checks) {
      if (check instanceof CheckSpec.Link link) {
        targets.putIfAbsent(link.field(), link.to());
      }
    }
    return targets;
  }

  /**
   * The target entities a rule reads through {@code linked}, in order of first use; a link field
   * without a {@code link} check leads nowhere and is left out ({@link #problems} names it).
   */
  public static Set<String> targetsOf(CheckSpec.Rule rule, Map<String, String> linkTargets) {
    Set<String> targets = new LinkedHashSet<>();
    for (String field : RuleLanguage.recordReads(rule.expr()).linked().keySet()) {
      String to = linkTargets.get(field);
      if (to != null) {
        targets.add(to);
      }
    }
    return targets;
  }

  /** Every entity that some rule of {@code entity} reads through {@code linked}. */
  public static Set<String> targetsOf(EntityConfig entity) {
    Map<String, String> linkTargets = linkTargets(entity.checks());
    Set<String> targets = new LinkedHashSet<>();
    for (CheckSpec check : entity.checks()) {
      if (check instanceof CheckSpec.Rule rule) {
        targets.addAll(targetsOf(rule, linkTargets));
      }
    }
    return targets;
  }

  /**
   * What the rules of every entity read of {@code target}'s records through {@code linked}: the
   * fields they name, and whether one of them uses a linked record whole (then every field).
   */
  public static RuleLanguage.TargetReads readsOf(IntegrityConfig config, String target) {
    Set<String> fields = new LinkedHashSet<>();
    boolean whole = false;
    for (EntityConfig entity : config.entities().values()) {
      Map<String, String> linkTargets = linkTargets(entity.checks());
      for (CheckSpec check : entity.checks()) {
        if (check instanceof CheckSpec.Rule rule) {
          for (var read : RuleLanguage.recordReads(rule.expr()).linked().entrySet()) {
            if (target.equals(linkTargets.get(read.getKey()))) {
              fields.addAll(read.getValue().fields());
              whole |= read.getValue().wholeRecord();
            }
          }
        }
      }
    }
    return new RuleLanguage.TargetReads(List.copyOf(fields), whole);
  }

  /**
   * One problem per rule and link field it reads through {@code linked} that no {@code link} check
   * of the same entity names: without one the rule cannot know which entity the ids belong to.
   */
  public static List<ConfigProblem> problems(List<CheckSpec> checks) {
    Map<String, String> linkTargets = linkTargets(checks);
    List<ConfigProblem> problems = new ArrayList<>();
    for (CheckSpec check : checks) {
      if (check instanceof CheckSpec.Rule rule) {
        for (String field : RuleLanguage.recordReads(rule.expr()).linked().keySet()) {
          if (!linkTargets.containsKey(field)) {
            problems.add(
                ConfigProblem.at(
                    rule.location(),
                    "rule "
                        + rule.name()
                        + " reads linked(r, \""
                        + field
                        + "\") but the entity has no link check on field '"
                        + field
                        + "'; add one, e.g. - link: {field: "
                        + field
                        + ", to: <entity>}"));
          }
        }
      }
    }
    return problems;
  }
}
