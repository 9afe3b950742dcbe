package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneFailureTest {
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

  private static int count(String text, String sentence) {
    int n = 0;
    for (int at = text.indexOf(sentence); at >= 0; at = text.indexOf(sentence, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void a_wrong_token_is_said_once_for_the_run_and_each_entity_says_only_not_started() {
    env.put("AIRTABLE_TOKEN", "patWrongToken.0123456789abcdef0123456789abcdef");
    String config =
        TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450)).toString();

    CliRun r = CliRun.of(env, Clock.systemUTC(), "run", "--config", config);
    String id = r.out().split(" ")[1];
    CliRun shown = CliRun.of(env, Clock.systemUTC(), "runs", "show", id);

    assertThat(r.code()).isEqualTo(2);
    String sentence = "Airtable rejected the token";
    assertThat(count(r.out() + r.err(), sentence)).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("Error: reading the base schema failed: " + sentence);
    assertThat(r.out()).containsPattern("teachers +Teachers +skipped .* not started\\R");
    assertThat(r.err()).contains("students: skipped, 0 records, 0 pages (not started)");
    assertThat(count(shown.out(), sentence)).as(shown.out()).isEqualTo(1);
    assertThat(shown.out()).containsPattern("students +Students +skipped .* not started\\R");
  }

  @Test
  void an_entity_error_keeps_only_what_the_run_error_does_not_say() {
    String run = "reading the base schema failed: HTTP 401";
    assertThat(RunReport.entityError("not started: " + run, run)).isEqualTo("not started");
    assertThat(
            RunReport.entityError(
                "HTTP 500 for table A", "checked 1 of 2; a: error: HTTP 500 for table A"))
        .isNull();
    assertThat(RunReport.entityError("HTTP 500 for table A", null))
        .isEqualTo("HTTP 500 for table A");
    assertThat(RunReport.entityError("HTTP 500 for table A", "something else"))
        .isEqualTo("HTTP 500 for table A");
  }
}
