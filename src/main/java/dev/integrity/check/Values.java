package dev.integrity.check;

import dev.integrity.common.Texts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How checks read the value shapes Airtable sends (see docs/checks.md for the table): strings,
 * numbers of any Java type, booleans, lists (links, multiple selects, lookups) and objects
 * (attachments, collaborators, buttons, AI text). Every method is total: odd shapes give a
 * documented answer, never an exception. Stateless and thread-safe.
 */
final class Values {
  static final int MESSAGE_VALUE_LENGTH = 80;

  /** Which property of an object value stands for it in text, first present wins. */
  private static final List<String> DISPLAY_KEYS =
      List.of("name", "filename", "email", "text", "value", "label", "url", "id");

  private Values() {}

  /**
   * Absent or empty: null, a blank string, an empty list or object, or {@code false} (Airtable
   * leaves an unchecked checkbox out, so an explicit false means the same).
   */
  static boolean isEmpty(Object v) {
    return switch (v) {
      case null -> true;
      case String s -> s.isBlank();
      case Boolean b -> !b;
      case Collection<?> c -> c.isEmpty();
      case Map<?, ?> m -> m.isEmpty();
      default -> false;
    };
  }

  /** A list's elements, or the value itself as a one-element list. */
  static List<?> elements(Object v) {
    return v instanceof List<?> list ? list : List.of(v);
  }

  /**
   * The value as text: strings as they are, integral numbers without a decimal point (12, 12.0 and
   * "12" all read "12"), other numbers in plain notation, booleans as true/false, objects by their
   * display property, formula error values as Airtable shows them ({@code {"error": "#ERROR!"}}
   * reads {@code #ERROR!}, {@code {"specialValue": "NaN"}} reads {@code NaN}), lists as their
   * elements' texts joined with ", ".
   */
  static String text(Object v) {
    return switch (v) {
      case null -> "";
      case String s -> s;
      case Long l -> Long.toString(l);
      case Integer i -> Integer.toString(i);
      case Double d -> doubleText(d);
      case BigDecimal b -> b.signum() == 0 ? "0" : b.stripTrailingZeros().toPlainString();
      case Float f -> doubleText(Double.parseDouble(Float.toString(f)));
      case Number n -> n.toString();
      case Boolean b -> b.toString();
      case Map<?, ?> m -> display(m);
      case List<?> list -> {
        StringBuilder out = new StringBuilder();
        for (Object e : list) {
          if (e != null) {
            if (!out.isEmpty()) {
              out.append(", ");
            }
            out.append(text(e));
          }
        }
        yield out.toString();
      }
      default -> v.toString();
    };
  }

