package dev.integrity.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * While live progress bars are drawn on a terminal, INFO lines on the same stderr would tear them
 * apart: the console then shows warnings and errors only, unless INTEGRITY_LOG_LEVEL asks for more.
 * Not thread-safe; used from the command's thread.
 */
final class ConsoleLogs implements AutoCloseable {
  private final Logger root;
  private final Level before;

  private ConsoleLogs(Logger root, Level before) {
    this.root = root;
    this.before = before;
  }

  static ConsoleLogs quietWhile(boolean drawing, CliContext ctx) {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
      return new ConsoleLogs(null, null);
    }
    Level before = root.getLevel();
    if (drawing && ctx.env().get("INTEGRITY_LOG_LEVEL") == null) {
      root.setLevel(Level.WARN);
    }
    return new ConsoleLogs(root, before);
  }

  @Override
  public void close() {
    if (root != null) {
      root.setLevel(before);
    }
  }
}
