package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.common.CancelOutcome;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.run.RunReport;
import dev.integrity.store.RunQuery;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code integrity runs list|show|cancel}. */
final class RunsCommand {
  private RunsCommand() {}

  @Command(
      name = "runs",
      mixinStandardHelpOptions = true,
      description = "List, show or cancel runs.")
  static final class Group extends CommandGroup {}

  static CommandLine create(CliContext ctx) {
    CommandLine group = new CommandLine(new Group());
    group.addSubcommand(new ListRuns(ctx));
    group.addSubcommand(new ShowRun(ctx));
    group.addSubcommand(new CancelRun(ctx));
    return group;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Option(
        names = "--status",
        description = "queued, running, succeeded, error, timeout, cancelled")
    String status;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    Format format;

    ListRuns(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      RunStatus wanted = status == null ? null : parseStatus(status);
      if (limit < 1) {
        throw new Cli.UsageException("--limit must be at least 1");
      }
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        List<RunRecord> runs = app.store().runs().list(new RunQuery(wanted, null, limit));
        List<RunReport> reports =
            runs.stream()
                .map(r -> RunReport.summary(r, app.store().issues().summary(r.id())))
                .toList();
        Reports.list(ctx.out(), reports, format);
        return 0;
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One run with its entities and its issues per check.")
  static final class ShowRun implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    Format format;

    ShowRun(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        RunRecord run =
            app.store()
                .runs()
                .find(id)
                .orElseThrow(() -> new Cli.UsageException("no run with id " + id));
        Reports.print(
            ctx.out(),
            RunReport.of(run, app.store().runs().entities(id), app.store().issues().summary(id)),
            format,
            app.monthlyUse(id).orElse(null));
        if (format == Format.TEXT) {
          // Entities in the config's order (the run's), as the entity table above.
          Reports.checks(
              ctx.out(),
              app.store().issues().checkCounts(id).stream()
                  .sorted(Comparator.comparingInt(c -> run.entities().indexOf(c.entity())))
                  .toList());
        }
        return 0;
      }
    }
  }

  @Command(
      name = "cancel",
      mixinStandardHelpOptions = true,
      description = "Ask a running run to stop; it ends as cancelled.")
  static final class CancelRun implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Parameters(paramLabel = "ID")
    String id;

    CancelRun(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        CancelOutcome outcome = app.cancel(id);
        switch (outcome) {
          case CANCELLED -> ctx.out().println("run " + id + " cancelled");
          case REQUESTED ->
              ctx.out()
                  .println(
                      "run " + id + ": cancel requested; its owner stops it at its next heartbeat");
          case ALREADY_ENDED ->
              ctx.out()
                  .println(
                      "run "
                          + id
                          + " had already ended as "
                          + app.store().runs().find(id).map(r -> r.status().wire()).orElse("?"));
          case NOT_FOUND -> throw new Cli.UsageException("no run with id " + id);
        }
        return 0;
      }
    }
  }

  static RunStatus parseStatus(String s) {
    try {
      return RunStatus.parse(s);
    } catch (RuntimeException e) {
      throw new Cli.UsageException(
          "unknown status '" + s + "' (queued, running, succeeded, error, timeout, cancelled)");
    }
  }
}
