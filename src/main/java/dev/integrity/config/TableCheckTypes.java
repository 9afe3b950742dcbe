package dev.integrity.config;

import dev.integrity.common.Texts;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the checks of a whole table ({@code volume}, {@code freshness}) are read from their options;
 * entries of {@link CheckTypes#ALL}. Kept apart so that check types added side by side touch the
 * shared table by one line each. Stateless and thread-safe.
 */
final class TableCheckTypes {
  private TableCheckTypes() {}

  static final List<String> VOLUME_OPTIONS =
      List.of("min", "max", "maxDrop", "maxGrowth", "anomaly");

  /** {@code 90m}, {@code 48h}, {@code 7d}: a whole number and a unit. */
  private static final Pattern AGE = Pattern.compile("\\s*(\\d{1,9})\\s*([mhd])\\s*");

  static CheckSpec volume(CheckTypes.Input in) {
    Option primary = in.option("min");
    if (primary != null && primary.path().equals(in.path() + ".volume")) {
      // "volume: 1000" would be a guess at which bound was meant.
      in.problem(
          primary,
          "volume takes a mapping such as {min: 1000, maxDrop: 20} (any of "
              + VOLUME_OPTIONS
              + ")");
      return null;
    }
    if (VOLUME_OPTIONS.stream().noneMatch(k -> in.option(k) != null)) {
      in.b().problem(in.item(), in.path(), "volume needs at least one of " + VOLUME_OPTIONS);
      return null;
    }
    Integer min = in.option("min") == null ? null : in.b().count(in.option("min"), 0, 0);
    Integer max = in.option("max") == null ? null : in.b().count(in.option("max"), 0, 0);
    BigDecimal maxDrop = percent(in, "maxDrop", true);
    BigDecimal maxGrowth = percent(in, "maxGrowth", false);
    BigDecimal anomaly = positive(in, "anomaly");
    boolean ok =
        (in.option("min") == null || min != null)
            && (in.option("max") == null || max != null)
            && (in.option("maxDrop") == null || maxDrop != null)
            && (in.option("maxGrowth") == null || maxGrowth != null)
            && (in.option("anomaly") == null || anomaly != null);
    if (!ok) {
      return null;
    }
    if (min != null && max != null && max < min) {
      in.problem(in.option("max"), "max " + max + " is below min " + min);
      return null;
    }
    return new CheckSpec.Volume(
        min, max, maxDrop, maxGrowth, anomaly, in.id(), in.severity(), in.location());
  }

  static CheckSpec freshness(CheckTypes.Input in) {
    String field = in.required("field");
    String ageText = in.required("maxAge");
    Duration maxAge = ageText == null ? null : age(ageText);
    if (ageText != null && maxAge == null) {
      in.problem(
          in.option("maxAge"),
          "maxAge must be minutes, hours or days such as 90m, 48h or 7d, got '"
              + Texts.shorten(ageText, 40)
              + "'");
    }
    return field == null || maxAge == null
        ? null
        : new CheckSpec.Freshness(field.trim(), maxAge, in.id(), in.severity(), in.location());
  }

  /** {@code 90m}, {@code 48h}, {@code 7d} as a duration; null when not so or not positive. */
  static Duration age(String text) {
    Matcher m = AGE.matcher(text);
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    if (n == 0) {
      return null;
    }
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** A percent of at least 0 (at most 100 for a drop: a count cannot fall further). */
  private static BigDecimal percent(CheckTypes.Input in, String key, boolean atMostHundred) {
    BigDecimal value = number(in, key);
    if (value == null) {
      return null;
    }
    if (value.signum() < 0 || (atMostHundred && value.compareTo(BigDecimal.valueOf(100)) > 0)) {
      in.problem(
          in.option(key),
          key
              + " is a percent "
              + (atMostHundred ? "from 0 to 100" : "of at least 0")
              + ", got "
              + value.toPlainString());
      return null;
    }
    return value;
  }

  private static BigDecimal positive(CheckTypes.Input in, String key) {
    BigDecimal value = number(in, key);
    if (value != null && value.signum() <= 0) {
      in.problem(
          in.option(key),
          key + " is a number of standard deviations above 0, got " + value.toPlainString());
      return null;
    }
    return value;
  }

  private static BigDecimal number(CheckTypes.Input in, String key) {
    Option option = in.option(key);
    if (option == null) {
      return null;
    }
    String text = in.b().string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    if (trimmed.endsWith("%")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1).trim();
    }
    try {
      return new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      in.problem(option, key + " must be a number, got '" + Texts.shorten(text, 40) + "'");
      return null;
    }
  }
}
