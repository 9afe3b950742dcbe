package dev.integrity.config;

import com.google.re2j.PatternSyntaxException;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.MapNode;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The check types of a config file, one description each: its keyword, its options, the option a
 * value written right after the keyword stands for, and how to build its {@link CheckSpec} from the
 * options read. A new check type is one entry in {@link #ALL}. Stateless and thread-safe.
 */
final class CheckTypes {
  private CheckTypes() {}

  /** Builds one check from its options; null when a problem was recorded. */
  @FunctionalInterface
  interface Builder {
    CheckSpec build(Input in);
  }

  /**
   * One check type.
   *
   * @param name the keyword ({@code required}, {@code unique}, …)
   * @param options the options of this type (besides {@code id} and {@code severity})
   * @param primary the option that {@code type: VALUE} stands for
   * @param builder how the spec is built
   */
  record Type(String name, List<String> options, String primary, Builder builder) {}

  /** Options every check takes. */
  static final List<String> COMMON_OPTIONS = List.of("id", "severity");

  /** The check types in the order messages list them. */
  static final List<Type> ALL =
      List.of(
          new Type("required", List.of("fields"), "fields", CheckTypes::required),
          new Type("unique", List.of("fields", "normalize"), "fields", CheckTypes::unique),
          new Type("allowed", List.of("field", "values"), "field", CheckTypes::allowed),
          new Type("pattern", List.of("field", "regex"), "field", CheckTypes::pattern),
          new Type("format", List.of("field", "as"), "field", CheckTypes::format),
          new Type("range", List.of("field", "min", "max"), "field", CheckTypes::range),
          new Type("link", List.of("field", "to", "min", "max"), "field", CheckTypes::link),
          new Type("rule", List.of("name", "expr"), "expr", CheckTypes::rule),
          new Type("volume", TableCheckTypes.VOLUME_OPTIONS, "min", TableCheckTypes::volume),
          new Type("freshness", List.of("field", "maxAge"), "field", TableCheckTypes::freshness),
          new Type("computed", List.of("fields"), "fields", ValueCheckTypes::computed),
          new Type(
              "similar",
              List.of("fields", "threshold", "same"),
              "fields",
              ValueCheckTypes::similar));

  /** The keywords, in {@link #ALL}'s order, for messages. */
  static final List<String> NAMES = ALL.stream().map(Type::name).toList();

  /** The type of that keyword, or null. */
  static Type byName(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** Whether some check type has an option of that name. */
  static boolean isAnyOption(String key) {
    return ALL.stream().anyMatch(t -> t.options().contains(key));
  }

  /**
   * What a builder reads: the options given (absent and null ones left out), the check's mapping
   * and key path, the common options already read, and the entities the config defines.
   */
  record Input(
      Binding b,
      Map<String, Option> options,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location,
      Set<String> entityNames) {

    Option option(String key) {
      return options.get(key);
    }

    /** The option's text; null (with a problem) when missing, not a scalar or blank. */
    String required(String key) {
      Option option = options.get(key);
      if (option == null) {
        b.problem(item, path, "missing option '" + key + "'");
        return null;
      }
      String text = b.string(option.value(), option.path());
      if (text != null && text.isBlank()) {
        b.problem(option.value(), option.path(), key + " is empty");
        return null;
      }
      return text;
    }

    /** A list of distinct, non-empty field names; null (with a problem) otherwise. */
    List<String> fieldList(String key) {
      Option option = options.get(key);
      if (option == null) {
        b.problem(item, path, "missing option '" + key + "' (the fields to check)");
        return null;
      }
      List<String> fields = b.stringList(option.value(), option.path());
      if (fields == null) {
        return null;
      }
      if (fields.isEmpty() || fields.stream().anyMatch(String::isBlank)) {
        b.problem(
            option.value(), option.path(), "name at least one field, and no empty field names");
        return null;
      }
      if (new LinkedHashSet<>(fields).size() != fields.size()) {
        b.problem(option.value(), option.path(), "a field is named twice");
        return null;
      }
      return fields;
    }

    void problem(Option option, String message) {
      b.problem(option.value(), option.path(), message);
    }
  }

  private static CheckSpec required(Input in) {
    List<String> fields = in.fieldList("fields");
    return fields == null
        ? null
        : new CheckSpec.Required(fields, in.id(), in.severity(), in.location());
  }

  private static CheckSpec unique(Input in) {
    List<String> fields = in.fieldList("fields");
    Boolean normalize = in.b().bool(in.option("normalize"), false);
    return fields == null || normalize == null
        ? null
        : new CheckSpec.Unique(fields, normalize, in.id(), in.severity(), in.location());
  }

  private static CheckSpec allowed(Input in) {
    String field = in.required("field");
    Option valuesOption = in.option("values");
    List<String> values = null;
    if (valuesOption == null) {
      in.b().problem(in.item(), in.path(), "missing option 'values' (the allowed values)");
    } else {
      values = in.b().stringList(valuesOption.value(), valuesOption.path());
      if (values != null && values.isEmpty()) {
        in.problem(valuesOption, "values must name at least one value");
        values = null;
      }
    }
    return field == null || values == null
        ? null
        : new CheckSpec.Allowed(field, values, in.id(), in.severity(), in.location());
  }

  private static CheckSpec pattern(Input in) {
    String field = in.required("field");
    String regex = in.required("regex");
    if (regex != null) {
      try {
        com.google.re2j.Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        in.problem(in.option("regex"), "bad regex: " + e.getMessage());
        regex = null;
      }
    }
    return field == null || regex == null
        ? null
        : new CheckSpec.Pattern(field, regex, in.id(), in.severity(), in.location());
  }

  private static CheckSpec format(Input in) {
    String field = in.required("field");
    String as = in.required("as");
    CheckSpec.Format.Kind kind = null;
    if (as != null) {
      try {
        kind = CheckSpec.Format.Kind.valueOf(as.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        in.problem(
            in.option("as"),
            "format must be email, url, phone or date, got '" + Texts.shorten(as, 40) + "'");
      }
    }
    return field == null || kind == null
        ? null
        : new CheckSpec.Format(field, kind, in.id(), in.severity(), in.location());
  }

  private static CheckSpec range(Input in) {
    String field = in.required("field");
    Option minOption = in.option("min");
    Option maxOption = in.option("max");
    if (minOption == null && maxOption == null) {
      in.b().problem(in.item(), in.path(), "range needs min, max or both");
      return null;
    }
    boolean ok = true;
    CheckSpec.Range.Bound min = null;
    CheckSpec.Range.Bound max = null;
    if (minOption != null) {
      min = bound(in.b(), minOption);
      ok &= min != null;
    }
    if (maxOption != null) {
      max = bound(in.b(), maxOption);
      ok &= max != null;
    }
    if (!ok || field == null) {
      return null;
    }
    if (min != null && max != null) {
      if (min.getClass() != max.getClass()) {
        in.problem(maxOption, "min and max must both be numbers or dates");
        return null;
      }
      int order =
          switch (min) {
            case CheckSpec.Range.Bound.Number n ->
                n.value().compareTo(((CheckSpec.Range.Bound.Number) max).value());
            case CheckSpec.Range.Bound.Date d ->
                d.value().compareTo(((CheckSpec.Range.Bound.Date) max).value());
          };
      if (order > 0) {
        in.problem(maxOption, "max " + max + " is below min " + min);
        return null;
      }
    }
    return new CheckSpec.Range(field, min, max, in.id(), in.severity(), in.location());
  }

  private static CheckSpec.Range.Bound bound(Binding b, Option option) {
    String text = b.string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    try {
      return new CheckSpec.Range.Bound.Number(new BigDecimal(trimmed));
    } catch (NumberFormatException e) {
      // not a number: maybe a date
    }
    try {
      return new CheckSpec.Range.Bound.Date(LocalDate.parse(trimmed));
    } catch (DateTimeException e) {
      b.problem(
          option.value(),
          option.path(),
          "must be a number or an ISO date (YYYY-MM-DD), got '" + Texts.shorten(text, 40) + "'");
      return null;
    }
  }

  private static CheckSpec link(Input in) {
    String field = in.required("field");
    String to = in.required("to");
    if (to != null && !in.entityNames().contains(to)) {
      in.problem(
          in.option("to"),
          "link.to names unknown entity '"
              + to
              + "' (the config defines "
              + in.entityNames()
              + ")");
      to = null;
    }
    Integer min = in.b().count(in.option("min"), 0, 0);
    Integer max = in.b().count(in.option("max"), CheckSpec.Link.UNBOUNDED, 0);
    if (min != null && max != null && max < min) {
      in.problem(in.option("max"), "max " + max + " is below min " + min);
      return null;
    }
    return field == null || to == null || min == null || max == null
        ? null
        : new CheckSpec.Link(field, to, min, max, in.id(), in.severity(), in.location());
  }

  private static CheckSpec rule(Input in) {
    String name = in.required("name");
    String expr = in.required("expr");
    if (expr != null) {
      String error = RuleLanguage.compileError(expr);
      if (error != null) {
        in.problem(in.option("expr"), error);
        expr = null;
      }
    }
    return name == null || expr == null
        ? null
        : new CheckSpec.Rule(name, expr, in.id(), in.severity(), in.location());
  }
}
