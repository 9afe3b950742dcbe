package dev.integrity.config;

/** Text helpers for messages. Stateless and thread-safe. */
final class Text {
  private Text() {}

  /** At most {@code max} characters, control characters shown as spaces, "…" when cut. */
  static String shorten(String s, int max) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && out.length() < max; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (s.length() > max) {
      out.append('…');
    }
    return out.toString();
  }
}
