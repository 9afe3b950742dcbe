package dev.integrity.sim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request: method, raw path and query, headers (lower-case names) and body.
 * Immutable.
 */
record HttpRequest(
    String method,
    String path,
    String query,
    String version,
    Map<String, String> headers,
    byte[] body) {

  static final int MAX_REQUEST_LINE = 64 * 1024;
  static final int MAX_HEADER_LINE = 16 * 1024;
  static final int MAX_HEADERS = 100;
  static final int MAX_BODY = 4 * 1024 * 1024;

  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 only when asked to keep it. */
  boolean keepAlive() {
    String connection = header("connection");
    if (connection != null && connection.toLowerCase(Locale.ROOT).contains("close")) {
      return false;
    }
    return "HTTP/1.1".equals(version)
        || (connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive"));
  }

  /** The request could not be parsed; answer {@code status} and close the connection. */
  static final class BadRequest extends Exception {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * Reads requests off one connection's input stream with its own buffer. Not thread-safe: one per
   * connection.
   */
  static final class Reader {
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    Reader(InputStream in) {
      this.in = in;
    }

    /** The next request, or null when the client closed the connection between requests. */
    HttpRequest read() throws IOException, BadRequest {
      String line = line(MAX_REQUEST_LINE, true);
      while (line != null && line.isEmpty()) {
        line = line(MAX_REQUEST_LINE, true); // tolerate stray CRLF between requests
      }
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
        throw new BadRequest(400, "malformed request line");
      }
      String target = parts[1];
      int q = target.indexOf('?');
      String path = q < 0 ? target : target.substring(0, q);
      String query = q < 0 ? null : target.substring(q + 1);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int n = 0; ; n++) {
        String h = line(MAX_HEADER_LINE, false);
        if (h == null) {
          throw new BadRequest(400, "connection closed inside the headers");
        }
        if (h.isEmpty()) {
          break;
        }
        if (n >= MAX_HEADERS) {
          throw new BadRequest(431, "too many headers");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          throw new BadRequest(400, "malformed header line");
        }
        String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).trim();
        headers.merge(name, value, (a, b) -> a + ", " + b);
      }
      byte[] body = body(headers);
      return new HttpRequest(parts[0], path, query, parts[2], headers, body);
    }

    private byte[] body(Map<String, String> headers) throws IOException, BadRequest {
      String te = headers.get("transfer-encoding");
      if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
          String sizeLine = line(MAX_HEADER_LINE, false);
          if (sizeLine == null) {
            throw new BadRequest(400, "connection closed inside a chunked body");
          }
          int semi = sizeLine.indexOf(';');
          int size;
          try {
            size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
          } catch (NumberFormatException e) {
            throw new BadRequest(400, "malformed chunk size");
          }
          if (size == 0) {
            String trailer;
            do {
              trailer = line(MAX_HEADER_LINE, false);
            } while (trailer != null && !trailer.isEmpty());
            return out.toByteArray();
          }
          if (size < 0 || out.size() + size > MAX_BODY) {
            throw new BadRequest(413, "body too large");
          }
          out.writeBytes(exactly(size));
          line(2, false);
        }
      }
      String cl = headers.get("content-length");
      if (cl == null) {
        return new byte[0];
      }
      int length;
      try {
        length = Integer.parseInt(cl.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "malformed Content-Length");
      }
      if (length < 0 || length > MAX_BODY) {
        throw new BadRequest(413, "body too large");
      }
      return exactly(length);
    }

    private byte[] exactly(int n) throws IOException, BadRequest {
      byte[] out = new byte[n];
      int done = 0;
      while (done < n) {
        if (pos == limit && !fill()) {
          throw new BadRequest(400, "connection closed inside the body");
        }
        int k = Math.min(n - done, limit - pos);
        System.arraycopy(buf, pos, out, done, k);
        pos += k;
        done += k;
      }
      return out;
    }

    /** A line without its CRLF (ISO-8859-1), or null at end of stream before any byte. */
    private String line(int max, boolean requestLine) throws IOException, BadRequest {
      var sb = new StringBuilder();
      while (true) {
        if (pos == limit && !fill()) {
          if (sb.isEmpty()) {
            return null;
          }
          throw new BadRequest(400, "connection closed inside a line");
        }
        byte b = buf[pos++];
        if (b == '\n') {
          int len = sb.length();
          if (len > 0 && sb.charAt(len - 1) == '\r') {
            sb.setLength(len - 1);
          }
          return sb.toString();
        }
        if (sb.length() >= max) {
          throw new BadRequest(requestLine ? 414 : 431, "line longer than " + max + " bytes");
        }
        sb.append((char) (b & 0xff));
      }
    }

    private boolean fill() throws IOException {
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    }
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
