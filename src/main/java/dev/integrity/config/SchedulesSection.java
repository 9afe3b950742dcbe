package dev.integrity.config;

import dev.integrity.common.InvalidScheduleException;
import dev.integrity.common.ScheduleSpec;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.ListNode;
import dev.integrity.config.YamlNode.MapNode;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code schedules} section: a list of named crons. Name, cron and zone follow {@link
 * ScheduleSpec}'s rules (the same the API and the schedule service apply); this class adds where
 * (file, line, key path) and what only a config knows (duplicates in the file, the entities it
 * defines). One key, one method: a new key is one entry in {@link #KEYS} and one method. Not
 * thread-safe; one per load.
 */
final class SchedulesSection {
  static final List<String> KEYS = List.of("name", "cron", "timezone", "entities", "mode");

  private final Binding b;

  SchedulesSection(Binding b) {
    this.b = b;
  }

  List<ScheduleConfig> bind(MapNode top, Set<String> entityNames) {
    YamlNode node = Binding.value(top, "schedules");
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof ListNode list)) {
      b.problem(node, "schedules", "schedules must be a list, got " + YamlNode.describe(node));
      return List.of();
    }
    List<ScheduleConfig> result = new ArrayList<>();
    Map<String, Integer> lineByName = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = "schedules[" + i + "]";
      MapNode item = b.map(list.items().get(i), path);
      if (item == null) {
        continue;
      }
      b.onlyKeys(item, path, KEYS);
      String name = name(item, path, lineByName);
      ZoneId zone = zone(item, path);
      String cron = cron(item, path);
      List<String> entities = entities(item, path, entityNames);
      Boolean incremental = incremental(item, path);
      if (name != null && cron != null && zone != null && entities != null && incremental != null) {
        result.add(new ScheduleConfig(name, cron, zone, entities, incremental));
      }
    }
    return result;
  }

  private String name(MapNode item, String path, Map<String, Integer> lineByName) {
    String name = b.requiredString(item, "name", path);
    if (name == null || valid(item, "name", path, () -> ScheduleSpec.name(name)) == null) {
      return null;
    }
    Integer earlier = lineByName.putIfAbsent(name, item.line());
    if (earlier != null) {
      b.problem(
          Binding.value(item, "name"),
          path + ".name",
          "duplicate schedule name '" + name + "' (also at line " + earlier + ")");
      return null;
    }
    return name;
  }

  private ZoneId zone(MapNode item, String path) {
    String text = b.optionalString(item, "timezone", path);
    if (text == null) {
      return ScheduleSpec.DEFAULT_ZONE;
    }
    return valid(item, "timezone", path, () -> ScheduleSpec.zone(text));
  }

  private String cron(MapNode item, String path) {
    String text = b.requiredString(item, "cron", path);
    if (text == null) {
      return null;
    }
    return valid(item, "cron", path, () -> ScheduleSpec.cron(text));
  }

  /** {@code mode: full|incremental} (default full); null after a problem. */
  private Boolean incremental(MapNode item, String path) {
    String text = b.optionalString(item, "mode", path);
    if (text == null) {
      return false;
    }
    return switch (text.trim()) {
      case "full" -> false;
      case "incremental" -> true;
      default -> {
        b.problem(
            Binding.value(item, "mode"),
            path + ".mode",
            "unknown mode '" + Texts.shorten(text, 40) + "' (use full or incremental)");
        yield null;
      }
    };
  }

  private List<String> entities(MapNode item, String path, Set<String> entityNames) {
    YamlNode node = Binding.value(item, "entities");
    if (node == null) {
      return List.copyOf(entityNames);
    }
    List<String> entities = b.stringList(node, path + ".entities");
    if (entities == null) {
      return null;
    }
    for (String entity : entities) {
      if (!entityNames.contains(entity)) {
        b.problem(
            node,
            path + ".entities",
            "schedule names unknown entity '"
                + entity
                + "' (the config defines "
                + entityNames
                + ")");
        return null;
      }
    }
    if (entities.isEmpty()) {
      b.problem(node, path + ".entities", "name at least one entity, or leave it out");
      return null;
    }
    return entities;
  }

  /**
   * The value one of {@link ScheduleSpec}'s rules gives, or null with its refusal recorded at the
   * key it concerns.
   */
  private <T> T valid(MapNode item, String key, String path, Supplier<T> rule) {
    try {
      return rule.get();
    } catch (InvalidScheduleException e) {
      b.problem(Binding.value(item, key), path + "." + key, e.getMessage());
      return null;
    }
  }
}
