package dev.integrity.testing;

import dev.integrity.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL for tests (127.0.0.1:5432, database {@code test}, trust auth), one fresh
 * schema per use so parallel and repeated runs never see each other's rows. Skips the calling test,
 * printing why, where the server is absent.
 */
public final class Postgres implements AutoCloseable {
  public static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final List<String> USERS = List.of("postgres", "root");

  private final String user;
  private final String schema;

  private Postgres(String user, String schema) {
    this.user = user;
    this.schema = schema;
  }

  /** A fresh schema, or the test is skipped with the reason printed. */
  public static Postgres freshSchema(String testName) {
    String reason = "no PostgreSQL at " + SERVER;
    String found = null;
    for (String candidate : USERS) {
      try (Connection c =
          DriverManager.getConnection(
              SERVER + "?connectTimeout=2&socketTimeout=10", candidate, "")) {
        found = candidate;
        break;
      } catch (SQLException e) {
        reason = "PostgreSQL at " + SERVER + " unreachable as " + candidate + ": " + e.getMessage();
      }
    }
    if (found == null) {
      System.err.println("Skipping " + testName + ": " + reason);
    }
    Assumptions.assumeTrue(found != null, reason);
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(found, "CREATE SCHEMA " + schema);
    return new Postgres(found, schema);
  }

  public String url() {
    return SERVER + "?currentSchema=" + schema;
  }

  public String user() {
    return user;
  }

  public StoreSettings storeSettings() {
    return new StoreSettings(url(), user, null);
  }

  @Override
  public void close() {
    execute(user, "DROP SCHEMA " + schema + " CASCADE");
  }

  private static void execute(String user, String sql) {
    try (Connection c = DriverManager.getConnection(SERVER + "?connectTimeout=2", user, "");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
