package dev.integrity.config;

import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.Entry;
import dev.integrity.config.YamlNode.ListNode;
import dev.integrity.config.YamlNode.MapNode;
import dev.integrity.config.YamlNode.ScalarNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed access to a positioned YAML tree for the section binders, recording each problem with the
 * file, line, column and key path instead of stopping at the first. Every method that cannot give a
 * value records why and answers null. Not thread-safe; one per load, shared by its sections.
 */
final class Binding {
  private final Path file;
  private final List<ConfigProblem> problems;

  Binding(Path file, List<ConfigProblem> problems) {
    this.file = file;
    this.problems = problems;
  }

  Path file() {
    return file;
  }

  /** How many problems have been recorded so far (a section compares before and after). */
  int problemCount() {
    return problems.size();
  }

  /** The value under key, or null when absent or written as null/empty. */
  static YamlNode value(MapNode map, String key) {
    if (map == null) {
      return null;
    }
    Entry entry = map.entries().get(key);
    if (entry == null || (entry.value() instanceof ScalarNode s && s.isNull())) {
      return null;
    }
    return entry.value();
  }

  MapNode map(YamlNode node, String path) {
    if (node instanceof MapNode m) {
      return m;
    }
    problem(node, path, "expected a mapping (key: value), got " + YamlNode.describe(node));
    return null;
  }

  MapNode requiredMap(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      problem(parent, join(parentPath, key), "missing '" + key + "'");
      return null;
    }
    return map(node, join(parentPath, key));
  }

  String requiredString(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      problem(parent, join(parentPath, key), "missing '" + key + "'");
      return null;
    }
    String text = string(node, join(parentPath, key));
    if (text != null && text.isBlank()) {
      problem(node, join(parentPath, key), "'" + key + "' is empty");
      return null;
    }
    return text;
  }

  String optionalString(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      return null;
    }
    String text = string(node, join(parentPath, key));
    return text == null || text.isBlank() ? null : text;
  }

  /** Scalar text; null (with a problem recorded) for non-scalars and unset variables. */
  String string(YamlNode node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      problem(node, path, "expected a single value, got " + YamlNode.describe(node));
      return null;
    }
    if (!scalar.unsetVariables().isEmpty()) {
      for (String variable : scalar.unsetVariables()) {
        problem(
            node,
            path,
            "environment variable "
                + variable
                + " is not set (write ${"
                + variable
                + ":-} to allow it to be empty)");
      }
      return null;
    }
    return scalar.text();
  }

  /** A scalar or a list of scalars, as a list of texts. */
  List<String> stringList(YamlNode node, String path) {
    if (node instanceof ListNode list) {
      List<String> result = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < list.items().size(); i++) {
        String text = string(list.items().get(i), path + "[" + i + "]");
        if (text == null) {
          ok = false;
        } else {
          result.add(text);
        }
      }
      return ok ? result : null;
    }
    String text = string(node, path);
    return text == null ? null : List.of(text);
  }

  Boolean bool(Option option, boolean defaultValue) {
    if (option == null) {
      return defaultValue;
    }
    String text = string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        problem(
            option.value(),
            option.path(),
            "expected true or false, got '" + Texts.shorten(text, 40) + "'");
        yield null;
      }
    };
  }

  Integer count(Option option, int defaultValue, int min) {
    if (option == null) {
      return defaultValue;
    }
    String text = string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(
        option.value(),
        option.path(),
        "expected a whole number of at least " + min + ", got '" + Texts.shorten(text, 40) + "'");
    return null;
  }

  void onlyKeys(MapNode map, String path, List<String> allowed) {
    for (Entry e : map.entries().values()) {
      if (!allowed.contains(e.key())) {
        problem(
            e.line(),
            e.column(),
            join(path, e.key()),
            "unknown key '" + e.key() + "' (expected one of " + allowed + ")");
      }
    }
  }

  static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  void problem(YamlNode node, String path, String message) {
    problem(node == null ? 0 : node.line(), node == null ? 0 : node.column(), path, message);
  }

  void problem(int line, int column, String path, String message) {
    problems.add(new ConfigProblem(file, line, column, path, message));
  }
}
