package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
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
        .isEqualTo("entity,recordId,check,field,severity,message,value,url,state,firstSeenAt");
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
  void the_demo_keeps_info_lines_in_a_file_lists_entities_in_config_order_and_names_integrity()
      throws Exception {
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "1000");
    String db = "jdbc:sqlite:" + dir.resolve("demo").resolve("integrity.db");

    CliRun demo = cli("demo", "--no-serve", "--db", db);

    assertThat(demo.code()).as(demo.err()).isEqualTo(1);
    Path log = dir.resolve("demo").resolve("integrity-demo.log");
    assertThat(demo.err()).contains("logs below WARN: " + log);
    assertThat(Files.readString(log)).contains(" INFO ");
    // The summary's entities in the config's order: teachers, classes, students, enrollments.
    List<String> summary =
        demo.out().lines().filter(l -> l.matches("^[a-z]+ +\\S+ +(fail|warn) .*")).toList();
    List<String> order = summary.stream().map(l -> l.split(" +")[0]).distinct().toList();
    assertThat(order).isSubsetOf("teachers", "classes", "students", "enrollments");
    List<String> config = List.of("teachers", "classes", "students", "enrollments");
    assertThat(order).isSortedAccordingTo(java.util.Comparator.comparingInt(config::indexOf));
    assertThat(demo.out()).contains("./integrity issues ", "./integrity runs show ");
    assertThat(
            demo.out()
                .lines()
                .filter(l -> l.contains("integrity "))
                .filter(l -> l.contains("All issues")))
        .allSatisfy(l -> assertThat(l).doesNotContainPattern("(?<!\\./)integrity (issues|runs)"));
  }
}
