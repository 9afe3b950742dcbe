package dev.integrity.config;

import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.ScalarNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The builders of the {@code computed} and {@code similar} check types (registered in {@link
 * CheckTypes#ALL}). Stateless and thread-safe.
 */
final class ValueCheckTypes {
  private ValueCheckTypes() {}

  /**
   * {@code computed: [GPA, Total]}, or {@code computed: all} (the scalar {@code all}; a field named
   * "all" is written as the list {@code [all]}).
   */
  static CheckSpec computed(CheckTypes.Input in) {
    Option option = in.option("fields");
    if (option != null
        && option.value() instanceof ScalarNode scalar
        && "all".equals(scalar.text() == null ? null : scalar.text().trim())) {
      return new CheckSpec.Computed(List.of(), true, in.id(), in.severity(), in.location());
    }
    List<String> fields = in.fieldList("fields");
    return fields == null
        ? null
        : new CheckSpec.Computed(fields, false, in.id(), in.severity(), in.location());
  }

  /** {@code similar: {fields: [First Name, Last Name], threshold: 0.9, same: [Birth Date]}}. */
  static CheckSpec similar(CheckTypes.Input in) {
    List<String> fields = in.fieldList("fields");
    Double threshold = threshold(in);
    List<String> same = List.of();
    if (in.option("same") != null) {
      same = in.fieldList("same");
      if (same != null && fields != null) {
        List<String> both = new ArrayList<>(same);
        both.retainAll(fields);
        if (!both.isEmpty()) {
          in.problem(
              in.option("same"),
              "field '"
                  + both.getFirst()
                  + "' is both compared (fields) and required equal (same); name it once");
          same = null;
        }
      }
    }
    return fields == null || threshold == null || same == null
        ? null
        : new CheckSpec.Similar(fields, threshold, same, in.id(), in.severity(), in.location());
  }

  private static Double threshold(CheckTypes.Input in) {
    Option option = in.option("threshold");
    if (option == null) {
      return CheckSpec.Similar.DEFAULT_THRESHOLD;
    }
    String text = in.b().string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(text.trim());
      if (value >= 0 && value <= 1) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    in.problem(
        option,
        "threshold must be a number from 0 to 1 (a similarity score), got '"
            + Texts.shorten(text, 40)
            + "'");
    return null;
  }
}
