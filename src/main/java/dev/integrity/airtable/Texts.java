package dev.integrity.airtable;

import dev.integrity.Secret;
import java.time.Duration;
import java.util.Locale;

/** Formatting helpers for messages a person reads. Stateless and thread-safe. */
final class Texts {
  private static final int SNIPPET_LIMIT = 200;

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
    if (text == null) {
      return "";
    }
    String cleaned = redact(text, token).replaceAll("\\p{Cntrl}+", " ").strip();
    return cleaned.length() <= SNIPPET_LIMIT ? cleaned : cleaned.substring(0, SNIPPET_LIMIT) + "…";
  }

  static String redact(String text, Secret token) {
    if (text == null || token == null || token.reveal().isEmpty()) {
      return text;
    }
    return text.replace(token.reveal(), "****");
  }
}
