package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, goal 4, through the CLI against the simulator over HTTP: a run records the requests the
 * simulator saw, retries included; {@code runs show} puts them against the base's month; and {@code
 * validate --online} warns about a schedule whose projected month exceeds the budget.
 */
class CostCommandsTest {
  private static final Instant NOW = Instant.parse("2026-03-31T23:00:00Z");

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;
  private final MutableClock clock = new MutableClock(NOW);

  @BeforeEach
  void start() {
    // Teachers 250 and Students 500 records: 3 + 5 pages of 100.
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
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

  /** The teachers-and-students config with a budget and schedules. */
  private String config(String budget, String schedules) throws Exception {
    Path plain = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    String yaml =
        Files.readString(plain)
            .replace(
                "  token: ${AIRTABLE_TOKEN}\n",
                "  token: ${AIRTABLE_TOKEN}\n  monthlyCallBudget: " + budget + "\n")
            .concat(schedules);
    Path file = dir.resolve("budget-" + Math.abs(yaml.hashCode()) + ".yml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  private static final String SCHEDULES =
      """
      schedules:
        - name: nightly
          cron: "0 2 * * *"
        - name: every-minute
          cron: "* * * * *"
          entities: [students]
      """;

  @Test
  void a_run_records_every_request_the_simulator_saw_retries_included_and_shows_its_month()
      throws Exception {
    String config = config("free", SCHEDULES);
    // One 503 (back-off, then retried) on Teachers, one 429 with Retry-After 1 s on Students.
    sim.faults().forTable("Teachers").next(1, Fault.serverError(503));
    sim.faults().forTable("Students").next(1, Fault.rateLimited(Duration.ofSeconds(1)));

    CliRun run = cli("run", "--config", config, "--format", "json");

    assertThat(run.code()).as(run.err()).isEqualTo(1);
    long seen = sim.requests().size();
    // 1 schema read + 3 + 5 pages + the 2 answered with a fault and sent again; a first night on a
    // busy machine may read a table's rest as partitions, a request or two more.
    assertThat(seen).isGreaterThanOrEqualTo(11);
    assertThat(run.json().get("apiCalls").asLong()).isEqualTo(seen);
    String id = run.json().get("id").asText();

    CliRun show = cli("runs", "show", id);
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out())
        .contains(
            "API calls: "
                + seen
                + " this run; base "
                + dataset.baseId()
                + ": "
                + seen
                + " of 1,000 calls this month (1%)");
    assertThat(cli("runs", "show", id, "--format", "json").json().get("apiCalls").asLong())
        .isEqualTo(seen);

    // An hour later it is April (UTC): the month starts again; March's run stays as it was.
    clock.advance(Duration.ofHours(1));
    sim.clearRequests();
    CliRun april = cli("run", "--config", config, "--format", "json");
    long aprilSeen = sim.requests().size();
    assertThat(aprilSeen).as("1 schema read + 3 + 5 pages, or more").isGreaterThanOrEqualTo(9);
    assertThat(april.json().get("apiCalls").asLong()).isEqualTo(aprilSeen);
    assertThat(cli("runs", "show", april.json().get("id").asText()).out())
        .contains(
            "API calls: "
                + aprilSeen
                + " this run; base "
                + dataset.baseId()
                + ": "
                + aprilSeen
                + " of 1,000 calls");
    assertThat(cli("runs", "show", id).out()).contains("API calls: " + seen + " this run; base");
  }

  @Test
  void validate_online_warns_about_a_schedule_over_the_budget_and_still_exits_0() throws Exception {
    String config = config("free", SCHEDULES);

    CliRun before = cli("validate", "--config", config, "--online");

    assertThat(before.code()).as(before.err()).isZero();
    // No run yet (and no store file): a lower bound, which for every minute is over already.
    assertThat(before.out())
        .contains(
            "projected: base "
                + dataset.baseId()
                + ", schedule nightly: at least 3 calls per run (1 schema read + 1 page per"
                + " entity; the projection needs one run) x 30 fires a month = at least 90 calls"
                + " a month, within the monthly call budget of 1,000 (free)");
    assertThat(before.err())
        .contains(
            "warning: base "
                + dataset.baseId()
                + ", schedule every-minute: at least 2 calls per run (1 schema read + 1 page per"
                + " entity; the projection needs one run) x 43,200 fires a month = at least"
                + " 86,400 calls a month, over the monthly call budget of 1,000 (free)");
    assertThat(Files.exists(dir.resolve("integrity.db"))).as("validate creates no store").isFalse();

    long calls = cli("run", "--config", config, "--format", "json").json().get("apiCalls").asLong();
    CliRun after = cli("validate", "--config", config, "--online");

    assertThat(after.code()).as(after.err()).isZero();
    // Now the last run's calls (9, or a request or two more when a first night partitions a
    // table): x 30 fits the 1,000, x 43,200 does not.
    assertThat(calls).isBetween(9L, 20L);
    assertThat(after.out())
        .containsPattern(
            "schedule nightly: "
                + calls
                + " calls per run \\(the last run of the base, \\S+\\) x 30 fires a month = "
                + String.format(java.util.Locale.ROOT, "%,d", calls * 30)
                + " calls a month, within");
    assertThat(after.err())
        .contains("schedule every-minute: " + calls + " calls per run (the last run of the base, ")
        .contains(
            "x 43,200 fires a month = "
                + String.format(java.util.Locale.ROOT, "%,d", calls * 43_200)
                + " calls a month, over the monthly call budget");
  }

  @Test
  void without_a_budget_validate_online_projects_without_warning() throws Exception {
    String config = config("business", SCHEDULES);

    CliRun r = cli("validate", "--config", config, "--online");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).doesNotContain("warning");
    assertThat(r.out())
        .contains("schedule every-minute: at least 2 calls per run")
        .contains("; no monthly budget (business)");
  }
}
