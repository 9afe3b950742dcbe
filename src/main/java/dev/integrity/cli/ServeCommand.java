package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code integrity serve}: schedules, reaper, alerts, REST API, dashboard and metrics. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the always-on service for one or more bases.")
final class ServeCommand implements Callable<Integer> {
  private final CliContext ctx;
  @Mixin DbOption db;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "one integrity.yml per base (repeatable)")
  List<Path> configs;

  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", defaultValue = "8080")
  int port;

  ServeCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  private static long positive(String value) {
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds > 0) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Cli.UsageException(
        "SCHEDULE_POLL_INTERVAL_SECONDS must be a positive number of seconds, not '" + value + "'");
  }

  @Override
  public Integer call() {
    IntegrityApp app =
        IntegrityApp.builder()
            .environment(ctx.env())
            .clock(ctx.clock())
            .dbUrl(db.url)
            .configs(configs)
            .build();
    try {
      Service.Options options = Service.Options.of(host, port);
      String poll = ctx.env().get("SCHEDULE_POLL_INTERVAL_SECONDS");
      if (poll != null) {
        options = options.withSchedulePolling(Duration.ofSeconds(positive(poll)));
      }
      return Serving.untilInterrupted(ctx, app, options);
    } finally {
      app.close();
    }
  }
}
