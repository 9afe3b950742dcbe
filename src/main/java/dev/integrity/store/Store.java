package dev.integrity.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run store: a pooled connection to SQLite or PostgreSQL, migrated on open, with repositories
 * for runs, issues, schedules and alerts. Thread-safe; close it once, when the process is done.
 */
public final class Store implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Store.class);
  private static final String POOL_NAME = "integrity-store";
  // SQLite allows one writer at a time: a few connections serve concurrent readers, more would
  // only queue on the write lock.
  private static final int SQLITE_POOL_SIZE = 4;
  private static final int POSTGRESQL_POOL_SIZE = 10;

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final StoreTimeouts timeouts;
  private final RunRepository runs;
  private final IssueRepository issues;
  private final ScheduleRepository schedules;
  private final AlertRepository alerts;
  private final MirrorRepository mirrors;
  private final AckRepository acks;
  private final Db db;

  private Store(HikariDataSource dataSource, Dialect dialect, StoreTimeouts timeouts, Clock clock) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.timeouts = timeouts;
    Db db = new Db(Jdbi.create(dataSource), dialect, clock);
    this.db = db;
    this.mirrors = new JdbiMirrorRepository(db);
    this.runs = new JdbiRunRepository(db);
    this.issues = new JdbiIssueRepository(db);
    this.schedules = new JdbiScheduleRepository(db);
    this.alerts = new JdbiAlertRepository(db);
    this.acks = new JdbiAckRepository(db);
  }

  /** Opens the store with the default timeouts. */
  public static Store open(StoreSettings settings, Clock clock) {
    return open(settings, StoreTimeouts.defaults(), clock);
  }

  /**
   * Connects, migrates the schema and returns the store.
   *
   * @throws StoreException naming the (masked) URL when it is unsupported, unreachable within the
   *     connection timeout, or the migration fails
   */
  public static Store open(StoreSettings settings, StoreTimeouts timeouts, Clock clock) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(timeouts, "timeouts");
    Objects.requireNonNull(clock, "clock");
    Dialect dialect = Dialect.of(settings.url());
    HikariConfig config = poolConfig(settings, dialect, timeouts);
    log.info(
        "opening store: dialect={}, url={}, user={}, password={}, pool={} (max {}),"
            + " connectionTimeout={}, busyTimeout={}, statementTimeout={}",
        dialect,
        settings.maskedUrl(),
        settings.user(),
        settings.password() == null ? "none" : settings.password(),
        POOL_NAME,
        config.getMaximumPoolSize(),
        timeouts.connectionTimeout(),
        timeouts.busyTimeout(),
        timeouts.statementTimeout());
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to the store at "
              + settings.maskedUrl()
              + " within "
              + timeouts.connectionTimeout()
              + ": "
              + Db.rootCause(e),
          e);
    }
    try {
      MigrateResult result =
          Flyway.configure()
              .dataSource(dataSource)
              .locations(dialect.migrationLocation())
              .failOnMissingLocations(true)
              .load()
              .migrate();
      log.info(
          "store ready: {} migration(s) applied, schema version {}",
          result.migrationsExecuted,
          result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion);
    } catch (RuntimeException e) {
      dataSource.close();
      throw new StoreException(
          "cannot migrate the store at " + settings.maskedUrl() + ": " + Db.rootCause(e), e);
    }
    return new Store(dataSource, dialect, timeouts, clock);
  }

  private static HikariConfig poolConfig(
      StoreSettings settings, Dialect dialect, StoreTimeouts timeouts) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(POOL_NAME);
    config.setJdbcUrl(settings.url());
    config.setDriverClassName(dialect.driverClass());
    config.setConnectionTimeout(timeouts.connectionTimeout().toMillis());
    config.setValidationTimeout(
        Math.max(
            250,
            Math.min(timeouts.pingTimeout().toMillis(), timeouts.connectionTimeout().toMillis())));
    if (settings.user() != null) {
      config.setUsername(settings.user());
    }
    if (settings.password() != null) {
      config.setPassword(settings.password().reveal());
    }
    switch (dialect) {
      case SQLITE -> {
        createParentDirectory(settings.url());
        config.setMaximumPoolSize(SQLITE_POOL_SIZE);
        config.setMinimumIdle(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty(
            "busy_timeout", String.valueOf(timeouts.busyTimeout().toMillis()));
        config.addDataSourceProperty("foreign_keys", "true");
        // WAL with synchronous=NORMAL stays consistent after a crash and avoids an fsync per
        // commit.
        config.addDataSourceProperty("synchronous", "NORMAL");
        // BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads then writes
        // waits on busy_timeout instead of failing with SQLITE_BUSY when it upgrades.
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
      }
      case POSTGRESQL -> {
        config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
        config.setMinimumIdle(1);
        // connectTimeout covers only TCP; a server that accepts and then stays silent is bounded
        // by loginTimeout (whole login) and sslResponseTimeout (default 5 s otherwise).
        config.addDataSourceProperty("connectTimeout", seconds(timeouts.connectionTimeout()));
        config.addDataSourceProperty("loginTimeout", seconds(timeouts.connectionTimeout()));
        config.addDataSourceProperty(
            "sslResponseTimeout", String.valueOf(timeouts.connectionTimeout().toMillis()));
        // A dead server or network must not block a statement forever: socketTimeout backs up
        // the server-side statement_timeout.
        config.addDataSourceProperty(
            "socketTimeout", seconds(timeouts.statementTimeout().multipliedBy(2)));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "integrity-runner");
        config.setConnectionInitSql(
            "SET statement_timeout = " + timeouts.statementTimeout().toMillis());
      }
    }
    return config;
  }

  private static String seconds(Duration duration) {
    return String.valueOf(Math.max(1, (duration.toMillis() + 999) / 1000));
  }

  private static void createParentDirectory(String url) {
    String path = url.substring(Dialect.SQLITE.urlPrefix().length());
    int query = path.indexOf('?');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
    }
    if (path.isBlank() || path.startsWith(":memory:") || path.contains("mode=memory")) {
      throw new StoreException(
          "unsupported SQLite URL "
              + StoreSettings.mask(url)
              + ": the store needs a file (e.g. jdbc:sqlite:data/integrity.db), since every pooled"
              + " connection must see the same database");
    }
    Path parent = Path.of(path).toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new StoreException(
            "cannot create the directory " + parent + " for the store " + StoreSettings.mask(url),
            e);
      }
    }
  }

  public RunRepository runs() {
    return runs;
  }

  public IssueRepository issues() {
    return issues;
  }

  public ScheduleRepository schedules() {
    return schedules;
  }

  /** Acknowledgements of issues (triage). */
  public AckRepository acks() {
    return acks;
  }

  public AlertRepository alerts() {
    return alerts;
  }

  public MirrorRepository mirrors() {
    return mirrors;
  }

  /**
   * Runs {@code work} in one transaction: every repository call it makes on this thread joins it,
   * so they all commit together or, when {@code work} throws, none does (e.g. applying webhook
   * payloads to the mirror and saving the run that checked them).
   *
   * @throws StoreException when the database fails; whatever {@code work} throws otherwise
   */
  public <T> T inTransaction(String operation, java.util.function.Supplier<T> work) {
    return db.inTransaction(operation, h -> work.get());
  }

  /** The pooled data source, e.g. for db-scheduler; do not close it, close the store. */
  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** True when the database answers; takes at most the connection timeout plus the ping timeout. */
  public boolean ping() {
    if (dataSource.isClosed()) {
      return false;
    }
    try (Connection connection = dataSource.getConnection()) {
      return connection.isValid((int) Math.max(1, timeouts.pingTimeout().toSeconds()));
    } catch (SQLException | RuntimeException e) {
      log.warn("store ping failed: {}", Db.rootCause(e));
      return false;
    }
  }

  @Override
  public void close() {
    // Hikari waits for in-use connections only up to its own bounded shutdown, then evicts them.
    dataSource.close();
  }
}
