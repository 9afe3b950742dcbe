package dev.integrity.cli;

import dev.integrity.Secret;
import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import dev.integrity.common.Texts;
import dev.integrity.config.Settings;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.DemoNight;
import dev.integrity.store.IssueFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code integrity demo}: the bundled simulator with the demo school base and two nights: a full
 * scan (which creates the webhook), a day of scripted fixes and new mistakes written through
 * Airtable's record endpoints ({@link DemoNight}), and an incremental run that reads them from the
 * webhook, so the dashboard opens on new, resolved and persisting issues; a summary, then the
 * dashboard until interrupted.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Scan the bundled demo base on two nights (a full scan, a day of edits, an incremental"
            + " run), then serve the dashboard.")
final class DemoCommand implements Callable<Integer> {
  /** The simulator is local, so the demo paces faster than Airtable's 5/s unless told otherwise. */
  static final int DEMO_RATE_LIMIT = 20;

  private final CliContext ctx;
  @picocli.CommandLine.Mixin DbOption db;

  @Option(names = "--port", defaultValue = "8080", description = "dashboard port")
  int port;

  // The container's `demo` listens on 0.0.0.0 to be reachable through a published port; like
  // serve, anything but loopback needs INTEGRITY_API_TOKEN.
  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "dashboard address (anything but 127.0.0.1 needs INTEGRITY_API_TOKEN)")
  String host;

  @Option(
      names = "--no-serve",
      description = "exit after the second night with its run's exit code")
  boolean noServe;

  DemoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    // On a terminal the scan draws progress bars: INFO lines wait until the dashboard serves.
    ConsoleLogs quiet =
        ConsoleLogs.toFile(ctx, ConsoleLogs.beside(ctx, db.url, "integrity-demo.log"));
    try {
      return demo(quiet);
    } finally {
      quiet.close();
    }
  }

  private int demo(ConsoleLogs quiet) throws Exception {
    // The simulator is local: the demo's default pace is faster than Airtable's, unless the user
    // set AIRTABLE_RATE_LIMIT_PER_SECOND.
    Settings given = ctx.settings().withDefaultRateLimit(DEMO_RATE_LIMIT);
    int rate = given.limits().rateLimitPerSecond();
    Dataset dataset = Dataset.demo();
    try (AirtableSimulator sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .port(0)
            .latency(Duration.ZERO)
            .rateLimitPerSecond(rate)
            .build()
            .start()) {
      Settings settings = given.withAirtable(sim.baseUrl(), new Secret(sim.token()));
      Path config = demoConfig();
      ctx.err()
          .printf(
              "demo: simulator with the demo school base %s on %s (%s requests/s)%n",
              dataset.baseId(), sim.baseUrl(), rate);
      Progress progress = new Progress(ctx.err(), ctx.tty());
      IntegrityApp.Builder root =
          IntegrityApp.builder()
              .settings(settings)
              .clock(ctx.clock())
              .dbUrl(db.url)
              .config(config)
              .runListener(progress);
      if (!noServe) {
        root.serving(Service.Options.of(host, port));
      }
      try (IntegrityApp app = root.build()) {
        PrintStream out = ctx.out();
        // Both nights ask for an incremental run: the first has no webhook yet, so it is a full
        // scan that creates the webhook and the mirror; the second reads the day's payloads.
        out.println(
            "Night 1: a full scan of the demo base (it also creates the webhook night 2 reads)");
        RunReport first = app.runOnce(List.of(), RunMode.INCREMENTAL);
        Reports.print(out, first, Format.TEXT, app.monthlyUse(first.id()).orElse(null));
        if (!"succeeded".equals(first.status())) {
          summary(out, app, first.id());
          return noServe ? ExitCode.of(first) : serve(quiet, app);
        }
        DemoNight day = DemoNight.of(dataset);
        out.printf(
            "%nThe day between: the school edits the base through Airtable's record API (%d"
                + " requests)%n",
            day.writes().size());
        day.fixes().forEach(f -> out.printf("  fixed: %s%n", f));
        day.mistakes().forEach(m -> out.printf("  new mistake: %s%n", m));
        day.play(sim.baseUrl(), sim.token(), rate);
        out.printf("%nNight 2: an incremental run that reads only the day's changes%n");
        RunReport second = app.runOnce(List.of(), RunMode.INCREMENTAL);
        Reports.print(out, second, Format.TEXT, app.monthlyUse(second.id()).orElse(null));
        summary(out, app, second.id());
        if (noServe) {
          return ExitCode.of(second);
        }
        return serve(quiet, app);
      }
    }
  }

  private int serve(ConsoleLogs quiet, IntegrityApp app) throws Exception {
    quiet.close();
    return Serving.untilInterrupted(ctx, app);
  }

  /** The demo config from the working tree when there is one, else the copy in the jar. */
  static Path demoConfig() throws IOException {
    Path local = Path.of("examples", "demo", "integrity.yml");
    if (Files.isRegularFile(local)) {
      return local;
    }
    try (InputStream in = DemoCommand.class.getResourceAsStream("/demo/integrity.yml")) {
      if (in == null) {
        throw new Cli.UsageException("the demo config is missing from this build");
      }
      Path tmp = Files.createTempFile("integrity-demo", ".yml");
      tmp.toFile().deleteOnExit();
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      return tmp;
    }
  }

  /**
   * Issues per entity and check (open, of which new, and resolved by this run), each with one
   * example and its link.
   */
  static void summary(PrintStream out, IntegrityApp app, String runId) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, IssueRow> examples = new LinkedHashMap<>();
    app.store()
        .issues()
        .forEach(
            runId,
            IssueFilter.ALL,
            i -> {
              if (IssueRow.RETIRED.equals(i.state())) {
                return;
              }
              String key = i.entity() + "\t" + i.checkId() + "\t" + i.severity();
              long[] n = counts.computeIfAbsent(key, k -> new long[3]);
              if (IssueRow.RESOLVED.equals(i.state())) {
                n[2]++;
                examples.putIfAbsent(key, i);
                return;
              }
              n[0]++;
              if (IssueRow.NEW.equals(i.state())) {
                n[1]++;
              }
              // An open issue is the better example: replace a resolved one taken first.
              IssueRow was = examples.get(key);
              if (was == null || IssueRow.RESOLVED.equals(was.state())) {
                examples.put(key, i);
              }
            });
    if (counts.isEmpty()) {
      return;
    }
    out.println();
    out.printf(
        "%-12s %-34s %-5s %7s %5s %8s  %s%n",
        "ENTITY", "CHECK", "SEV", "ISSUES", "NEW", "RESOLVED", "EXAMPLE");
    // Entities in the config's order (the run's), not in the order they were checked.
    List<String> order = app.store().runs().find(runId).map(r -> r.entities()).orElse(List.of());
    Map<String, long[]> inOrder = Reports.byEntity(counts, order);
    inOrder.forEach(
        (key, n) -> {
          String[] k = key.split("\t");
          IssueRow e = examples.get(key);
          out.printf(
              "%-12s %-34s %-5s %,7d %,5d %,8d  %s%n%77s%s%n",
              k[0],
              Texts.shorten(k[1], 34),
              k[2],
              n[0],
              n[1],
              n[2],
              (IssueRow.RESOLVED.equals(e.state()) ? "(resolved) " : "")
                  + Texts.shorten(e.message(), 70),
              "",
              e.url());
        });
    out.println();
    out.printf(
        "All issues: ./integrity issues %s [--format csv]; the run: ./integrity runs show %s%n",
        runId, runId);
  }
}
