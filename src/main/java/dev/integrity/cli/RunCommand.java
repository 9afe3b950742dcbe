package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunPlan;
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
                .environment(ctx.env())
                .clock(ctx.clock())
                .dbUrl(db.url)
                .config(config)
                .runListener(progress)
                .build()) {
      RunPlan plan = app.plan(null).orElseThrow();
      RunReport report =
          runOnce(
              app,
              plan,
              entities,
              Trigger.MANUAL,
              incremental ? RunMode.INCREMENTAL : RunMode.FULL,
              progress);
      Reports.print(ctx.out(), report, format);
      return ExitCode.of(report);
    }
  }

  /**
   * Submits and executes one run; Ctrl-C cancels it (it ends {@code cancelled}) instead of leaving
   * it {@code running}.
   */
  static RunReport runOnce(
      IntegrityApp app, RunPlan plan, List<String> entities, Trigger trigger, Progress progress) {
    return runOnce(app, plan, entities, trigger, RunMode.FULL, progress);
  }

  static RunReport runOnce(
      IntegrityApp app,
      RunPlan plan,
      List<String> entities,
      Trigger trigger,
      RunMode mode,
      Progress progress) {
    RunRecord queued = app.engine().submit(plan, trigger, null, entities, mode);
    progress.begin(queued);
    Thread hook =
        new Thread(
            () -> {
              app.engine().cancel(queued.id());
            },
            "integrity-cancel-on-exit");
    boolean hooked = addHook(hook);
    try {
      RunRecord ended = app.engine().execute(plan, queued.id());
      progress.end();
      return RunReport.of(
          ended, app.store().runs().entities(ended.id()), app.store().issues().summary(ended.id()));
    } finally {
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it cancels the run
        }
      }
    }
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }
}
