package dev.integrity.cli;

import dev.integrity.IntegrityException;
import dev.integrity.config.ConfigException;
import dev.integrity.config.ConfigProblem;
import dev.integrity.run.UnknownEntityException;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code integrity} command tree with the contract's exit codes. Not thread-safe. */
final class Cli {
  private final CliContext ctx;

  Cli(CliContext ctx) {
    this.ctx = ctx;
  }

  @Command(
      name = "integrity",
      mixinStandardHelpOptions = true,
      scope = CommandLine.ScopeType.INHERIT,
      version = "integrity-runner 0.1.0",
      description = "Checks the integrity of Airtable bases, without ever hanging.")
  static final class Root implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCode.USAGE;
    }
  }

  int execute(String... args) {
    CommandLine cli = new CommandLine(new Root());
    cli.addSubcommand(new RunCommand(ctx));
    cli.addSubcommand(RunsCommand.create(ctx));
    cli.addSubcommand(new IssuesCommand(ctx));
    cli.addSubcommand(new ValidateCommand(ctx));
    cli.addSubcommand(new SimulateCommand(ctx));
    cli.addSubcommand(new DemoCommand(ctx));
    cli.addSubcommand(new ServeCommand(ctx));
    cli.addSubcommand(new ReapCommand(ctx));
    cli.addSubcommand(new InitCommand(ctx));
    cli.addSubcommand(WebhooksCommand.create(ctx));
    cli.addSubcommand(new AckCommand.Acknowledge(ctx));
    cli.addSubcommand(AckCommand.group(ctx));
    cli.setOut(new java.io.PrintWriter(ctx.out(), true));
    cli.setErr(new java.io.PrintWriter(ctx.err(), true));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler(
        (e, a) -> {
          ctx.err().println("integrity: " + e.getMessage());
          CommandLine.UnmatchedArgumentException.printSuggestions(e, ctx.err());
          ctx.err().println("Try '" + e.getCommandLine().getCommandName() + " --help'.");
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler((e, command, parsed) -> handle(e));
    return cli.execute(args);
  }

  private int handle(Exception e) {
    switch (e) {
      case ConfigException c -> {
        ctx.err()
            .println("integrity: configuration error" + (c.problems().size() > 1 ? "s" : "") + ":");
        for (ConfigProblem p : c.problems()) {
          ctx.err().println("  " + describe(p));
        }
        return ExitCode.USAGE;
      }
      case ActiveRunExistsException a -> {
        ctx.err().println("integrity: " + a.getMessage());
        return ExitCode.BASE_BUSY;
      }
      case UnknownEntityException u -> {
        ctx.err().println("integrity: " + u.getMessage());
        return ExitCode.USAGE;
      }
      case StoreException s -> {
        ctx.err().println("integrity: " + s.getMessage());
        return ExitCode.USAGE;
      }
      case UsageException u -> {
        ctx.err().println("integrity: " + u.getMessage());
        return ExitCode.USAGE;
      }
      case IntegrityException i -> {
        ctx.err().println("integrity: " + i.getMessage());
        return ExitCode.ERROR;
      }
      default -> {
        ctx.err().println("integrity: unexpected error: " + e);
        e.printStackTrace(ctx.err());
        return ExitCode.ERROR;
      }
    }
  }

  static String describe(ConfigProblem p) {
    StringBuilder s = new StringBuilder();
    s.append(p.file() == null ? "<env>" : p.file().toString());
    if (p.line() > 0) {
      s.append(':').append(p.line());
      if (p.column() > 0) {
        s.append(':').append(p.column());
      }
    }
    if (p.path() != null && !p.path().isEmpty()) {
      s.append(" (").append(p.path()).append(')');
    }
    return s.append(": ").append(p.message()).toString();
  }

  /** A command used wrongly in a way picocli cannot see (bad combination, unknown id). */
  static final class UsageException extends IntegrityException {
    UsageException(String message) {
      super(message);
    }
  }
}