  private static String doubleText(double d) {
    if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    if (!Double.isFinite(d)) {
      return Double.toString(d);
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static String display(Map<?, ?> m) {
    // A formula or rollup error value reads as Airtable shows it: #ERROR!, NaN, Infinity.
    if (m.get("error") instanceof String error) {
      return error;
    }
    Object special = m.get("specialValue");
    if (special != null && !(special instanceof Map) && !(special instanceof List)) {
      return text(special);
    }
    for (String key : DISPLAY_KEYS) {
      Object value = m.get(key);
      if (value != null && !(value instanceof Map) && !(value instanceof List)) {
        return text(value);
      }
    }
    return m.toString();
  }

  /** The value as a number: any Java number, or a string that parses as one; else null. */
  static BigDecimal number(Object v) {
    return switch (v) {
      case Long l -> BigDecimal.valueOf(l);
      case Integer i -> BigDecimal.valueOf(i);
      case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
      case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
      case BigDecimal b -> b;
      case BigInteger b -> new BigDecimal(b);
      case Number n -> parseNumber(n.toString());
      case String s -> parseNumber(s);
      case null, default -> null;
    };
  }

  private static BigDecimal parseNumber(String s) {
    String t = s.trim();
    if (t.isEmpty() || t.length() > 100) {
      return null;
    }
    try {
      return new BigDecimal(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The calendar date of an ISO date ({@code 2024-01-31}) or date-time ({@code
   * 2024-01-31T10:00:00.000Z}, offset optional) string, as written (no zone conversion); else null.
   */
  static LocalDate date(Object v) {
    if (!(v instanceof String s)) {
      return null;
    }
    String t = s.trim();
    if (t.length() < 10 || t.length() > 40) {
      return null;
    }
    try {
      if (t.length() == 10) {
        return isoDate(t);
      }
      if (t.charAt(10) != 'T' && t.charAt(10) != 't') {
        return null;
      }
      char last = t.charAt(t.length() - 1);
      boolean offset =
          last == 'Z' || last == 'z' || t.indexOf('+', 10) > 0 || t.indexOf('-', 10) > 0;
      return offset ? OffsetDateTime.parse(t).toLocalDate() : LocalDateTime.parse(t).toLocalDate();
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * {@code YYYY-MM-DD} without the formatter machinery (the hot path of date ranges); calendar
   * validity still comes from {@link LocalDate#of}, so 2023-02-29 is refused.
   */
  private static LocalDate isoDate(String t) {
    if (t.charAt(4) != '-' || t.charAt(7) != '-') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    if (year < 0 || month < 0 || day < 0) {
      return null;
    }
    return LocalDate.of(year, month, day);
  }

  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** {@code local@domain.tld}: one @, a plausible local part and a dotted host name. */
  static boolean isEmail(String s) {
    int at = s.indexOf('@');
    if (at <= 0 || at > 64 || at != s.lastIndexOf('@') || s.length() > 254) {
      return false;
    }
    for (int i = 0; i < at; i++) {
      char c = s.charAt(i);
      boolean ok = isAsciiAlnum(c) || "!#$%&'*+/=?^_`{|}~.-".indexOf(c) >= 0 || c >= 0x80;
      if (!ok || (c == '.' && (i == 0 || i == at - 1 || s.charAt(i - 1) == '.'))) {
        return false;
      }
    }
    return isHostName(s, at + 1);
  }

  private static boolean isHostName(String s, int start) {
    int labels = 0;
    int labelStart = start;
    for (int i = start; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == '.') {
        int length = i - labelStart;
        if (length < 1 || length > 63) {
          return false;
        }
        if (s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
          return false;
        }
        labels++;
        if (i == s.length()) {
          return labels >= 2 && isTopLevel(s, labelStart, i);
        }
        labelStart = i + 1;
      } else {
        char c = s.charAt(i);
        if (!isAsciiAlnum(c) && c != '-' && c < 0x80) {
          return false;
        }
      }
    }
    return false;
  }

  private static boolean isTopLevel(String s, int from, int to) {
    if (to - from < 2) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** An absolute http or https URL with a host; no surrounding spaces. */
  static boolean isUrl(String s) {
    if (s.length() > 2048) {
      return false;
    }
    try {
      URI uri = new URI(s);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * Digits with optional spaces, parentheses, dashes and dots, and an optional leading {@code +}; 7
   * to 15 digits (E.164's maximum).
   */
  static boolean isPhone(String s) {
    int digits = 0;
    boolean started = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
      } else if (c == '+') {
        if (started) {
          return false;
        }
      } else if (" ()-.".indexOf(c) < 0) {
        return false;
      }
      started |= c != ' ';
    }
    return digits >= 7 && digits <= 15;
  }

  /** An ISO date or date-time, as {@link #date} reads them. */
  static boolean isDate(String s) {
    return date(s) != null;
  }

  /**
   * The value as CEL sees it: Long for whole-number Java types, Double for the others, lists and
   * string-keyed maps converted deeply, nulls left out.
   */
  static Object cel(Object v) {
    return switch (v) {
      case String s -> s;
      case Boolean b -> b;
      case Long l -> l;
      case Double d -> d;
      case Integer i -> i.longValue();
      case Short s -> s.longValue();
      case Byte b -> b.longValue();
      case Float f -> f.doubleValue();
      case BigDecimal b -> b.doubleValue();
      case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : (Object) b.doubleValue();
      case List<?> list -> {
        List<Object> out = new ArrayList<>(list.size());
        for (Object e : list) {
          if (e != null) {
            out.add(cel(e));
          }
        }
        yield out;
      }
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (e.getValue() != null) {
            out.put(String.valueOf(e.getKey()), cel(e.getValue()));
          }
        }
        yield out;
      }
      case null -> null;
      default -> v.toString();
    };
  }

  /** Text for messages: at most 80 characters, control characters as spaces, "…" when cut. */
  static String shorten(String s) {
    return Texts.shorten(s, MESSAGE_VALUE_LENGTH);
  }

  /** The value in single quotes, shortened, for messages. */
  static String quote(Object v) {
    return "'" + shorten(text(v)) + "'";
  }
}
