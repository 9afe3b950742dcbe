package dev.integrity.store;

import dev.integrity.Secret;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the store lives: JDBC URL plus optional user and password; {@code toString} masks the
 * password, also one written into the URL. Immutable and thread-safe.
 */
public record StoreSettings(String url, String user, Secret password) {
  /** The store when neither {@code --db} nor {@code INTEGRITY_DB_URL} names one. */
  public static final String DEFAULT_URL = "jdbc:sqlite:data/integrity.db";

  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)(password=)[^&;]*");
  private static final Pattern USER_INFO = Pattern.compile("(//[^/:@?]+:)[^/@?]*(@)");

  public StoreSettings {
    Objects.requireNonNull(url, "url");
  }

  public static StoreSettings of(String url) {
    return new StoreSettings(url, null, null);
  }

  /** The URL with any password in it replaced by {@code ****}, fit for logs and messages. */
  public String maskedUrl() {
    return mask(url);
  }

  static String mask(String url) {
    if (url == null) {
      return "null";
    }
    String masked = PASSWORD_PARAM.matcher(url).replaceAll("$1****");
    return USER_INFO.matcher(masked).replaceAll("$1****$2");
  }

  @Override
  public String toString() {
    return "StoreSettings[url="
        + maskedUrl()
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : password)
        + "]";
  }
}
