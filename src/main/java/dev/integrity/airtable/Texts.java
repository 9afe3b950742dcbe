package dev.integrity.airtable;

import dev.integrity.Secret;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/** Formatting helpers for messages a person reads. Stateless and thread-safe. */
final class Texts {
  private static final int SNIPPET_LIMIT = 200;

  /** Characters that do not print as themselves: controls, format, private, unassigned, breaks. */
  private static final Pattern UNPRINTABLE =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}\\p{Cs}\\p{Zl}\\p{Zp}]+");

  private Texts() {}

  /** "1.5 s", "250 ms": short and unambiguous in messages. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + " ms";
    }
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  /** Where a failure happened: "table 'Classes' of base appX, page 3". */
  static String where(String baseId, String table, int page) {
    StringBuilder sb = new StringBuilder();
    if (table != null) {
      sb.append("table '").append(table).append("' of ");
    }
    sb.append("base ").append(baseId);
    if (page > 0) {
      sb.append(", page ").append(page);
    }
    return sb.toString();
  }

  /**
   * A printable, bounded excerpt of text that came from the server, with the token removed in case
   * a proxy or server echoed it back.
   */
  static String snippet(String text, Secret token) {
    return snippet(text, token, SNIPPET_LIMIT);
  }

  /**
   * As {@link #snippet(String, Secret)}, at most {@code limit} code points (and an ellipsis). Line
   * breaks, control and format characters (a bidi override, say, which could make a terminal show
   * something else than was sent) and unassigned code points become one space each run; the token
   * is masked before the text is cut, so a cut never leaves a piece of it.
   */
  static String snippet(String text, Secret token, int limit) {
    if (text == null) {
      return "";
    }
    String cleaned = UNPRINTABLE.matcher(redact(text, token)).replaceAll(" ").strip();
    if (cleaned.codePointCount(0, cleaned.length()) <= limit) {
      return cleaned;
    }
    return cleaned.substring(0, cleaned.offsetByCodePoints(0, limit)) + "…";
  }

  static String redact(String text, Secret token) {
    if (text == null || token == null || token.reveal().isEmpty()) {
      return text;
    }
    return text.replace(token.reveal(), "****");
  }
}
