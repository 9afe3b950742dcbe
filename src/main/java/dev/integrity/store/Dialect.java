package dev.integrity.store;

/** The database behind a {@link Store}, chosen from the JDBC URL. Immutable and thread-safe. */
public enum Dialect {
  SQLITE("jdbc:sqlite:", "org.sqlite.JDBC", "sqlite"),
  POSTGRESQL("jdbc:postgresql:", "org.postgresql.Driver", "postgresql");

  private final String urlPrefix;
  private final String driverClass;
  private final String migrationFolder;

  Dialect(String urlPrefix, String driverClass, String migrationFolder) {
    this.urlPrefix = urlPrefix;
    this.driverClass = driverClass;
    this.migrationFolder = migrationFolder;
  }

  String urlPrefix() {
    return urlPrefix;
  }

  String driverClass() {
    return driverClass;
  }

  String migrationLocation() {
    return "classpath:db/migration/" + migrationFolder;
  }

  /** The dialect of a JDBC URL, or a {@link StoreException} naming the (masked) URL. */
  static Dialect of(String url) {
    for (Dialect dialect : values()) {
      if (url != null && url.startsWith(dialect.urlPrefix)) {
        return dialect;
      }
    }
    throw new StoreException(
        "unsupported database URL "
            + StoreSettings.mask(url)
            + ": use jdbc:sqlite:PATH (default jdbc:sqlite:data/integrity.db) or"
            + " jdbc:postgresql://HOST:PORT/DB");
  }
}
