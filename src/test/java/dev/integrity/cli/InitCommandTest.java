package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code integrity init} against the simulator (demo base, every field type) and Airtable errors.
 */
class InitCommandTest {
  private static final Path ALL_TYPES = Path.of("src/test/resources/datasets/all-field-types");

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Map<String, String> env;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private void serve(Dataset dataset) {
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 120));
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "200");
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "10");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "10");
  }

  private CliRun cli(String... args) {
    return CliRun.of(env, Clock.systemUTC(), args);
  }

  private static String oneLine(String err) {
    assertThat(err.lines().toList()).as(err).hasSize(1);
    return err;
  }

  @Test
  void the_demo_base_gives_a_file_that_validates_online_as_written() throws IOException {
    serve(Dataset.demo());
    Path out = dir.resolve("integrity.yml");

    CliRun init = cli("init", "--base", Dataset.demoBaseId(), "--out", out.toString());

    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).isEmpty();
    assertThat(init.err()).contains("wrote " + out, "4 entities");
    String yaml = Files.readString(out);
    assertThat(yaml)
        .contains("token: ${AIRTABLE_TOKEN}", "# schedules:", "#     cron: \"0 2 * * *\"")
        .doesNotContain(sim.token());
    for (var t : Dataset.demo().schema().tables()) {
      assertThat(yaml).contains("# table " + t.id() + " (" + t.name() + ")");
    }
    assertThat(yaml).contains("- link: {field: Teacher, to: teachers, max: 1}");
    CliRun validate = cli("validate", "--config", out.toString(), "--online");
    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.out()).contains("every table, field and option the checks name exists");
  }

  @Test
  void without_out_the_config_goes_to_stdout_and_nothing_else_does() {
    serve(Dataset.demo());

    CliRun init = cli("init", "--base", Dataset.demoBaseId());

    assertThat(init.code()).as(init.err()).isZero();
    assertThat(init.out()).startsWith("# Starter config for Airtable base appDemoSchool2024");
    assertThat(init.out()).contains("entities:\n", "  students:\n");
    assertThat(init.err()).isEmpty();
  }

  @Test
  void an_existing_file_is_kept_without_force_and_replaced_with_it() throws IOException {
    serve(Dataset.demo());
    Path out = dir.resolve("mine.yml");
    Files.writeString(out, "# my own config\n");

    CliRun refused = cli("init", "--base", Dataset.demoBaseId(), "--out", out.toString());

    assertThat(refused.code()).isEqualTo(ExitCode.USAGE);
    assertThat(oneLine(refused.err())).contains(out + " exists; pass --force");
    assertThat(Files.readString(out)).isEqualTo("# my own config\n");
    assertThat(sim.requests()).as("refused before asking Airtable").isEmpty();

    CliRun forced = cli("init", "--base", Dataset.demoBaseId(), "--out", out.toString(), "--force");

    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(Files.readString(out)).contains("entities:", "teachers:");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temp file left behind")
          .noneMatch(n -> n.startsWith(".integrity-init-"));
    }
  }

  @Test
  void a_bad_token_is_one_line_and_exit_2_without_the_token() {
    serve(Dataset.demo());
    env.put("AIRTABLE_TOKEN", "pat-wrong-secret-value");

    CliRun r = cli("init", "--base", Dataset.demoBaseId());

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(oneLine(r.err()))
        .contains("rejected the token for the schema of base", "HTTP 401", "AIRTABLE_TOKEN");
    assertThat(r.err()).doesNotContain("pat-wrong-secret-value");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void an_unknown_base_is_one_line_and_exit_2() {
    serve(Dataset.demo());

    CliRun r = cli("init", "--base", "appNoSuchBase0001");

    assertThat(r.code()).isEqualTo(ExitCode.ERROR);
    assertThat(oneLine(r.err()))
        .contains("HTTP 404", "the base id appNoSuchBase0001 may be wrong", "schema.bases:read");
  }

  @Test
  void a_token_without_the_schema_scope_is_one_line_and_exit_2() throws Exception {
    try (MockWebServer airtable = new MockWebServer()) {
      // What Airtable answers a token that lacks schema.bases:read.
      airtable.enqueue(
          new MockResponse.Builder()
              .code(403)
              .body(
                  "{\"error\":{\"type\":\"INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND\",\"message\":"
                      + "\"Invalid permissions, or the requested model was not found.\"}}")
              .build());
      airtable.start();
      env = new HashMap<>(Map.of("AIRTABLE_TOKEN", "pat-records-only"));
      env.put("AIRTABLE_BASE_URL", airtable.url("/").toString());

      CliRun r = cli("init", "--base", "appDemoSchool2024");

      assertThat(r.code()).isEqualTo(ExitCode.ERROR);
      assertThat(oneLine(r.err()))
          .contains(
              "denied access to the schema of base appDemoSchool2024",
              "HTTP 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: Invalid permissions",
              "the base id appDemoSchool2024 may be wrong",
              "the token may lack access to the base or the schema.bases:read scope");
      assertThat(airtable.takeRequest().getUrl().encodedPath())
          .isEqualTo("/v0/meta/bases/appDemoSchool2024/tables");
    }
  }

  @Test
  void usage_errors_exit_64_before_any_request() {
    serve(Dataset.demo());

    CliRun badId = cli("init", "--base", "Demo School");
    assertThat(badId.code()).isEqualTo(ExitCode.USAGE);
    assertThat(oneLine(badId.err())).contains("'Demo School' is not an Airtable base id");

    env.remove("AIRTABLE_TOKEN");
    CliRun noToken = cli("init", "--base", Dataset.demoBaseId());
    assertThat(noToken.code()).isEqualTo(ExitCode.USAGE);
    assertThat(oneLine(noToken.err())).contains("set AIRTABLE_TOKEN", "schema.bases:read");

    CliRun noBase = cli("init");
    assertThat(noBase.code()).isEqualTo(ExitCode.USAGE);
    assertThat(sim.requests()).isEmpty();
  }

  @Test
  void the_base_with_every_field_type_validates_online_and_runs() throws IOException {
    Dataset all = Dataset.load(ALL_TYPES);
    serve(all);
    Path out = dir.resolve("all.yml");

    CliRun init = cli("init", "--base", all.baseId(), "--out", out.toString());
    assertThat(init.code()).as(init.err()).isZero();
    assertThat(Files.readString(out))
        .contains("#   aFieldTypeAirtableAddsLater: A aFieldTypeAirtableAddsLater");
    CliRun validate = cli("validate", "--config", out.toString(), "--online");
    assertThat(validate.code()).as(validate.err()).isZero();

    CliRun run = cli("run", "--config", out.toString(), "--format", "json");
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.FAIL_ISSUES);
    Set<String> found = new HashSet<>();
    for (JsonNode i : cli("issues", run.json().get("id").asText(), "--format", "json").json()) {
      found.add(i.get("entity").asText() + " " + i.get("check").asText());
    }
    assertThat(found)
        .containsExactlyInAnyOrder(
            "everything__every_type required:Title",
            "everything__every_type format:A email",
            "everything__every_type unique:A email",
            "everything__every_type format:A url",
            "everything__every_type format:A phoneNumber",
            "everything__every_type allowed:A singleSelect",
            "everything__every_type link:A multipleRecordLinks",
            "companies unique:Company");
  }

  /** (entity, check type, record, field) of each issue of a run, by check id. */
  private Map<String, Set<String>> issuesByCheck(String config, String db) {
    CliRun run = cli("run", "--config", config, "--format", "json", "--db", db);
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.FAIL_ISSUES);
    JsonNode issues =
        cli("issues", run.json().get("id").asText(), "--format", "json", "--db", db).json();
    Map<String, Set<String>> byCheck = new HashMap<>();
    for (JsonNode i : issues) {
      String check = i.get("check").asText();
      byCheck
          .computeIfAbsent(i.get("entity").asText() + " " + check, k -> new HashSet<>())
          .add(i.get("recordId").asText() + " " + i.path("field").asText());
    }
    return byCheck;
  }

  @Test
  void the_demo_base_run_through_init_finds_the_planted_problems_of_its_types() {
    serve(Dataset.demo());
    Path out = dir.resolve("starter.yml");
    assertThat(cli("init", "--base", Dataset.demoBaseId(), "--out", out.toString()).code())
        .isZero();

    Map<String, Set<String>> starter =
        issuesByCheck(out.toString(), "jdbc:sqlite:" + dir.resolve("starter.db"));
    Map<String, Set<String>> demo =
        issuesByCheck("examples/demo/integrity.yml", "jdbc:sqlite:" + dir.resolve("demo.db"));

    // Every kind of check init derives finds planted problems in the demo base...
    assertThat(starter.keySet().stream().map(k -> k.split(" ")[1].split(":")[0]))
        .contains("required", "format", "unique", "allowed", "link");
    // ...the same records as the hand-written demo config where the checks are the same...
    for (String same :
        List.of(
            "teachers format:Email",
            "teachers format:Phone",
            "teachers unique:Email",
            "teachers allowed:Subject",
            "classes allowed:Status",
            "students format:Email",
            "students format:Homepage",
            "students unique:Email",
            "students allowed:Tags",
            "enrollments allowed:Status")) {
      assertThat(starter.get(same)).as(same).isNotEmpty().isEqualTo(demo.get(same));
    }
    // ...and, where the demo config asks for more (min: 1, more required fields), a subset of it.
    for (String link : List.of("classes link:Teacher", "enrollments link:Student")) {
      assertThat(starter.get(link)).as(link).isNotEmpty();
      assertThat(demo.get(link)).as(link).containsAll(starter.get(link));
      assertThat(demo.get(link).size()).isGreaterThan(starter.get(link).size());
    }
    // The primary field is required; the demo config requires more fields next to it.
    for (String entity : List.of("teachers", "classes", "students")) {
      String demoRequired =
          demo.keySet().stream()
              .filter(k -> k.startsWith(entity + " required:"))
              .findFirst()
              .orElseThrow();
      Set<String> names =
          demo.get(demoRequired).stream()
              .filter(s -> s.endsWith(" Name"))
              .collect(Collectors.toSet());
      assertThat(starter.getOrDefault(entity + " required:Name", Set.of()))
          .as(entity)
          .isEqualTo(names);
    }
    assertThat(starter.get("students required:Name")).isNotEmpty();
  }
}
