package dev.integrity.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.integrity.config.YamlNode.Entry;
import dev.integrity.config.YamlNode.ListNode;
import dev.integrity.config.YamlNode.MapNode;
import dev.integrity.config.YamlNode.ScalarNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Reads YAML text into a {@link YamlNode} tree with positions, replacing {@code ${VAR}} from the
 * environment. Not thread-safe; use one instance per file.
 *
 * <p>Substitution happens in two steps because the contract's own example, {@code {webhookUrl:
 * ${SLACK_WEBHOOK_URL}}}, is not valid YAML as written: braces end a plain scalar inside a flow
 * mapping. Each {@code ${...}} is first replaced by a marker of private-use characters of the same
 * length (so lines and columns stay true), the text is parsed, and the markers inside scalars are
 * then replaced by the variables' values. Values are therefore never parsed as YAML, so a secret
 * containing {@code :} or {@code #} cannot change the structure.
 *
 * <p>Forms: {@code ${VAR}}, {@code ${VAR:-default}} (default when unset or empty), and {@code
 * $${VAR}} for a literal {@code ${VAR}}.
 */
final class YamlReader {
  private static final java.util.regex.Pattern REFERENCE =
      java.util.regex.Pattern.compile("\\$(\\$)?\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}\\n]*))?}");
  private static final char MARK_START = '\uE000';
  private static final char MARK_PAD = '\uE001';
  private static final char INDEX_BASE = '\uE100';
  private static final int MAX_REFERENCES = '\uF8FF' - INDEX_BASE;

  private final Path file;
  private final Map<String, String> env;
  private final List<ConfigProblem> problems;
  private final List<Reference> references = new ArrayList<>();

  private record Reference(
      String original, String variable, String defaultValue, boolean literal) {}

  YamlReader(Path file, Map<String, String> env, List<ConfigProblem> problems) {
    this.file = file;
    this.env = env;
    this.problems = problems;
  }

  /** The root node, or null when the text could not be parsed (the problem is recorded). */
  YamlNode read(String text) {
    String marked = mark(text);
    if (marked == null) {
      return null;
    }
    try (JsonParser parser = new YAMLFactory().createParser(marked)) {
      if (parser.nextToken() == null) {
        problems.add(new ConfigProblem(file, 1, 1, "", "the file is empty"));
        return null;
      }
      return node(parser);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      problems.add(
          new ConfigProblem(
              file,
              at == null ? 0 : at.getLineNr(),
              at == null ? 0 : at.getColumnNr(),
              "",
              "not valid YAML: " + yamlMessage(e.getOriginalMessage())));
      return null;
    } catch (IOException e) {
      problems.add(new ConfigProblem(file, 0, 0, "", "cannot read: " + e.getMessage()));
      return null;
    }
  }

  private String mark(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      if (references.size() >= MAX_REFERENCES) {
        problems.add(
            new ConfigProblem(
                file, 0, 0, "", "more than " + MAX_REFERENCES + " ${VAR} references"));
        return null;
      }
      String original = m.group();
      references.add(new Reference(original, m.group(2), m.group(3), m.group(1) != null));
      int length = original.codePointCount(0, original.length());
      StringBuilder marker = new StringBuilder(length);
      marker.append(MARK_START).append((char) (INDEX_BASE + references.size() - 1));
      marker.append(String.valueOf(MARK_PAD).repeat(length - 2));
      m.appendReplacement(out, Matcher.quoteReplacement(marker.toString()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private YamlNode node(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    JsonLocation at = p.currentTokenLocation();
    int line = at.getLineNr();
    int column = at.getColumnNr();
    switch (token) {
      case START_OBJECT -> {
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          JsonLocation keyAt = p.currentTokenLocation();
          String key = restore(p.currentName());
          p.nextToken();
          YamlNode value = node(p);
          Entry entry = new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value);
          if (entries.putIfAbsent(key, entry) != null) {
            problems.add(
                new ConfigProblem(
                    file,
                    entry.line(),
                    entry.column(),
                    key,
                    "duplicate key '" + key + "' (first at line " + entries.get(key).line() + ")"));
          }
        }
        return new MapNode(line, column, entries);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(p));
        }
        return new ListNode(line, column, List.copyOf(items));
      }
      case VALUE_NULL -> {
        return new ScalarNode(line, column, ScalarNode.Kind.NULL, "", List.of());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new ScalarNode(line, column, ScalarNode.Kind.BOOLEAN, p.getText(), List.of());
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new ScalarNode(line, column, ScalarNode.Kind.NUMBER, p.getText(), List.of());
      }
      default -> {
        return substitute(line, column, p.getText());
      }
    }
  }

  private ScalarNode substitute(int line, int column, String text) {
    if (text.indexOf(MARK_START) < 0) {
      return new ScalarNode(line, column, ScalarNode.Kind.STRING, text, List.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    List<String> unset = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == MARK_START && i + 1 < text.length()) {
        Reference ref = references.get(text.charAt(i + 1) - INDEX_BASE);
        i++;
        while (i + 1 < text.length() && text.charAt(i + 1) == MARK_PAD) {
          i++;
        }
        if (ref.literal()) {
          out.append(ref.original(), 1, ref.original().length());
          continue;
        }
        String value = env.get(ref.variable());
        if (value == null || value.isEmpty()) {
          if (ref.defaultValue() != null) {
            value = ref.defaultValue();
          } else if (value == null) {
            unset.add(ref.variable());
            value = "";
          }
        }
        out.append(value);
      } else {
        out.append(c);
      }
    }
    return new ScalarNode(line, column, ScalarNode.Kind.STRING, out.toString(), List.copyOf(unset));
  }

  /** Keys are taken as written: a {@code ${VAR}} in a key stays literal. */
  private String restore(String key) {
    if (key == null || key.indexOf(MARK_START) < 0) {
      return key;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == MARK_START && i + 1 < key.length()) {
        out.append(references.get(key.charAt(++i) - INDEX_BASE).original());
        while (i + 1 < key.length() && key.charAt(i + 1) == MARK_PAD) {
          i++;
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * SnakeYAML messages quote the offending source line; drop those lines (indented) so a literal
   * secret on that line never reaches a message, and keep the explanation.
   */
  private static String yamlMessage(String message) {
    if (message == null) {
      return "syntax error";
    }
    List<String> kept = new ArrayList<>();
    for (String line : message.split("\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        kept.add(line.trim());
      }
    }
    return kept.isEmpty() ? "syntax error" : String.join("; ", kept);
  }
}
