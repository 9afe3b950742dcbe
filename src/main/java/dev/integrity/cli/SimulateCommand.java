package dev.integrity.cli;

import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code integrity simulate}: the Airtable simulator on its own, until interrupted. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run the Airtable simulator on its own.")
final class SimulateCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--port", defaultValue = "8089")
  int port;

  @Option(
      names = "--dataset",
      defaultValue = "demo",
      description = "demo, or a directory of JSON tables")
  String dataset;

  @Option(names = "--latency-ms", defaultValue = "0")
  int latencyMs;

  @Option(
      names = "--rate-limit",
      defaultValue = "5",
      description = "requests per second per base (0: none)")
  int rateLimit;

  SimulateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    Dataset data;
    if ("demo".equals(dataset)) {
      data = Dataset.demo();
    } else if (Files.isDirectory(Path.of(dataset))) {
      data = Dataset.load(Path.of(dataset));
    } else {
      throw new Cli.UsageException("--dataset takes 'demo' or a directory, not " + dataset);
    }
    CountDownLatch stop = new CountDownLatch(1);
    try (AirtableSimulator sim =
        AirtableSimulator.builder()
            .dataset(data)
            .port(port)
            .latency(Duration.ofMillis(latencyMs))
            .rateLimitPerSecond(rateLimit)
            .build()
            .start()) {
      ctx.out().printf("Airtable simulator on %s%n", sim.baseUrl());
      ctx.out().printf("  base id: %s%n", data.baseId());
      ctx.out()
          .printf("  export AIRTABLE_BASE_URL=%s AIRTABLE_TOKEN=%s%n", sim.baseUrl(), sim.token());
      ctx.out().println("Press Ctrl-C to stop.");
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "integrity-sim-stop"));
      stop.await();
    }
    return 0;
  }
}
