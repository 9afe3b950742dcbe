package dev.integrity.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on PostgreSQL at 127.0.0.1:5432 (database {@code test}), in a fresh schema
 * dropped afterwards so parallel runs do not collide; skipped, with the reason, when unreachable.
 */
class PostgresStoreTest extends StoreContract {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final List<String> USERS = List.of("postgres", "root");
  private static String user;
  private static String schema;

  @BeforeAll
  static void createSchema() throws SQLException {
    String reason = "no PostgreSQL at " + SERVER;
    for (String candidate : USERS) {
      try (Connection c =
          DriverManager.getConnection(
              SERVER + "?connectTimeout=2&socketTimeout=10", candidate, "")) {
        user = candidate;
        break;
      } catch (SQLException e) {
        reason = "PostgreSQL at " + SERVER + " unreachable as " + candidate + ": " + e.getMessage();
      }
    }
    if (user == null) {
      System.err.println("Skipping PostgresStoreTest: " + reason);
    }
    Assumptions.assumeTrue(user != null, reason);
    schema = "store_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) {
      execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "?connectTimeout=2", user, "");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  StoreSettings settings() {
    return new StoreSettings(SERVER + "?currentSchema=" + schema, user, null);
  }
}
