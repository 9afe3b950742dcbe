package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;
  private Clock clock = Clock.systemUTC();

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
    return CliRun.of(env, clock, args);
  }

  private String config(int maxNumber) {
    return TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(maxNumber))
        .toString();
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void run_with_fail_issues_exits_1_and_prints_exactly_the_contract_json() {
    CliRun r = cli("run", "--config", config(450), "--format", "json");

    assertThat(r.code()).as(r.err()).isEqualTo(1);
    JsonNode run = r.json();
    assertThat(names(run))
        .containsExactly(
            "id",
            "status",
            "trigger",
            "schedule",
            "mode",
            "instance",
            "createdAt",
            "startedAt",
            "finishedAt",
            "durationMs",
            "apiCalls",
            "error",
            "entities",
            "issues");
    assertThat(run.get("status").asText()).isEqualTo("succeeded");
    // The CLI runs in this JVM: the instance is this process, host:pid.
    assertThat(run.get("instance").asText())
        .endsWith(":" + ProcessHandle.current().pid())
        .doesNotContain("/");
    assertThat(run.get("trigger").asText()).isEqualTo("manual");
    assertThat(run.get("schedule").isNull()).isTrue();
    assertThat(run.get("durationMs").asLong()).isPositive();
    JsonNode students = run.get("entities").get(1);
    assertThat(names(students))
        .containsExactly(
            "name",
            "table",
            "status",
            "records",
            "pages",
            "durationMs",
            "error",
            "checked",
            "issues",
            "partialChecks");
    assertThat(students.get("partialChecks")).isEmpty();
    assertThat(students.get("records").asLong()).isEqualTo(500);
    assertThat(students.get("checked").asBoolean()).isTrue();
    assertThat(students.get("issues").asLong()).isEqualTo(50);
    assertThat(run.get("entities").get(0).get("checked").asBoolean()).isTrue();
    assertThat(run.get("entities").get(0).get("issues").asLong()).isZero();
    assertThat(students.get("pages").asInt()).isEqualTo(5);
    assertThat(names(run.get("issues")))
        .containsExactly(
            "total",
            "bySeverity",
            "new",
            "resolved",
            "retired",
            "acknowledged",
            "acknowledgedBySeverity");
    assertThat(run.get("issues").get("total").asLong()).isEqualTo(50);
    assertThat(run.get("issues").get("bySeverity").get("fail").asLong()).isEqualTo(50);
    assertThat(run.get("issues").get("new").asLong()).isEqualTo(50);
  }

  @Test
  void a_clean_run_exits_0_and_text_output_names_each_entity() {
    CliRun r = cli("run", "--config", config(500));

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("succeeded", "teachers", "students", "Issues: 0");
    assertThat(r.err()).contains("students: fetched, 500 records, 5 pages");
  }

  @Test
  void a_run_that_hits_its_deadline_exits_3() {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    env.put("MAX_RUN_DURATION_SECONDS", "2");

    CliRun r = cli("run", "--config", config(450), "--format", "json");

    assertThat(r.code()).isEqualTo(3);
    assertThat(r.json().get("status").asText()).isEqualTo("timeout");
    assertThat(r.json().get("error").asText()).contains("MAX_RUN_DURATION_SECONDS");
  }

  @Test
  void a_run_that_fails_exits_2_with_the_reason() {
    env.put("AIRTABLE_TOKEN", "patWrongToken");

    CliRun r = cli("run", "--config", config(450), "--format", "json");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.json().get("status").asText()).isEqualTo("error");
    assertThat(r.json().get("error").asText()).containsIgnoringCase("401");
    assertThat(r.out() + r.err()).doesNotContain("patWrongToken");
  }

  @Test
  void a_run_with_one_table_down_exits_2_and_shows_the_partial_result() {
    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    env.put("AIRTABLE_MAX_RETRIES", "1");

    CliRun json = cli("run", "--config", config(450), "--format", "json");

    assertThat(json.code()).as(json.err()).isEqualTo(2);
    JsonNode run = json.json();
    assertThat(run.get("status").asText()).isEqualTo("error");
    assertThat(run.get("error").asText())
        .startsWith("checked 1 of 2 entities; teachers: error: ")
        .contains("500");
    JsonNode teachers = run.get("entities").get(0);
    assertThat(teachers.get("status").asText()).isEqualTo("error");
    assertThat(teachers.get("checked").asBoolean()).isFalse();
    JsonNode students = run.get("entities").get(1);
    assertThat(students.get("checked").asBoolean()).isTrue();
    assertThat(students.get("issues").asLong()).isEqualTo(50);
    assertThat(run.get("issues").get("total").asLong()).isEqualTo(50);

    CliRun text = cli("runs", "show", run.get("id").asText());
    assertThat(text.out())
        .contains("Partial: checked 1 of 2 entities; teachers: error")
        .containsPattern("students +Students +fetched +500 +5 .* yes +50");
  }

  @Test
  void a_run_of_a_busy_base_exits_5_naming_the_active_run() {
    RunRecord active;
    try (Store store =
        Store.open(StoreSettings.of(env.get("INTEGRITY_DB_URL")), Clock.systemUTC())) {
      active = store.runs().create(dataset.baseId(), Trigger.SCHEDULE, "nightly", List.of());
    }

    CliRun r = cli("run", "--config", config(450));

    assertThat(r.code()).isEqualTo(5);
    assertThat(r.err()).contains(active.id());
  }

  @Test
  void a_run_cancelled_from_another_process_exits_4() throws Exception {
    sim.faults().forTable("Students").next(1_000, Fault.stall());
    String config = config(450);
    CompletableFuture<CliRun> running =
        CompletableFuture.supplyAsync(() -> cli("run", "--config", config));
    String[] id = new String[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonNode runs = cli("runs", "list", "--status", "running", "--format", "json").json();
              if (runs.isEmpty()) {
                return false;
              }
              id[0] = runs.get(0).get("id").asText();
              return true;
            });

    CliRun cancel = cli("runs", "cancel", id[0]);
    CliRun r = running.get(10, TimeUnit.SECONDS);

    assertThat(cancel.code()).isZero();
    assertThat(cancel.out()).contains("cancel requested");
    assertThat(r.code()).isEqualTo(4);
    assertThat(cli("runs", "show", id[0], "--format", "json").json().get("status").asText())
        .isEqualTo("cancelled");
  }

  @Test
  void usage_and_configuration_errors_exit_64_saying_what_and_where() throws Exception {
    Path bad = dir.resolve("bad.yml");
    Files.writeString(
        bad,
        """
        airtable:
          baseId: appXXXXXXXXXXXXXX
          token: t
        entities:
          teachers:
            table: Teachers
            checks:
              - requird: [Name]
        """);

    CliRun missing = cli("run", "--config", dir.resolve("nope.yml").toString());
    CliRun invalid = cli("run", "--config", bad.toString());
    CliRun unknownEntity = cli("run", "--config", config(450), "--entities", "teachers,parents");
    CliRun badDb = cli("runs", "list", "--db", "jdbc:mysql://localhost/x");
    CliRun badOption = cli("runs", "list", "--limit", "many");

    assertThat(missing.code()).isEqualTo(64);
    assertThat(missing.err()).contains("nope.yml");
    assertThat(invalid.code()).isEqualTo(64);
    assertThat(invalid.err()).contains("bad.yml:8:", "requird");
    assertThat(unknownEntity.code()).isEqualTo(64);
    assertThat(unknownEntity.err()).contains("parents");
    assertThat(badDb.code()).isEqualTo(64);
    assertThat(badDb.err()).contains("jdbc:mysql");
    assertThat(badOption.code()).isEqualTo(64);
  }

  @Test
  void every_command_has_help_and_a_bare_command_prints_its_usage_with_exit_64() {
    CliRun bare = cli();
    CliRun runsHelp = cli("runs", "--help");
    CliRun group = cli("runs");

    assertThat(bare.code()).isEqualTo(64);
    assertThat(bare.err()).contains("Usage: integrity", "run", "serve", "reap", "simulate");
    assertThat(runsHelp.code()).isZero();
    assertThat(runsHelp.out()).contains("list", "show", "cancel");
    assertThat(group.code()).isEqualTo(64);
    assertThat(cli("issues", "--help").out()).contains("--only", "--format");
  }

  @Test
  void limits_that_do_not_nest_are_refused_naming_both() {
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "300");
    env.put("MAX_RUN_DURATION_SECONDS", "120");

    CliRun r = cli("run", "--config", config(450));

    assertThat(r.code()).isEqualTo(64);
    assertThat(r.err()).contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "MAX_RUN_DURATION_SECONDS");
  }

  @Test
  void a_short_run_deadline_set_alone_lowers_the_default_request_deadline_and_the_run_goes_on() {
    env.remove("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
    env.put("MAX_RUN_DURATION_SECONDS", "60");

    CliRun r = cli("run", "--config", config(450), "--format", "json");

    assertThat(r.json().get("status").asText()).as(r.err()).isEqualTo("succeeded");
    assertThat(r.code()).isEqualTo(1); // the synthetic base has planted issues of severity fail
  }

  @Test
  void reap_ends_a_run_whose_owner_stopped_heartbeating_and_dry_run_only_lists_it() {
    RunRecord hung;
    try (Store store =
        Store.open(StoreSettings.of(env.get("INTEGRITY_DB_URL")), Clock.systemUTC())) {
      hung = store.runs().create(dataset.baseId(), Trigger.SCHEDULE, "nightly", List.of());
      store.runs().claim(hung.id(), "host/123/dead");
    }
    clock = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(1)); // stale bound is 10 s

    CliRun dry = cli("reap", "--dry-run");
    String afterDry =
        cli("runs", "show", hung.id(), "--format", "json").json().get("status").asText();
    CliRun real = cli("reap");
    JsonNode after = cli("runs", "show", hung.id(), "--format", "json").json();
    CliRun again = cli("reap");

    assertThat(dry.code()).isZero();
    assertThat(dry.out()).contains("would end " + hung.id(), "owner lost");
    assertThat(afterDry).isEqualTo("running");
    assertThat(real.out()).contains("ended " + hung.id());
    assertThat(after.get("status").asText()).isEqualTo("error");
    assertThat(after.get("error").asText()).startsWith("owner lost: no heartbeat since");
    assertThat(again.out()).contains("No hung runs.");
  }

  @Test
  void runs_list_prints_runs_newest_first_without_entities() {
    String first =
        cli("run", "--config", config(450), "--format", "json").json().get("id").asText();
    String second =
        cli("run", "--config", config(500), "--format", "json").json().get("id").asText();

    JsonNode list = cli("runs", "list", "--format", "json").json();

    assertThat(list.isArray()).isTrue();
    assertThat(list).hasSize(2);
    assertThat(list.get(0).get("id").asText()).isEqualTo(second);
    assertThat(list.get(1).get("id").asText()).isEqualTo(first);
    assertThat(list.get(0).has("entities")).isFalse();
    assertThat(list.get(0).get("issues").get("resolved").asLong()).isEqualTo(50);
    assertThat(cli("runs", "list", "--status", "bogus").code()).isEqualTo(64);
  }

  /** Issue 17: a check taken out of the config retires its open issues, never resolves them. */
  @Test
  void issues_of_a_check_removed_from_the_config_are_retired_in_the_next_run_and_then_gone() {
    String first =
        cli("run", "--config", config(450), "--format", "json").json().get("id").asText();
    String withoutRange =
        TestBases.config(
                dir,
                dataset.baseId(),
                """
                  teachers:
                    table: Teachers
                    checks:
                      - required: [Name]
                  students:
                    table: Students
                    checks:
                      - required: [Name]
                """)
            .toString();

    CliRun second = cli("run", "--config", withoutRange, "--format", "json");

    // Retired issues are not open: no fail issue is left, so the run exits 0.
    assertThat(second.code()).as(second.err()).isZero();
    JsonNode counts = second.json().get("issues");
    assertThat(counts.get("total").asLong()).isZero();
    assertThat(counts.get("bySeverity")).isEmpty();
    assertThat(counts.get("new").asLong()).isZero();
    assertThat(counts.get("resolved").asLong()).isZero();
    assertThat(counts.get("retired").asLong()).isEqualTo(50);
    String id = second.json().get("id").asText();
    JsonNode before = cli("issues", first, "--format", "json").json();
    JsonNode retired = cli("issues", id, "--format", "json", "--state", "retired").json();
    assertThat(retired).hasSize(50);
    assertThat(retired)
        .allSatisfy(
            i -> {
              assertThat(i.get("state").asText()).isEqualTo("retired");
              assertThat(i.get("check").asText()).isEqualTo("range:Number");
              assertThat(i.get("firstSeenAt").asText())
                  .isEqualTo(before.get(0).get("firstSeenAt").asText());
            });
    assertThat(cli("issues", id, "--format", "json", "--state", "resolved").json()).isEmpty();
    assertThat(cli("issues", id, "--format", "json", "--state", "open").json()).isEmpty();
    String[] csv = cli("issues", id, "--format", "csv", "--state", "retired").out().split("\r\n");
    assertThat(csv).hasSize(51);
    assertThat(csv[1]).contains(",range:Number,Number,fail,", ",retired,");
    String text = cli("issues", id, "--state", "retired").out();
    assertThat(text).startsWith("retired ").contains("range:Number").endsWith("50 issues\n");
    assertThat(cli("runs", "show", id).out()).contains("new 0, resolved 0, retired 50");

    // Gone from the open set: the next run has nothing of the check, not even retired.
    CliRun third = cli("run", "--config", withoutRange, "--format", "json");
    assertThat(third.json().get("issues").get("retired").asLong()).isZero();
    assertThat(cli("issues", third.json().get("id").asText(), "--format", "json").json()).isEmpty();
  }

  @Test
  void issues_come_as_json_csv_or_text_and_filter_by_state() {
    String first =
        cli("run", "--config", config(450), "--format", "json").json().get("id").asText();
    String second =
        cli("run", "--config", config(480), "--format", "json").json().get("id").asText();

    JsonNode all = cli("issues", first, "--format", "json").json();
    assertThat(all).hasSize(50);
    assertThat(names(all.get(0)))
        .containsExactly(
            "entity",
            "recordId",
            "check",
            "field",
            "severity",
            "message",
            "value",
            "url",
            "state",
            "firstSeenAt",
            "acknowledged");
    assertThat(java.time.Instant.parse(all.get(0).get("firstSeenAt").asText())).isNotNull();
    assertThat(all.get(0).get("url").asText())
        .startsWith("https://airtable.com/" + dataset.baseId() + "/tbl");

    JsonNode resolved = cli("issues", second, "--format", "json", "--only", "resolved").json();
    assertThat(resolved).hasSize(30);
    assertThat(resolved).allSatisfy(i -> assertThat(i.get("state").asText()).isEqualTo("resolved"));
    assertThat(cli("issues", second, "--format", "json", "--only", "new").json()).isEmpty();
    JsonNode persisting = cli("issues", second, "--format", "json", "--state", "persisting").json();
    assertThat(persisting).hasSize(20);
    // A persisting issue keeps the first-seen time it had in the first run.
    assertThat(persisting.get(0).get("firstSeenAt").asText())
        .isEqualTo(all.get(0).get("firstSeenAt").asText());
    String entity = all.get(0).get("entity").asText();
    JsonNode slice =
        cli("issues", first, "--format", "json", "--entity", entity, "--severity", "fail").json();
    assertThat(slice).isNotEmpty();
    assertThat(slice)
        .allSatisfy(
            i -> {
              assertThat(i.get("entity").asText()).isEqualTo(entity);
              assertThat(i.get("severity").asText()).isEqualTo("fail");
            });
    assertThat(cli("issues", first, "--format", "json", "--entity", "nobody").json()).isEmpty();
    assertThat(cli("issues", first, "--state", "bogus").code()).isEqualTo(64);
    assertThat(cli("issues", first, "--severity", "high").code()).isEqualTo(64);

    String csv = cli("issues", first, "--format", "csv").out();
    String[] lines = csv.split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "entity,recordId,check,field,severity,message,value,url,state,firstSeenAt,acknowledged");
    assertThat(lines).hasSize(51);

    assertThat(cli("issues", "run_nope").code()).isEqualTo(64);
  }

  @Test
  void a_short_run_deadline_alone_is_accepted_and_the_default_request_deadline_fits_under_it() {
    env.remove("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
    env.put("MAX_RUN_DURATION_SECONDS", "60");

    CliRun r = cli("run", "--config", config(450), "--format", "json");

    assertThat(r.code()).as(r.err()).isEqualTo(1);
    assertThat(r.json().get("status").asText()).isEqualTo("succeeded");
  }

  @Test
  void two_limits_the_user_set_that_do_not_nest_are_refused_at_start_naming_both() {
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "90");
    env.put("MAX_RUN_DURATION_SECONDS", "60");

    CliRun r = cli("run", "--config", config(450));

    assertThat(r.code()).isEqualTo(64);
    assertThat(r.err())
        .contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS (90 s)")
        .contains("MAX_RUN_DURATION_SECONDS (60 s)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void csv_cells_are_quoted_per_rfc_4180_and_defused_against_formulas() {
    assertThat(dev.integrity.web.Csv.cell("plain")).isEqualTo("plain");
    assertThat(dev.integrity.web.Csv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(dev.integrity.web.Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(dev.integrity.web.Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(dev.integrity.web.Csv.cell("a\r\nb")).isEqualTo("\"a\r\nb\"");
    assertThat(
            dev.integrity.web.Csv.row(
                new dev.integrity.model.IssueRow(
                    "run_1",
                    "students",
                    "rec1",
                    "pattern:Code",
                    "Code",
                    "fail",
                    "Code 'a, \"b\"…' does not match",
                    "https://airtable.com/x",
                    "new",
                    null,
                    "a, \"b\"\nand more")))
        .isEqualTo(
            "students,rec1,pattern:Code,Code,fail,\"Code 'a, \"\"b\"\"…' does not match\","
                + "\"a, \"\"b\"\"\nand more\",https://airtable.com/x,new,,\r\n");
    assertThat(dev.integrity.web.Csv.cell("=HYPERLINK(\"x\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
  }

  @Test
  void the_demo_config_is_valid_online_against_the_demo_base() {
    try (AirtableSimulator demo =
        AirtableSimulator.builder().dataset(Dataset.demo()).rateLimitPerSecond(0).build().start()) {
      env.put("AIRTABLE_BASE_URL", demo.baseUrl().toString());
      env.put("AIRTABLE_TOKEN", demo.token());

      CliRun r = cli("validate", "--config", "examples/demo/integrity.yml", "--online");

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("valid (4 entities", "every table, field and option");
    }
  }

  @Test
  void validate_checks_the_file_and_online_the_base_schema() {
    Path good = Path.of(config(450));
    Path missingField =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              students:
                table: Students
                checks:
                  - required: [Nickname]
            """);

    CliRun offline = cli("validate", "--config", good.toString());
    CliRun online = cli("validate", "--config", good.toString(), "--online");
    CliRun wrong = cli("validate", "--config", missingField.toString(), "--online");

    assertThat(offline.code()).as(offline.err()).isZero();
    assertThat(offline.out()).contains("valid (2 entities, 2 checks");
    assertThat(online.code()).as(online.err()).isZero();
    assertThat(wrong.code()).isEqualTo(64);
    assertThat(wrong.err()).contains("students", "Nickname");
  }
}
