package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A failed one-shot run on a terminal explains itself once: the run report on stdout says why, and
 * the run's ERROR log line, which says the same, stays off the console. Piped (a cron job, a
 * script), the log line stays: stderr may be all a person reads. The root logger's appenders are
 * the console: the captured appender sits beside the configured console appender and gets what it
 * gets.
 */
class RunFailureSaidOnceTest {
  private static final String SENTENCE = "Airtable rejected the token";

  @TempDir Path dir;
  @RegisterExtension CapturedLogs console = CapturedLogs.root();
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;
  private String config;

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 50, "Students", 80));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.put("AIRTABLE_TOKEN", "patWrongToken.0123456789abcdef0123456789abcdef");
    config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(100)).toString();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private String consoleText() {
    return console.events().stream()
        .map(
            e ->
                e.getLevel()
                    + " "
                    + e.getFormattedMessage()
                    + (e.getThrowableProxy() == null
                        ? ""
                        : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
        .collect(Collectors.joining("\n"));
  }

  private static int count(String text, String sentence) {
    int n = 0;
    for (int at = text.indexOf(sentence); at >= 0; at = text.indexOf(sentence, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void onATerminalAWrongTokenIsSaidOnceAcrossTheReportAndTheLogLines() {
    CliRun r = CliRun.onTerminal(env, Clock.systemUTC(), "run", "--config", config);

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    String all = r.out() + r.err() + consoleText();
    assertThat(count(all, SENTENCE)).as(all).isEqualTo(1);
    assertThat(r.out()).contains("Error: reading the base schema failed: " + SENTENCE);
    // The command is over: a service's run endings reach the console again.
    LoggerFactory.getLogger(RunFailureSaidOnceTest.class)
        .error(RunReport.ENDING, "run x ended error: after the command");
    assertThat(console.messages()).contains("run x ended error: after the command");
  }

  @Test
  void pipedTheRunsErrorLogLineStaysOnStderr() {
    CliRun r = CliRun.of(env, Clock.systemUTC(), "run", "--config", config);

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(console.events())
        .filteredOn(e -> e.getFormattedMessage().contains(SENTENCE))
        .extracting(ILoggingEvent::getLevel)
        .contains(ch.qos.logback.classic.Level.ERROR);
  }

  @Test
  void theDemoOnATerminalLeavesTheRunEndingOffTheConsoleAndItsLogFileKeepsIt() throws Exception {
    CliContext ctx =
        CliContext.of(
            Map.of(),
            new java.io.PrintStream(
                new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8),
            new java.io.PrintStream(
                new java.io.ByteArrayOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8),
            Clock.systemUTC(),
            true);
    Path log = dir.resolve("demo.log");
    org.slf4j.Logger logger = LoggerFactory.getLogger(RunFailureSaidOnceTest.class);

    try (ConsoleLogs quiet = ConsoleLogs.toFile(ctx, log)) {
      logger.error(RunReport.ENDING, "run r1 ended error: " + SENTENCE);
      logger.error("another error");
    }

    assertThat(console.messages())
        .contains("another error")
        .doesNotContain("run r1 ended error: " + SENTENCE);
    assertThat(java.nio.file.Files.readString(log))
        .contains("run r1 ended error: " + SENTENCE)
        .contains("another error");
  }
}
