package dev.integrity.config;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A YAML tree that remembers where each node was written, so every config problem can name its line
 * and column. Jackson's own tree drops locations, hence this small copy. Immutable after reading.
 */
sealed interface YamlNode {
  int line();

  int column();

  /** A mapping; keys keep file order. */
  record MapNode(int line, int column, LinkedHashMap<String, Entry> entries) implements YamlNode {}

  /** One key of a mapping with the key's own position. */
  record Entry(String key, int line, int column, YamlNode value) {}

  /** A sequence. */
  record ListNode(int line, int column, List<YamlNode> items) implements YamlNode {}

  /**
   * A scalar: its text after {@code ${VAR}} substitution, what YAML made of it, and the variables
   * it referenced that are unset (reported when the value is used).
   */
  record ScalarNode(int line, int column, Kind kind, String text, List<String> unsetVariables)
      implements YamlNode {
    enum Kind {
      STRING,
      NUMBER,
      BOOLEAN,
      NULL
    }

    boolean isNull() {
      return kind == Kind.NULL;
    }
  }

  /** The word used in "expected a list, got a mapping" messages. */
  static String describe(YamlNode node) {
    return switch (node) {
      case MapNode m -> "a mapping";
      case ListNode l -> "a list";
      case ScalarNode s ->
          switch (s.kind()) {
            case NULL -> "nothing";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case STRING -> "text";
          };
    };
  }
}
