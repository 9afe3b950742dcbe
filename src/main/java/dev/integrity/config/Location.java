package dev.integrity.config;

import java.nio.file.Path;

/**
 * Where something was written in a config file: file, 1-based line and column, and the key path
 * (e.g. {@code entities.classes.checks[2].link.to}). A line of 0 means "not from a file" (built in
 * code or from the environment). Immutable and thread-safe.
 */
public record Location(Path file, int line, int column, String path) {

  /** A location for values built in code, known only by their key path. */
  public static Location of(String path) {
    return new Location(null, 0, 0, path);
  }

  @Override
  public String toString() {
    String where = file == null ? "" : file + (line > 0 ? ":" + line + ":" + column : "");
    if (path == null || path.isEmpty()) {
      return where;
    }
    return where.isEmpty() ? path : where + " (" + path + ")";
  }
}
