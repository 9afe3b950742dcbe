package dev.integrity.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * HTML helpers the templates do not cover: escaping is the templates' (JTE, HTML mode), but an
 * escaped {@code javascript:} URL is still a live link, so record URLs pass {@link #safeHttpUrl}
 * first. Stateless and thread-safe.
 */
final class Html {
  private Html() {}

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
