package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** {@code integrity ack} and {@code acks list|delete} against a simulated base and a real store. */
class AckCommandTest {
  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;
  private final Clock clock = Clock.systemUTC();

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 50, "Students", 100));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun cli(String... args) {
    return CliRun.of(env, clock, args);
  }

  private String config() {
    // Students 91..100 break the range: ten fail issues of one check.
    return TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(90)).toString();
  }

  @Test
  void acknowledged_issues_stay_listed_but_no_longer_fail_the_run_until_revoked() {
    CliRun first = cli("run", "--config", config(), "--format", "json");
    assertThat(first.code()).as(first.err()).isEqualTo(1);
    String runId = first.json().get("id").asText();
    JsonNode issues = cli("issues", runId, "--format", "json").json();
    assertThat(issues).hasSize(10);
    String check = issues.get(0).get("check").asText();
    assertThat(issues.get(0).get("acknowledged").isNull()).isTrue();

    CliRun ack =
        cli(
            "ack",
            "--entity",
            "students",
            "--check",
            check,
            "--reason",
            "legacy numbering",
            "--by",
            "ana",
            "--until",
            "30d");
    assertThat(ack.code()).as(ack.err()).isZero();
    assertThat(ack.out()).contains("acknowledged students / " + check + ", every record as ack_");

    // The latest run shows it at once: listed, acknowledged, filtered apart.
    JsonNode now = cli("issues", runId, "--format", "json").json();
    assertThat(now).hasSize(10);
    assertThat(now.get(0).get("acknowledged").get("reason").asText()).isEqualTo("legacy numbering");
    assertThat(now.get(0).get("acknowledged").get("by").asText()).isEqualTo("ana");
    assertThat(cli("issues", runId, "--format", "json", "--ack", "no").json()).isEmpty();
    assertThat(cli("issues", runId, "--format", "json", "--ack", "yes").json()).hasSize(10);
    assertThat(cli("issues", runId).out()).contains("acknowledged: legacy numbering (ana, until");

    CliRun second = cli("run", "--config", config(), "--format", "json");
    assertThat(second.code()).as(second.err()).isZero();
    JsonNode counts = second.json().get("issues");
    assertThat(counts.get("total").asLong()).isEqualTo(10);
    assertThat(counts.get("acknowledged").asLong()).isEqualTo(10);
    assertThat(cli("runs", "show", second.json().get("id").asText()).out())
        .contains("acknowledged 10");

    JsonNode listed = cli("acks", "list", "--format", "json").json();
    assertThat(listed).hasSize(1);
    String id = listed.get(0).get("id").asText();
    assertThat(listed.get(0).get("covers").asLong()).isEqualTo(10);
    assertThat(listed.get(0).get("status").asText()).isEqualTo("active");
    assertThat(cli("acks", "list").out()).contains(id, "legacy numbering", "students / " + check);

    CliRun revoked = cli("acks", "delete", id);
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("is revoked");
    assertThat(cli("acks", "list", "--format", "json").json()).isEmpty();
    assertThat(cli("acks", "list", "--all", "--format", "json").json()).hasSize(1);
    assertThat(cli("run", "--config", config()).code()).isEqualTo(1);
    assertThat(cli("acks", "delete", "ack_nope").code()).isEqualTo(64);
  }

  @Test
  void a_check_that_does_not_exist_or_an_end_in_the_past_is_refused() {
    CliRun run = cli("run", "--config", config(), "--format", "json");
    assertThat(run.code()).isEqualTo(1);
    String check =
        cli("issues", run.json().get("id").asText(), "--format", "json")
            .json()
            .get(0)
            .get("check")
            .asText();

    CliRun typo = cli("ack", "--entity", "students", "--check", "range-numbr", "--reason", "x");
    assertThat(typo.code()).isEqualTo(64);
    assertThat(typo.err()).contains("no run has found issues of check 'range-numbr'");

    CliRun checked =
        cli(
            "ack",
            "--entity",
            "students",
            "--check",
            "range-numbr",
            "--reason",
            "x",
            "--config",
            config());
    assertThat(checked.code()).isEqualTo(64);
    assertThat(checked.err()).contains("check: 'range-numbr' is not a check of students; one of");

    CliRun past =
        cli(
            "ack",
            "--entity",
            "students",
            "--check",
            check,
            "--reason",
            "x",
            "--until",
            "2020-01-01",
            "--config",
            config());
    assertThat(past.code()).isEqualTo(64);
    assertThat(past.err()).contains("is not in the future");

    CliRun badDate =
        cli("ack", "--entity", "teachers", "--check", "x", "--reason", "x", "--until", "soon");
    assertThat(badDate.code()).isEqualTo(64);
    assertThat(badDate.err()).contains("is not a date (2026-12-31");
    assertThat(cli("acks", "list").out()).contains("no acknowledgements");
    CliRun group = cli("acks");
    assertThat(group.code()).isEqualTo(64);
    assertThat(group.err()).contains("Usage: integrity acks", "list", "delete");
  }
}
