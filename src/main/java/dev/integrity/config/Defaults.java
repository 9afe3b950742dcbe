package dev.integrity.config;

import java.util.List;

/** Defaulting of the options every check shares. Stateless and thread-safe. */
final class Defaults {
  private Defaults() {}

  static String id(String id, String type, List<String> fields) {
    return id != null ? id : type + ":" + String.join("+", fields);
  }

  static Severity severity(Severity severity) {
    return severity == null ? Severity.FAIL : severity;
  }

  static Location location(Location location) {
    return location == null ? Location.of("") : location;
  }
}
