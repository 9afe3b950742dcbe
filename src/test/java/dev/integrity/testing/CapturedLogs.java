package dev.integrity.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures the log events of one logger (the root by default) during each test: register it with
 * {@code @RegisterExtension}. Events are logged from many threads while a test reads them, so
 * {@link #events()} copies under the appender's own lock (logback appends holding it) instead of
 * reading the appender's list as it grows.
 */
public final class CapturedLogs implements BeforeEachCallback, AfterEachCallback {
  private final String loggerName;
  private ListAppender<ILoggingEvent> appender;

  private CapturedLogs(String loggerName) {
    this.loggerName = loggerName;
  }

  /** Everything logged, through the root logger. */
  public static CapturedLogs root() {
    return new CapturedLogs(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  /** What the logger of that name (and those below it) logs. */
  public static CapturedLogs of(String loggerName) {
    return new CapturedLogs(loggerName);
  }

  private Logger logger() {
    return (Logger) LoggerFactory.getLogger(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    appender = new ListAppender<>();
    appender.start();
    logger().addAppender(appender);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger().detachAppender(appender);
    appender.stop();
  }

  /** The events so far, in the order they were logged. */
  public List<ILoggingEvent> events() {
    synchronized (appender) {
      return List.copyOf(appender.list);
    }
  }

  /** The messages so far, with their arguments filled in. */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
