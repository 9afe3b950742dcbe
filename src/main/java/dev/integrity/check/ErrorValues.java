package dev.integrity.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The error values of computed fields, as list-records and webhook payloads both carry them
 * (docs/airtable-formats.md, "Error values"): {@code {"error": "#ERROR!"}} (or another {@code #…}
 * code, such as {@code #DIVIDE_BY_ZERO}) and {@code {"specialValue": "NaN"}} or {@code "Infinity"};
 * a lookup holds them as elements of its list. Stateless and thread-safe.
 */
final class ErrorValues {
  private ErrorValues() {}

  /** Whether the value itself (not a list of values) is an error value. */
  static boolean isError(Object value) {
    return value instanceof Map<?, ?> m
        && (m.get("error") != null || m.get("specialValue") != null);
  }

  /**
   * What an issue says about the value, or null when it holds no error: {@code is #ERROR!}, or for
   * a lookup's list {@code holds #ERROR! (2 of 5 values)}; values read as Airtable shows them.
   */
  static String problem(Object value) {
    if (isError(value)) {
      return "is " + shown(value);
    }
    if (!(value instanceof List<?> list)) {
      return null;
    }
    List<String> errors = null;
    int count = 0;
    for (Object element : list) {
      if (isError(element)) {
        count++;
        String shown = shown(element);
        if (errors == null) {
          errors = new ArrayList<>(2);
        }
        if (!errors.contains(shown)) {
          errors.add(shown);
        }
      }
    }
    if (errors == null) {
      return null;
    }
    return "holds "
        + String.join(", ", errors)
        + " ("
        + count
        + " of "
        + list.size()
        + (list.size() == 1 ? " value)" : " values)");
  }

  /** {@code #ERROR!}, {@code NaN}: the text Airtable shows for the error value. */
  private static String shown(Object error) {
    Map<?, ?> m = (Map<?, ?>) error;
    Object code = m.get("error") != null ? m.get("error") : m.get("specialValue");
    return code instanceof String s ? Values.shorten(s) : "an error";
  }
}
