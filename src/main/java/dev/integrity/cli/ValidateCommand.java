package dev.integrity.cli;

import dev.integrity.airtable.AirtableException;
import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Validation;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.cost.Projection;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code integrity validate}: the config, and with {@code --online} the base schema too. Exit
 * codes: 0 valid; 64 the config is invalid or names what the base does not have; 2 Airtable refused
 * or failed the online check (one line on stderr with Airtable's status, error type and message).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check a config file (and, online, the base schema).",
      "Exit 0 valid, 2 Airtable refused or failed the online check, 64 invalid."
    })
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
    Validation validation;
    try {
      validation =
          IntegrityApp.builder()
              .settings(ctx.settings())
              .clock(ctx.clock())
              .dbUrl(db.url)
              .config(config)
              .validate(online);
    } catch (AirtableException e) {
      // The config loaded and compiled before its base's schema was asked for: say so, then what
      // Airtable answered (status, error type and message, what to check).
      ctx.err()
          .println(
              "integrity: "
                  + config
                  + " is valid offline, but the online check failed: "
                  + e.getMessage());
      return ExitCode.ERROR;
    }
    int code = 0;
    for (Validation.Config result : validation.configs()) {
      IntegrityConfig loaded = result.config();
      ctx.out()
          .printf(
              "%s: valid (%d entities, %d checks, %d schedules)%n",
              config, loaded.entities().size(), result.checks(), loaded.schedules().size());
      printCosts(result.costs());
      List<String> problems = result.schemaProblems();
      if (problems == null) {
        continue;
      }
      if (problems.isEmpty()) {
        ctx.out()
            .printf(
                "base %s: every table, field and option the checks name exists%n",
                loaded.airtable().baseId());
        continue;
      }
      ctx.err()
          .printf(
              "%s: %d problem(s) against base %s:%n",
              config, problems.size(), loaded.airtable().baseId());
      problems.forEach(p -> ctx.err().println("  " + p));
      code = ExitCode.USAGE;
    }
    return code;
  }

  /**
   * Each schedule's projected month of API calls; one over the base's monthly budget is a warning
   * on stderr, not an error: the config is valid, and the user decides (exit code unchanged).
   */
  private void printCosts(List<Projection> costs) {
    for (Projection cost : costs) {
      if (cost.overBudget()) {
        ctx.err().println("warning: " + cost.text());
      } else {
        ctx.out().println("projected: " + cost.text());
      }
    }
  }
}
