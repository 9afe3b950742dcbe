package dev.integrity.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import dev.integrity.config.LogSettings;
import org.slf4j.LoggerFactory;

/**
 * The console's log lines: {@link #configure} applies the settings' format and level once they are
 * read; {@link #quietWhile} holds INFO lines back while live progress bars are drawn on a terminal
 * (they would tear the bars apart), unless INTEGRITY_LOG_LEVEL asks for more. Not thread-safe; used
 * from the command's thread.
 */
final class ConsoleLogs implements AutoCloseable {
  private final Logger root;
  private final Level before;

  private ConsoleLogs(Logger root, Level before) {
    this.root = root;
    this.before = before;
  }

  /** Switches the console to the settings' format (text or JSON) and level. */
  static void configure(LogSettings logging) {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
      return;
    }
    if (logging.level() != null) {
      root.setLevel(Level.toLevel(logging.level(), Level.INFO));
    }
    if (logging.format() == LogSettings.Format.JSON
        && LoggerFactory.getLogger("integrity.appenders.json") instanceof Logger holder) {
      Appender<ILoggingEvent> json = holder.getAppender("json");
      if (json != null && root.getAppender("json") == null) {
        root.addAppender(json);
        root.detachAppender("text");
      }
    }
  }

  static ConsoleLogs quietWhile(boolean drawing, CliContext ctx) {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
      return new ConsoleLogs(null, null);
    }
    Level before = root.getLevel();
    if (drawing && ctx.settings().logging().level() == null) {
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
