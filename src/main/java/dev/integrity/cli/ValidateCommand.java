package dev.integrity.cli;

import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.FetchControl;
import dev.integrity.check.CheckEngine;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.BaseSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code integrity validate}: the config, and with {@code --online} the base schema too. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a config file (and, online, the base schema).")
final class ValidateCommand implements Callable<Integer> {
  private final CliContext ctx;
  @Mixin DbOption db;

  @Option(names = "--config", required = true, paramLabel = "FILE")
  Path config;

  @Option(names = "--online", description = "also check tables, fields and options in the base")
  boolean online;

  ValidateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    IntegrityConfig loaded = ConfigLoader.load(config, ctx.env());
    loaded.limits().validateNesting();
    CheckEngine engine = CheckEngine.compile(loaded);
    int checks = loaded.entities().values().stream().mapToInt(e -> e.checks().size()).sum();
    ctx.out()
        .printf(
            "%s: valid (%d entities, %d checks, %d schedules)%n",
            config, loaded.entities().size(), checks, loaded.schedules().size());
    if (!online) {
      return 0;
    }
    try (AirtableClient client =
        new AirtableClient(
            dev.integrity.app.IntegrityApp.airtableSettings(loaded.limits(), loaded),
            Ticker.system(),
            AirtableListener.none())) {
      BaseSchema schema = client.fetchSchema(loaded.airtable().baseId(), FetchControl.create());
      List<String> problems = new ArrayList<>();
      engine.validateAgainst(schema).forEach(p -> problems.add(p.message()));
      engine.optionMismatches(schema).forEach(p -> problems.add(p.message()));
      if (problems.isEmpty()) {
        ctx.out()
            .printf(
                "base %s: every table, field and option the checks name exists%n",
                loaded.airtable().baseId());
        return 0;
      }
      ctx.err()
          .printf(
              "%s: %d problem(s) against base %s:%n",
              config, problems.size(), loaded.airtable().baseId());
      problems.forEach(p -> ctx.err().println("  " + p));
      return ExitCode.USAGE;
    }
  }
}
