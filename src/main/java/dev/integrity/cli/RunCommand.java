package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code integrity run}: one run, persisted, then exit with the contract's exit code. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the checks of one base once and exit.")
final class RunCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Mixin DbOption db;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "integrity.yml")
  Path config;

  @Option(
      names = "--entities",
      split = ",",
      paramLabel = "a,b",
      description = "entities to check (default: all)")
  List<String> entities = List.of();

  @Option(names = "--format", defaultValue = "text", description = "text or json")
  Format format;

  @Option(
      names = "--incremental",
      description =
          "read only the changes since the last run through the base's webhook (the first such run"
              + " is a full scan that creates it)")
  boolean incremental;

  RunCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (format == Format.CSV) {
      throw new Cli.UsageException("run prints text or json, not csv");
    }
    boolean live = ctx.tty() && format == Format.TEXT;
    Progress progress = new Progress(ctx.err(), live);
    try (ConsoleLogs quiet = ConsoleLogs.quietWhile(live, ctx);
        IntegrityApp app =
            IntegrityApp.builder()
                .settings(ctx.settings())
                .clock(ctx.clock())
                .dbUrl(db.url)
                .config(config)
                .runListener(progress)
                .build()) {
      RunReport report = app.runOnce(entities, incremental ? RunMode.INCREMENTAL : RunMode.FULL);
      Reports.print(ctx.out(), report, format, app.monthlyUse(report.id()).orElse(null));
      return ExitCode.of(report);
    }
  }
}
