package dev.integrity.config;

import java.nio.file.Path;

/**
 * One configuration problem: where it is (file, 1-based line and column, key path) and what is
 * wrong. For problems in environment variables {@code file} is null, line and column are 0 and
 * {@code path} names the variable. Messages never contain a secret's value. Immutable and
 * thread-safe.
 */
public record ConfigProblem(Path file, int line, int column, String path, String message) {

  static ConfigProblem at(Location location, String message) {
    return new ConfigProblem(
        location.file(), location.line(), location.column(), location.path(), message);
  }

  static ConfigProblem inEnvironment(String variable, String message) {
    return new ConfigProblem(null, 0, 0, variable, message);
  }

  /** {@code file:line:column: path: message}, the form editors and terminals link to. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (file != null) {
      out.append(file);
      if (line > 0) {
        out.append(':').append(line).append(':').append(column);
      }
      out.append(": ");
    } else {
      out.append("environment: ");
    }
    if (path != null && !path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message).toString();
  }
}
