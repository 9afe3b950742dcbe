package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code validate --online} checks the fields a rule reads through {@code linked} too. */
class LinkedRuleValidateTest {
  @TempDir Path dir;
  private AirtableSimulator sim;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    sim = AirtableSimulator.builder().dataset(Dataset.demo()).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun validate(String rule) {
    Path config =
        TestBases.config(
            dir,
            sim.dataset().baseId(),
            """
              teachers:
                table: Teachers
              classes:
                table: Classes
                checks:
                  - link: {field: Teacher, to: teachers}
                  - rule: {name: teacher-ok, expr: '%s'}
            """
                .formatted(rule));
    return CliRun.of(env, Clock.systemUTC(), "validate", "--config", config.toString(), "--online");
  }

  @Test
  void aFieldReadThroughLinkedThatTheTargetTableLacksIsNamed() {
    CliRun ok = validate("linked(r, \"Teacher\").all(t, has(t.Subject))");
    CliRun wrong = validate("linked(r, \"Teacher\").all(t, t.Status == \"Active\")");

    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(wrong.code()).isEqualTo(64);
    assertThat(wrong.err())
        .contains("rule:teacher-ok", "table 'Teachers'", "linked(r, \"Teacher\")", "'Status'");
  }
}
