package dev.integrity;

import java.util.Objects;

/**
 * A secret value (token, password, webhook URL) whose {@code toString} never reveals it, so it can
 * sit in records that get logged. Immutable and thread-safe.
 */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** Returns the secret or null when the input is null or blank. */
  public static Secret ofNullable(String value) {
    return value == null || value.isBlank() ? null : new Secret(value);
  }

  /** The plain value, for the one place that must send it. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
