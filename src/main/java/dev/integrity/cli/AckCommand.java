package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.common.JsonMapper;
import dev.integrity.common.Until;
import dev.integrity.config.AckTargets;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.Ack;
import dev.integrity.store.AckRepository;
import dev.integrity.web.AckJson;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code integrity ack} and {@code integrity acks list|delete}: triage from the command line. */
final class AckCommand {
  private AckCommand() {}

  @Command(
      name = "ack",
      mixinStandardHelpOptions = true,
      description =
          "Acknowledge the issues of one check on one entity (or of one record): they stay listed"
              + " but no longer fail a run or alert.")
  static final class Acknowledge implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Option(names = "--entity", required = true)
    String entity;

    @Option(names = "--check", required = true, description = "the check id")
    String check;

    @Option(names = "--record", description = "only this record (default: every record)")
    String record;

    @Option(names = "--field", description = "only this field")
    String field;

    @Option(names = "--reason", required = true, description = "why the issues are known")
    String reason;

    @Option(names = "--by", description = "who acknowledges (default: the system user name)")
    String by;

    @Option(
        names = "--until",
        description = "an end date (2026-12-31, through that day UTC), an instant or days (30d)")
    String until;

    @Option(names = "--base", description = "the base id, when several bases have the entity")
    String base;

    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "check the entity and check against this config (repeatable)")
    List<Path> configs = new ArrayList<>();

    Acknowledge(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Instant end;
      try {
        end = Until.parse(until, ctx.clock());
      } catch (IllegalArgumentException e) {
        throw new Cli.UsageException(e.getMessage());
      }
      String baseId = base;
      if (!configs.isEmpty()) {
        List<IntegrityConfig> loaded =
            configs.stream().map(f -> ConfigLoader.loadOffline(f, ctx.settings())).toList();
        try {
          baseId = AckTargets.baseOf(loaded, base, entity, check);
        } catch (IllegalArgumentException e) {
          throw new Cli.UsageException(e.getMessage());
        }
      }
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        AckRepository acks = app.store().acks();
        if (configs.isEmpty() && !acks.seen(baseId, entity, check)) {
          // Without a config a typo would acknowledge nothing, silently and forever.
          throw new Cli.UsageException(
              "no run has found issues of check '"
                  + check
                  + "' on entity '"
                  + entity
                  + "'"
                  + (baseId == null ? "" : " of base " + baseId)
                  + "; pass --config FILE to acknowledge a check that has no issues yet");
        }
        Ack ack;
        try {
          ack =
              acks.create(
                  new AckRepository.NewAck(
                      baseId,
                      entity,
                      check,
                      record,
                      field,
                      reason,
                      by != null ? by : System.getProperty("user.name"),
                      end));
        } catch (IllegalArgumentException e) {
          throw new Cli.UsageException(e.getMessage());
        }
        ctx.out()
            .println(
                "acknowledged "
                    + ack.scope()
                    + " as "
                    + ack.id()
                    + (ack.until() == null ? "" : " until " + ack.until())
                    + "; revoke with ./integrity acks delete "
                    + ack.id());
        return 0;
      }
    }
  }

  @Command(
      name = "acks",
      mixinStandardHelpOptions = true,
      description = "List or revoke acknowledgements.")
  static final class Group extends CommandGroup {}

  static CommandLine group(CliContext ctx) {
    CommandLine group = new CommandLine(new Group());
    group.addSubcommand(new ListAcks(ctx));
    group.addSubcommand(new DeleteAck(ctx));
    return group;
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Acknowledgements not ended, newest first (--all: every one).")
  static final class ListAcks implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    Format format;

    @Option(names = "--all", description = "also those that ended (resolved, revoked)")
    boolean all;

    ListAcks(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws java.io.IOException {
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        Map<String, Long> covering = app.store().acks().covering();
        Instant now = ctx.clock().instant();
        List<AckJson> acks =
            app.store().acks().list(all).stream()
                .map(a -> AckJson.of(a, covering.get(a.id()), now))
                .toList();
        PrintStream out = ctx.out();
        switch (format) {
          case JSON -> {
            out.println(JsonMapper.indented().writeValueAsString(acks));
          }
          case CSV -> throw new Cli.UsageException("acks list: --format is text or json");
          case TEXT -> text(out, acks);
        }
        out.flush();
        return 0;
      }
    }

    private static void text(PrintStream out, List<AckJson> acks) {
      if (acks.isEmpty()) {
        out.println("no acknowledgements");
        return;
      }
      out.printf(
          "%-30s %-9s %7s  %-40s %s%n", "ID", "STATUS", "COVERS", "WHAT", "WHY / WHO / UNTIL");
      for (AckJson a : acks) {
        String what =
            a.entity()
                + " / "
                + a.check()
                + (a.recordId() == null ? "" : " / " + a.recordId())
                + (a.field() == null ? "" : " / " + a.field());
        out.printf(
            "%-30s %-9s %7s  %-40s %s%s%s%n",
            a.id(),
            a.status(),
            a.covers() == null ? "-" : String.format("%,d", a.covers()),
            what,
            a.reason(),
            a.by() == null ? "" : " (" + a.by() + ")",
            a.until() == null ? "" : " until " + a.until());
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Revoke an acknowledgement: its issues are open again from the latest run on.")
  static final class DeleteAck implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Parameters(paramLabel = "ID")
    String id;

    DeleteAck(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (IntegrityApp app = StoreOnly.open(ctx, db)) {
        Ack ack =
            app.store()
                .acks()
                .revoke(id)
                .orElseThrow(() -> new Cli.UsageException("no acknowledgement with id " + id));
        ctx.out()
            .println(
                "acknowledgement "
                    + id
                    + " ("
                    + ack.scope()
                    + ") is "
                    + ack.status(ctx.clock().instant()).wire());
        return 0;
      }
    }
  }
}
