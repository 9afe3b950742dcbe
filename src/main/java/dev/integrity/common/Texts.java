package dev.integrity.common;

/** The text helper for messages a person reads. Stateless and thread-safe. */
public final class Texts {
  private Texts() {}

  /**
   * At most {@code max} characters of {@code s}, control characters shown as spaces (they could
   * break a log line or a terminal), "…" appended when cut; never splits a surrogate pair.
   */
  public static String shorten(String s, int max) {
    boolean clean = s.length() <= max;
    for (int i = 0; clean && i < s.length(); i++) {
      clean = !Character.isISOControl(s.charAt(i));
    }
    if (clean) {
      return s;
    }
    StringBuilder out = new StringBuilder(max + 1);
    int end = Math.min(s.length(), max);
    if (end > 0 && end < s.length() && Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      char c = s.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (end < s.length()) {
      out.append('…');
    }
    return out.toString();
  }
}
