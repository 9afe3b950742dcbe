package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.reaper.Reaped;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code integrity reap}: the service's hung-run sweep, once, now. */
@Command(
    name = "reap",
    mixinStandardHelpOptions = true,
    description = "End hung runs now (the service's sweep, once).")
final class ReapCommand implements Callable<Integer> {
  private final CliContext ctx;
  @Mixin DbOption db;

  @Option(names = "--dry-run", description = "list what would be ended, change nothing")
  boolean dryRun;

  ReapCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    try (IntegrityApp app = StoreOnly.open(ctx, db)) {
      List<Reaped> reaped = app.reap(dryRun);
      for (Reaped r : reaped) {
        ctx.out()
            .printf(
                "%s %s (base %s): %s -> %s: %s%n",
                dryRun ? "would end" : r.applied() ? "ended" : "already ended",
                r.runId(),
                r.baseId(),
                r.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                r.endedAs().wire(),
                r.message());
      }
      if (reaped.isEmpty()) {
        ctx.out().println("No hung runs.");
      }
      return 0;
    }
  }
}
