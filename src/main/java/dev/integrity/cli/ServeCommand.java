package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import java.nio.file.Path;
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

  @Override
  public Integer call() {
    try (IntegrityApp app =
        IntegrityApp.builder()
            .settings(ctx.settings())
            .clock(ctx.clock())
            .dbUrl(db.url)
            .configs(configs)
            .serving(Service.Options.of(host, port))
            .build()) {
      return Serving.untilInterrupted(ctx, app);
    }
  }
}
