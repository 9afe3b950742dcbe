package dev.integrity.sim;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One request as {@link Api} reads it, built by {@link SimHandler} from Jetty's: method, raw (still
 * percent-encoded) path and query, protocol version, headers (lower-case names, repeated ones
 * joined with ", ") and body. Immutable.
 */
record HttpRequest(
    String method,
    String path,
    String query,
    String version,
    Map<String, String> headers,
    byte[] body) {

  /** The longest request line plus headers Jetty accepts; longer is 431 (or 414). */
  static final int MAX_HEAD = 64 * 1024;

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Percent-decodes a path segment ({@code +} stays a plus). */
  static String decodePath(String s) {
    return decode(s, false);
  }

  /** Percent-decodes a query key or value ({@code +} is a space, as in forms). */
  static String decodeQuery(String s) {
    return decode(s, true);
  }

  private static String decode(String s, boolean plusIsSpace) {
    if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
      return s;
    }
    var out = new java.io.ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      int c = s.codePointAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 3;
          continue;
        }
      }
      if (c == '+' && plusIsSpace) {
        out.write(' ');
      } else {
        out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
      }
      i += Character.charCount(c);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
