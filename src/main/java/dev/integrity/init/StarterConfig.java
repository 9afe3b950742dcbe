package dev.integrity.init;

import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes the starter {@code integrity.yml} of a base from its schema (CONTRACT.md "Starter
 * config"): one entity per table, checks derived from field types. Pure: the same schema always
 * gives the same text, so the generator is tested without a network. Stateless and thread-safe.
 */
public final class StarterConfig {
  /** Plain YAML scalars we can write unquoted; anything else is double-quoted. */
  private static final Pattern PLAIN =
      Pattern.compile("[A-Za-z][A-Za-z0-9_ .()/-]*[A-Za-z0-9)]|[A-Za-z]");

  /** Plain scalars YAML 1.1 (SnakeYAML) would read as booleans or null. */
  private static final Set<String> RESERVED =
      Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null");

  private StarterConfig() {}

  /** The starter config of {@code schema}, as YAML text that validates against the same base. */
  public static String generate(BaseSchema schema) {
    Map<String, String> entityByTableId = entityNames(schema.tables());
    StringBuilder y = new StringBuilder();
    y.append("# Starter config for Airtable base ")
        .append(schema.baseId())
        .append(", written by `integrity init` from the base schema.\n")
        .append("# Checks come from the field types; edit them to fit your data, then run\n")
        .append("#   integrity validate --config FILE --online && integrity run --config FILE\n")
        .append("airtable:\n")
        .append("  baseId: ")
        .append(scalar(schema.baseId()))
        .append('\n')
        .append("  token: ${AIRTABLE_TOKEN}        # never write the token itself here\n")
        .append('\n')
        .append("entities:\n");
    boolean first = true;
    for (TableSchema table : schema.tables()) {
      if (!first) {
        y.append('\n');
      }
      first = false;
      entity(y, table, entityByTableId);
    }
    y.append('\n')
        .append("# Uncomment for a nightly run under `integrity serve`:\n")
        .append("# schedules:\n")
        .append("#   - name: nightly\n")
        .append("#     cron: \"0 2 * * *\"\n")
        .append("#     timezone: UTC\n");
    return y.toString();
  }

  /**
   * Entity name of each table: its name in lower case with every character but {@code a-z0-9} as
   * {@code _}; a name taken by an earlier table gets {@code _2}, {@code _3}, ...
   */
  static Map<String, String> entityNames(List<TableSchema> tables) {
    Map<String, String> names = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (TableSchema t : tables) {
      String base = t.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
      if (base.isEmpty()) {
        base = "table";
      }
      String name = base;
      for (int n = 2; !taken.add(name); n++) {
        name = base + "_" + n;
      }
      names.put(t.id(), name);
    }
    return names;
  }

  private static void entity(StringBuilder y, TableSchema table, Map<String, String> entities) {
    List<String> checks = new ArrayList<>();
    // Types of the fields no check covers, in field order: "date (Hire Date, Start Date)".
    Map<String, List<String>> skipped = new LinkedHashMap<>();
    Map<String, String> notes = new HashMap<>();
    boolean computed = false;
    for (FieldSchema f : table.fields()) {
      boolean primary = f.id().equals(table.primaryFieldId());
      int before = checks.size();
      if (primary) {
        checks.add("- required: [" + scalar(f.name()) + "]");
      }
      switch (f.type()) {
        case "email" -> {
          checks.add("- format: {field: " + scalar(f.name()) + ", as: email}");
          // E-mail addresses compare case-insensitively: normalize before looking for doubles.
          checks.add("- unique: " + scalar(f.name()) + "\n  normalize: true");
        }
        case "url" -> checks.add("- format: {field: " + scalar(f.name()) + ", as: url}");
        case "phoneNumber" -> checks.add("- format: {field: " + scalar(f.name()) + ", as: phone}");
        case "singleSelect", "multipleSelects" -> {
          if (f.choices().isEmpty()) {
            notes.put(f.type(), "a select without choices");
          } else {
            checks.add(
                "- allowed:\n    field: "
                    + scalar(f.name())
                    + "\n    values: ["
                    + String.join(", ", f.choices().stream().map(StarterConfig::scalar).toList())
                    + "]");
          }
        }
        case "multipleRecordLinks" -> {
          String target = f.linkedTableId() == null ? null : entities.get(f.linkedTableId());
          if (target == null) {
            notes.put(f.type(), "a link to a table the schema does not list");
          } else {
            checks.add(
                "- link: {field: "
                    + scalar(f.name())
                    + ", to: "
                    + target
                    + (f.prefersSingleRecordLink() ? ", max: 1}" : "}"));
          }
        }
        case "formula", "rollup", "multipleLookupValues", "lookup", "count" -> computed = true;
        default -> {
          // Every other type (numbers, dates, computed fields, attachments, types Airtable adds
          // later) has no check a schema alone can derive: listed in the comment, never an error.
        }
      }
      if (checks.size() == before && !f.isComputed()) {
        skipped.computeIfAbsent(f.type(), k -> new ArrayList<>()).add(f.name());
      }
    }
    if (computed) {
      checks.add("- computed: all              # formula, rollup, lookup, count: no #ERROR!, NaN");
    }
    // A check of the table, not of a field: it catches a mass deletion. One line to keep or delete.
    checks.add(
        "- volume: {maxDrop: 20}   # fails when a run finds 20% fewer records than the last");
    y.append("  # table ")
        .append(table.id())
        .append(" (")
        .append(oneLine(table.name()))
        .append(')');
    if (skipped.isEmpty()) {
      y.append(": every field has a check\n");
    } else {
      y.append("; skipped field types:\n");
      for (var e : skipped.entrySet()) {
        y.append("  #   ")
            .append(oneLine(e.getKey()))
            .append(notes.containsKey(e.getKey()) ? " [" + notes.get(e.getKey()) + "]" : "")
            .append(": ")
            .append(oneLine(String.join(", ", e.getValue())))
            .append('\n');
      }
    }
    y.append("  ").append(entities.get(table.id())).append(":\n");
    y.append("    table: ").append(scalar(table.name())).append('\n');
    y.append("    checks:\n");
    for (String check : checks) {
      for (String line : check.split("\n", -1)) {
        y.append("      ").append(line).append('\n');
      }
    }
  }

  /** A comment stays on one line whatever the table or field is called. */
  private static String oneLine(String text) {
    return text.replaceAll("[\\r\\n\\u2028\\u2029]+", " ");
  }

  /**
   * {@code text} as a YAML scalar: plain when that reads back as the same string, else
   * double-quoted with JSON escapes (valid YAML). {@code ${} becomes {@code $${}, the config's
   * literal form, so a name is never taken for an environment variable.
   */
  static String scalar(String text) {
    if (PLAIN.matcher(text).matches()
        && !RESERVED.contains(text.toLowerCase(Locale.ROOT))
        && !text.contains(" #")
        && !text.contains(": ")) {
      return text;
    }
    StringBuilder s = new StringBuilder("\"");
    String escaped = text.replace("${", "$${");
    for (int i = 0; i < escaped.length(); i++) {
      char c = escaped.charAt(i);
      switch (c) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        case '\n' -> s.append("\\n");
        case '\r' -> s.append("\\r");
        case '\t' -> s.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
