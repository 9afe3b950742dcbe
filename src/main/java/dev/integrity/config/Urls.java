package dev.integrity.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** URL checks shared by the environment and file readers. Stateless and thread-safe. */
final class Urls {
  private Urls() {}

  /** The URI when {@code text} is an absolute http or https URL with a host, else null. */
  static URI httpUri(String text) {
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme();
      if (scheme == null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      return uri.getHost() == null || uri.getHost().isEmpty() ? null : uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
