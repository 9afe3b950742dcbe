package dev.integrity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * What the repositories share: JDBI, the dialect, the wall clock, the timestamp and JSON
 * representations, and the translation of JDBI failures into {@link StoreException}. Thread-safe.
 */
final class Db {
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  final Jdbi jdbi;
  final Dialect dialect;
  private final Clock clock;
  private final ObjectMapper json = JsonMapper.create();

  Db(Jdbi jdbi, Dialect dialect, Clock clock) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    this.clock = clock;
  }

  /** Wall-clock now in the stored representation (epoch millis). */
  long now() {
    return clock.millis();
  }

  Instant nowInstant() {
    return Instant.ofEpochMilli(now());
  }

  <T> T with(String operation, HandleCallback<T, RuntimeException> callback) {
    try {
      return jdbi.withHandle(callback);
    } catch (JdbiException e) {
      throw failure(operation, e);
    }
  }

  void use(String operation, HandleConsumer<RuntimeException> consumer) {
    try {
      jdbi.useHandle(consumer);
    } catch (JdbiException e) {
      throw failure(operation, e);
    }
  }

  <T> T inTransaction(String operation, HandleCallback<T, RuntimeException> callback) {
    try {
      return jdbi.inTransaction(callback);
    } catch (JdbiException e) {
      throw failure(operation, e);
    }
  }

  void useTransaction(String operation, HandleConsumer<RuntimeException> consumer) {
    try {
      jdbi.useTransaction(consumer);
    } catch (JdbiException e) {
      throw failure(operation, e);
    }
  }

  StoreException failure(String operation, Throwable e) {
    return new StoreException(
        operation
            + " failed on the "
            + dialect.name().toLowerCase(java.util.Locale.ROOT)
            + " store: "
            + rootCause(e),
        e);
  }

  static String rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  /**
   * True when {@code e} is a unique-constraint violation of {@code index}. PostgreSQL names the
   * index; SQLite names the indexed columns instead ({@code table.column}).
   */
  static boolean isUniqueViolation(Throwable e, String index, String sqliteColumns) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql) {
        String message = String.valueOf(sql.getMessage());
        boolean unique =
            "23505".equals(sql.getSQLState()) || message.contains("SQLITE_CONSTRAINT_UNIQUE");
        if (unique && (message.contains(index) || message.contains(sqliteColumns))) {
          return true;
        }
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  static Long millis(Instant instant) {
    return instant == null ? null : instant.toEpochMilli();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  String toJson(List<String> values) {
    try {
      return json.writeValueAsString(values == null ? List.of() : values);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode list " + values + " as JSON", e);
    }
  }

  List<String> fromJson(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    try {
      return json.readValue(text, STRING_LIST);
    } catch (JsonProcessingException e) {
      throw new StoreException("stored list is not a JSON array of strings: " + text, e);
    }
  }
}
