package dev.integrity.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.app.IntegrityApp;
import dev.integrity.common.JsonMapper;
import dev.integrity.store.AckFilter;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import dev.integrity.web.Csv;
import dev.integrity.web.IssueJson;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code integrity issues RUN_ID}: the issues a run found, streamed (a run may have 100,000). */
@Command(name = "issues", mixinStandardHelpOptions = true, description = "The issues a run found.")
final class IssuesCommand implements Callable<Integer> {
  private final CliContext ctx;
  @Mixin DbOption db;

  @Parameters(paramLabel = "RUN_ID")
  String runId;

  @Option(names = "--format", defaultValue = "text", description = "text, json or csv")
  Format format;

  @Option(
      names = "--only",
      description = "new, resolved or all (the old name of --state; default all)")
  String only;

  @Option(
      names = "--state",
      description =
          "new, persisting, resolved, retired (check no longer configured), open (new and"
              + " persisting) or all (default all)")
  String state;

  @Option(names = "--entity", description = "only issues of this entity")
  String entity;

  @Option(names = "--check", description = "only issues of this check id")
  String check;

  @Option(names = "--severity", description = "fail or warn")
  String severity;

  @Option(
      names = "--ack",
      description = "yes (acknowledged only), no (unacknowledged only) or all (default)")
  String ack;

  IssuesCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    IssueQuery filter = query();
    try (IntegrityApp app = StoreOnly.open(ctx, db)) {
      if (app.store().runs().find(runId).isEmpty()) {
        throw new Cli.UsageException("no run with id " + runId);
      }
      PrintStream out = ctx.out();
      switch (format) {
        case JSON -> json(app, filter, out);
        case CSV -> {
          out.print(Csv.HEADER);
          app.store().issues().forEach(runId, filter, i -> out.print(Csv.row(i)));
        }
        case TEXT -> {
          long[] n = {0};
          app.store()
              .issues()
              .forEach(
                  runId,
                  filter,
                  i -> {
                    n[0]++;
                    out.printf(
                        "%-10s %-5s %-12s %-18s %-24s %s%n    %s%n",
                        i.state(),
                        i.severity(),
                        i.entity(),
                        // A check of the whole table (volume, freshness) names no record.
                        i.recordId().isEmpty() ? "(table)" : i.recordId(),
                        i.checkId(),
                        i.message(),
                        i.url());
                    if (i.ack() != null) {
                      out.printf("    acknowledged: %s%n", acknowledged(i.ack()));
                    }
                  });
          out.printf("%,d issue%s%n", n[0], n[0] == 1 ? "" : "s");
        }
      }
      out.flush();
      return 0;
    }
  }

  /** The same filters as {@code GET /api/runs/{id}/issues}, checked the same way. */
  /** "reason (by, until 2026-12-31T00:00:00Z)", or "reason (no end)" without a name or date. */
  private static String acknowledged(dev.integrity.model.Ack.AckRef ack) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (ack.by() != null) {
      parts.add(ack.by());
    }
    parts.add(ack.until() == null ? "no end" : "until " + ack.until());
    return ack.reason() + " (" + String.join(", ", parts) + ")";
  }

  private IssueQuery query() {
    IssueFilter filter = IssueFilter.ALL;
    if (state != null) {
      filter = parse("--state", state, IssueFilter.allowed().split(", "));
    } else if (only != null) {
      filter = parse("--only", only, new String[] {"new", "resolved", "all"});
    }
    if (severity != null && !severity.equals("fail") && !severity.equals("warn")) {
      throw new Cli.UsageException("--severity: '" + severity + "' is not one of fail, warn");
    }
    if (ack != null && !java.util.List.of("yes", "no", "all").contains(ack.trim())) {
      throw new Cli.UsageException("--ack: '" + ack + "' is not one of yes, no, all");
    }
    return new IssueQuery(entity, check, severity, filter).withAck(AckFilter.parse(ack));
  }

  private static IssueFilter parse(String option, String value, String[] allowed) {
    String word = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (!java.util.List.of(allowed).contains(word)) {
      throw new Cli.UsageException(
          option + ": '" + value + "' is not one of " + String.join(", ", allowed));
    }
    return IssueFilter.parse(word);
  }

  private void json(IntegrityApp app, IssueQuery filter, PrintStream out) throws IOException {
    ObjectMapper mapper = JsonMapper.indented();
    JsonGenerator gen = mapper.getFactory().createGenerator(out);
    gen.useDefaultPrettyPrinter();
    gen.writeStartArray();
    app.store()
        .issues()
        .forEach(
            runId,
            filter,
            i -> {
              try {
                mapper.writeValue(gen, IssueJson.of(i));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    gen.writeEndArray();
    gen.flush();
    out.println();
  }
}
