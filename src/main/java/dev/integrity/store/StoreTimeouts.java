package dev.integrity.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The store's time limits, so no database call can hang: {@code connectionTimeout} bounds getting a
 * pooled connection (and a PostgreSQL connect), {@code pingTimeout} the readiness check, {@code
 * busyTimeout} a SQLite writer waiting for the lock, {@code statementTimeout} one PostgreSQL
 * statement. Immutable and thread-safe.
 */
public record StoreTimeouts(
    Duration connectionTimeout,
    Duration pingTimeout,
    Duration busyTimeout,
    Duration statementTimeout) {

  public StoreTimeouts {
    requirePositive(connectionTimeout, "connectionTimeout");
    requirePositive(pingTimeout, "pingTimeout");
    requirePositive(busyTimeout, "busyTimeout");
    requirePositive(statementTimeout, "statementTimeout");
    // HikariCP refuses anything below 250 ms.
    if (connectionTimeout.toMillis() < 250) {
      throw new IllegalArgumentException(
          "connectionTimeout must be at least 250 ms, was " + connectionTimeout);
    }
  }

  public static StoreTimeouts defaults() {
    return new StoreTimeouts(
        Duration.ofSeconds(5),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5),
        Duration.ofSeconds(60));
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
