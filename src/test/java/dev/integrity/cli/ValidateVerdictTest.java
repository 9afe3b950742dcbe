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
 * {@code validate} gives one verdict, its last line: {@code valid (…)} and exit 0, or the problems
 * and {@code not valid (…)} and exit 64; offline it does not need the Airtable token. Online
 * against the bundled simulator over HTTP.
 */
class ValidateVerdictTest {
  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 20, "Students", 30));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun validate(Path config, String... more) {
    List<String> args =
        new java.util.ArrayList<>(List.of("validate", "--config", config.toString()));
    args.addAll(List.of(more));
    return CliRun.of(env, Clock.systemUTC(), args.toArray(String[]::new));
  }

  private Path config(String entities) {
    return TestBases.config(dir, dataset.baseId(), entities);
  }

  /** The same config with a free plan's budget and a schedule every minute, over that budget. */
  private Path overBudget(Path plain) throws Exception {
    String yaml =
        Files.readString(plain)
                .replace(
                    "  token: ${AIRTABLE_TOKEN}\n",
                    "  token: ${AIRTABLE_TOKEN}\n  monthlyCallBudget: free\n")
            + "schedules:\n  - name: every-minute\n    cron: \"* * * * *\"\n";
    Path file = dir.resolve("over-budget.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    return lines.isEmpty() ? "" : lines.getLast();
  }

  private static final String GOOD =
      """
        teachers:
          table: Teachers
          checks:
            - required: [Name]
      """;

  private static final String MISSING_FIELD =
      """
        students:
          table: Students
          checks:
            - required: [Nickname]
      """;

  @Test
  void aConfigNamingAFieldTheBaseLacksGetsOnlyTheVerdictNotValidAndExits64() throws Exception {
    CliRun r = validate(overBudget(config(MISSING_FIELD)), "--online");

    assertThat(r.code()).isEqualTo(64);
    assertThat(r.out()).doesNotContain("valid (").doesNotContain("every table, field");
    assertThat(r.err())
        .contains("problems against base " + dataset.baseId() + ":\n  ")
        .contains("Nickname")
        .contains("warning: base " + dataset.baseId());
    assertThat(lastLine(r.err()))
        .endsWith(": not valid (1 problem against base " + dataset.baseId() + ")");
  }

  @Test
  void aBudgetWarningStaysAWarningAndAValidConfigEndsWithValidAndExits0() throws Exception {
    CliRun r = validate(overBudget(config(GOOD)), "--online");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("warning: ").doesNotContain("not valid");
    assertThat(r.out()).contains("every table, field and option the checks name exists");
    assertThat(lastLine(r.out()))
        .endsWith(
            ": valid (1 entities, 1 checks, 1 schedules; online against base "
                + dataset.baseId()
                + ")");
  }

  @Test
  void offlineTheTokenVariableMayBeUnsetAndTheOutputSaysItIsNotChecked() {
    Path config = config(GOOD);
    env.remove("AIRTABLE_TOKEN");

    CliRun r = validate(config);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .contains(
            "note: no Airtable token is set (AIRTABLE_TOKEN or airtable.token): not needed"
                + " offline, but validate --online, run and serve need it");
    assertThat(lastLine(r.out())).endsWith(": valid (1 entities, 1 checks, 0 schedules; offline)");
  }

  @Test
  void offlineASetTokenIsNotTriedAndTheOutputSaysSo() {
    CliRun r = validate(config(GOOD));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("note: the Airtable token is not checked offline");
    assertThat(sim.requests()).as("offline sends nothing").isEmpty();
  }

  @Test
  void onlineTheUnsetTokenVariableIsAProblemSayingTheTokenIsNeeded() {
    Path config = config(GOOD);
    env.remove("AIRTABLE_TOKEN");

    CliRun r = validate(config, "--online");

    assertThat(r.code()).isEqualTo(64);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("(airtable.token)")
        .contains(
            "environment variable AIRTABLE_TOKEN is not set: the Airtable token is needed to read"
                + " the base");
    assertThat(sim.requests()).isEmpty();
  }
}
