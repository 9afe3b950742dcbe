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
 * {@code integrity validate}: the config, and with {@code --online} the base schema too. One
 * verdict, the last line: {@code valid (…)}, or the problems and {@code not valid (…)}. Exit codes:
 * 0 valid; 64 the config is invalid or names what the base does not have; 2 Airtable refused or
 * failed the online check (one line on stderr with Airtable's status, error type and message).
 * Offline, the Airtable token need not be set: nothing is sent.
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
      if (!verdict(result)) {
        code = ExitCode.USAGE;
      }
    }
    return code;
  }

  /**
   * One config's notes, then its one verdict as the last line: {@code valid (…)} on stdout, or the
   * problems and {@code not valid (…)} on stderr. Warnings (a projection over the budget) are
   * printed before it and do not change it.
   *
   * @return whether the config is valid
   */
  private boolean verdict(Validation.Config result) {
    IntegrityConfig loaded = result.config();
    String baseId = loaded.airtable().baseId();
    List<String> problems = result.schemaProblems();
    if (problems == null) {
      // Offline: nothing was sent, so the token (from AIRTABLE_TOKEN or airtable.token) was not
      // tried; say so, and whether one is set at all, since --online, run and serve need it.
      ctx.out()
          .println(
              loaded.airtable().tokenSet()
                  ? "note: the Airtable token is not checked offline (validate --online tries it)"
                  : "note: no Airtable token is set (AIRTABLE_TOKEN or airtable.token): not"
                      + " needed offline, but validate --online, run and serve need it");
    } else if (problems.isEmpty()) {
      ctx.out().printf("base %s: every table, field and option the checks name exists%n", baseId);
    }
    printCosts(result.costs());
    if (problems != null && !problems.isEmpty()) {
      ctx.err().printf("problems against base %s:%n", baseId);
      problems.forEach(p -> ctx.err().println("  " + p));
      ctx.err()
          .printf(
              "%s: not valid (%d problem%s against base %s)%n",
              config, problems.size(), problems.size() == 1 ? "" : "s", baseId);
      return false;
    }
    ctx.out()
        .printf(
            "%s: valid (%d entities, %d checks, %d schedules%s)%n",
            config,
            loaded.entities().size(),
            result.checks(),
            loaded.schedules().size(),
            problems == null ? "; offline" : "; online against base " + baseId);
    return true;
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
