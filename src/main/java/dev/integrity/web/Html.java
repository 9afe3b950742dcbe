package dev.integrity.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The one place that turns values into HTML: {@link #fill} escapes every argument unless it is
 * {@link Raw} markup built here, so untrusted text from Airtable cannot become markup. Stateless
 * and thread-safe.
 */
final class Html {
  private Html() {}

  /** Markup that is already safe (built by this class); never wrap untrusted text in it. */
  record Raw(String html) {
    @Override
    public String toString() {
      return html;
    }
  }

  /**
   * Escapes text for HTML element content and quoted attribute values: {@code & < > " '} and the
   * backtick become entities. Null becomes the empty string.
   */
  static String escape(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        case '`' -> out.append("&#96;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Replaces each {@code {}} in the template with the next argument, escaped unless it is {@link
   * Raw}. The template itself is trusted markup.
   */
  static Raw fill(String template, Object... args) {
    StringBuilder out = new StringBuilder(template.length() + 64 * args.length);
    int from = 0;
    int next = 0;
    while (true) {
      int at = template.indexOf("{}", from);
      if (at < 0) {
        break;
      }
      if (next >= args.length) {
        throw new IllegalArgumentException(
            "template has more {} than the " + args.length + " args");
      }
      out.append(template, from, at);
      Object arg = args[next++];
      out.append(arg instanceof Raw raw ? raw.html() : escape(arg));
      from = at + 2;
    }
    if (next != args.length) {
      throw new IllegalArgumentException(
          "template has " + next + " {} but " + args.length + " args were given");
    }
    out.append(template, from, template.length());
    return new Raw(out.toString());
  }

  /** Concatenates markup fragments. */
  static Raw join(Iterable<Raw> parts) {
    StringBuilder out = new StringBuilder();
    for (Raw part : parts) {
      out.append(part.html());
    }
    return new Raw(out.toString());
  }

  /**
   * The URL if it is an absolute http(s) URL, else null: a {@code javascript:} or {@code data:}
   * link from a record must never become clickable.
   */
  static String safeHttpUrl(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null) {
        return null;
      }
      String lower = scheme.toLowerCase(Locale.ROOT);
      return lower.equals("https") || lower.equals("http") ? uri.toString() : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
