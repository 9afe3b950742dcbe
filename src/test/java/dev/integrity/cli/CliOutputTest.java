package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.integrity.app.IntegrityApp;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The CLI's text for people: {@code runs list} with mode, new and resolved; {@code runs show} with
 * its issues per check; {@code issues --format csv} with the whole message and the offending value;
 * the demo's console without INFO lines, in the config's order, with hints naming ./integrity.
 */
class CliOutputTest {
  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun cli(String... args) {
    return CliRun.of(env, Clock.systemUTC(), args);
  }

  private String config(int maxNumber) {
    return TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(maxNumber))
        .toString();
  }

  @Test
  void runs_list_shows_each_runs_mode_and_its_new_and_resolved_issues() {
    String first =
        cli("run", "--config", config(450), "--format", "json").json().get("id").asText();
    String second =
        cli("run", "--config", config(480), "--format", "json").json().get("id").asText();

    CliRun list = cli("runs", "list");

    assertThat(list.code()).as(list.err()).isZero();
    List<String> lines = list.out().lines().toList();
    assertThat(lines.getFirst())
        .containsPattern("ID +STATUS +TRIGGER +MODE +CREATED +DURATION +ISSUES +NEW +RESOLVED");
    // Newest first: the second run has 20 issues left, none new, 30 resolved.
    assertThat(lines.get(1)).startsWith(second).containsPattern(" full .* 20 +0 +30 ");
    assertThat(lines.get(2)).startsWith(first).containsPattern(" full .* 50 +50 +0 ");
  }

  @Test
  void runs_show_prints_the_issues_per_entity_and_check() {
    cli("run", "--config", config(450), "--format", "json");
    String second =
        cli("run", "--config", config(480), "--format", "json").json().get("id").asText();

    CliRun show = cli("runs", "show", second);

    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out())
        .containsPattern("ENTITY +CHECK +SEV +COUNT +NEW +RESOLVED")
        .containsPattern("students +range:Number +fail +20 +0 +30");
  }

  @Test
  void issues_csv_has_the_whole_message_and_the_offending_value_in_its_own_column() {
    String id = cli("run", "--config", config(450), "--format", "json").json().get("id").asText();

    CliRun csv = cli("issues", id, "--format", "csv");
    CliRun json = cli("issues", id, "--format", "json");

    String[] lines = csv.out().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "entity,recordId,check,field,severity,message,value,url,state,firstSeenAt,acknowledged");
    assertThat(lines).hasSize(51);
    // The synthetic Students count 1..500; 451..500 are out of range, each its own value.
    assertThat(json.json())
        .allSatisfy(
            i -> {
              long value = Long.parseLong(i.get("value").asText());
              assertThat(value).isBetween(451L, 500L);
              assertThat(i.get("message").asText()).contains(Long.toString(value));
            });
    for (int n = 1; n < lines.length; n++) {
      String value = json.json().get(n - 1).get("value").asText();
      assertThat(lines[n]).contains("," + value + ",https://airtable.com/");
    }
  }

  @Test
  void while_logs_go_to_a_file_the_console_keeps_only_warnings_and_says_where_the_file_is()
      throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> console = new ListAppender<>();
    console.start();
    root.addAppender(console);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CliContext ctx =
        CliContext.of(
            env,
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC(),
            false);
    Path log =
        ConsoleLogs.beside(ctx, "jdbc:sqlite:" + dir.resolve("demo/integrity.db"), "demo.log");
    org.slf4j.Logger logger = LoggerFactory.getLogger("dev.integrity.cli.CliOutputTest");
    try {
      try (ConsoleLogs ignored = ConsoleLogs.toFile(ctx, log)) {
        logger.info("an info line of the scan");
        logger.warn("a warning of the scan");
      }
      logger.info("an info line after");

      assertThat(log).isEqualTo(dir.resolve("demo/demo.log"));
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("logs below WARN: " + log);
      assertThat(Files.readString(log))
          .contains("INFO", "an info line of the scan", "a warning of the scan")
          .doesNotContain("an info line after");
      assertThat(console.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .containsExactly("a warning of the scan", "an info line after");
    } finally {
      root.detachAppender(console);
    }
  }

  @Test
  void the_demo_summary_lists_entities_in_the_configs_order_and_its_hints_name_the_script() {
    // The config names students before teachers; both have issues.
    String config =
        TestBases.config(
                dir,
                dataset.baseId(),
                """
                  students:
                    table: Students
                    checks:
                      - range: {field: Number, min: 1, max: 450}
                  teachers:
                    table: Teachers
                    checks:
                      - range: {field: Number, min: 1, max: 200}
                """)
            .toString();
    String id = cli("run", "--config", config, "--format", "json").json().get("id").asText();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliContext ctx =
        CliContext.of(
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.systemUTC(),
            false);

    try (IntegrityApp app = StoreOnly.open(ctx, new DbOption())) {
      DemoCommand.summary(ctx.out(), app, id);
    }

    String summary = out.toString(StandardCharsets.UTF_8);
    assertThat(summary.indexOf("students ")).isPositive().isLessThan(summary.indexOf("teachers "));
    assertThat(summary)
        .contains("./integrity issues " + id, "./integrity runs show " + id)
        .doesNotContainPattern("(?<!\\./)integrity (issues|runs)");
  }
}
