package dev.integrity.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import dev.integrity.config.LogSettings;
import dev.integrity.run.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * The console's log lines: {@link #configure} applies the settings' format and level once they are
 * read; {@link #quietWhile} holds INFO lines back while live progress bars are drawn on a terminal
 * (they would tear the bars apart), unless INTEGRITY_LOG_LEVEL asks for more; and on a terminal
 * both leave off the console the log line of a run's ending, which the command's printed report
 * states in the same words. Not thread-safe; used from the command's thread.
 */
final class ConsoleLogs implements AutoCloseable {
  private final Logger root;
  private final Level before;
  // The log file's appender (toFile), and the console appenders with the filters added to them:
  // all removed on close.
  private final FileAppender<ILoggingEvent> file;
  private final List<Appender<ILoggingEvent>> consoles;
  private final List<Filter<ILoggingEvent>> added;

  private ConsoleLogs(Logger root, Level before) {
    this(root, before, null, List.of(), List.of());
  }

  private ConsoleLogs(
      Logger root,
      Level before,
      FileAppender<ILoggingEvent> file,
      List<Appender<ILoggingEvent>> consoles,
      List<Filter<ILoggingEvent>> added) {
    this.root = root;
    this.before = before;
    this.file = file;
    this.consoles = consoles;
    this.added = added;
  }

  /**
   * Until closed, the console keeps only WARN and ERROR lines and every line goes to {@code log}
   * (appended), so that INFO lines do not interleave with a command's progress and summary; the
   * console says once where the file is. When the file cannot be opened, INFO lines are only held
   * back from the console, and it says so. With INTEGRITY_LOG_LEVEL set, the console keeps its
   * lines as asked. On a terminal, the console also leaves off the line of a run's ending, which
   * the command's report states (see {@link #statedByReport}); the file keeps it.
   */
  static ConsoleLogs toFile(CliContext ctx, Path log) {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)
        || ctx.settings().logging().level() != null) {
      // INTEGRITY_LOG_LEVEL asked for the console's lines: they stay there.
      return new ConsoleLogs(null, null);
    }
    FileAppender<ILoggingEvent> file = null;
    try {
      Path parent = log.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      LoggerContext context = root.getLoggerContext();
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern(
          "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} - %msg%n");
      encoder.start();
      file = new FileAppender<>();
      file.setContext(context);
      file.setName("integrity-log-file");
      file.setFile(log.toString());
      file.setAppend(true);
      file.setEncoder(encoder);
      file.start();
      if (!file.isStarted()) {
        file = null;
      }
    } catch (IOException | RuntimeException e) {
      file = null;
    }
    ThresholdFilter warnOnly = new ThresholdFilter();
    warnOnly.setLevel(Level.WARN.levelStr);
    warnOnly.start();
    List<Filter<ILoggingEvent>> filters = new ArrayList<>(List.of(warnOnly));
    if (reportsOnScreen(ctx)) {
      filters.add(statedByReport());
    }
    List<Appender<ILoggingEvent>> consoles = consoles(root, filters);
    if (file != null) {
      root.addAppender(file);
      ctx.err().printf("logs below WARN: %s%n", log);
    } else {
      ctx.err().printf("logs below WARN: not shown (%s could not be opened)%n", log);
    }
    return new ConsoleLogs(root, root.getLevel(), file, consoles, filters);
  }

  /** Adds the filters to every console appender (the root's, before a file is added). */
  private static List<Appender<ILoggingEvent>> consoles(
      Logger root, List<Filter<ILoggingEvent>> filters) {
    List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
    root.iteratorForAppenders().forEachRemaining(consoles::add);
    for (Appender<ILoggingEvent> console : consoles) {
      filters.forEach(console::addFilter);
    }
    return consoles;
  }

  /**
   * Whether the command's report and its console logs meet on one screen, in words meant for a
   * person: a terminal, text logs, and no INTEGRITY_LOG_LEVEL asking for every line. Piped (cron,
   * scripts), stderr may be all that is read; JSON logs go to machines: both keep every line.
   */
  private static boolean reportsOnScreen(CliContext ctx) {
    LogSettings logging = ctx.settings().logging();
    return ctx.tty() && logging.level() == null && logging.format() != LogSettings.Format.JSON;
  }

  private static Filter<ILoggingEvent> statedByReport() {
    StatedByReport filter = new StatedByReport();
    filter.start();
    return filter;
  }

  /**
   * Leaves off the console the log line of a run's ending ({@link RunReport#ENDING}): the report
   * the command prints says the same words, and a person should read them once.
   */
  private static final class StatedByReport extends Filter<ILoggingEvent> {
    @Override
    public FilterReply decide(ILoggingEvent event) {
      List<Marker> markers = event.getMarkerList();
      if (markers != null) {
        for (Marker marker : markers) {
          if (marker.contains(RunReport.ENDING)) {
            return FilterReply.DENY;
          }
        }
      }
      return FilterReply.NEUTRAL;
    }
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

  /**
   * Where a command's log file goes: beside the SQLite store's file when the store is one (the
   * demo's {@code data/}), else in the working directory.
   */
  static Path beside(CliContext ctx, String dbUrl, String name) {
    String url = dbUrl == null || dbUrl.isBlank() ? ctx.settings().store().url() : dbUrl;
    String prefix = "jdbc:sqlite:";
    if (url != null && url.startsWith(prefix) && !url.contains(":memory:")) {
      String file = url.substring(prefix.length());
      int query = file.indexOf('?');
      Path db = Path.of(query < 0 ? file : file.substring(0, query));
      return db.getParent() == null ? Path.of(name) : db.getParent().resolve(name);
    }
    return Path.of(name);
  }

  /**
   * Until closed: while {@code drawing} progress bars, the console keeps only WARN and ERROR lines
   * (unless INTEGRITY_LOG_LEVEL asks for more); on a terminal it leaves off the line of a run's
   * ending, which the command's report states.
   */
  static ConsoleLogs quietWhile(boolean drawing, CliContext ctx) {
    if (!(LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root)) {
      return new ConsoleLogs(null, null);
    }
    Level before = root.getLevel();
    if (drawing && ctx.settings().logging().level() == null) {
      root.setLevel(Level.WARN);
    }
    if (!reportsOnScreen(ctx)) {
      return new ConsoleLogs(root, before);
    }
    List<Filter<ILoggingEvent>> filters = List.of(statedByReport());
    return new ConsoleLogs(root, before, null, consoles(root, filters), filters);
  }

  @Override
  public void close() {
    if (root == null) {
      return;
    }
    root.setLevel(before);
    for (Appender<ILoggingEvent> console : consoles) {
      // Appenders keep filters in a list; only ours are taken out.
      List<Filter<ILoggingEvent>> kept = new ArrayList<>(console.getCopyOfAttachedFiltersList());
      kept.removeAll(added);
      console.clearAllFilters();
      kept.forEach(console::addFilter);
    }
    if (file != null) {
      root.detachAppender(file);
      file.stop();
    }
  }
}
