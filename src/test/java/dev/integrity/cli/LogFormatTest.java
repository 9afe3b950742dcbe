package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.ChildJvm;
import dev.integrity.testing.TestBases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped logback.xml, in a child JVM as users run it: LOG_FORMAT picks text or JSON. */
class LogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "patLogFormatSecret987654321";

  @TempDir Path dir;

  private record Child(int code, String out, List<String> errLines) {}

  private Child run(Map<String, String> env, String... args) throws Exception {
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    // The test classpath carries logback-test.xml; point at the shipped configuration instead.
    Process p =
        ChildJvm.start(
            Main.class, List.of("-Dlogback.configurationFile=logback.xml"), env, out, err, args);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child did not finish in 60 s");
    }
    return new Child(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8));
  }

  @Test
  void json_logs_are_one_object_per_line_carrying_the_run_id_and_never_the_token()
      throws Exception {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 150));
    try (AirtableSimulator sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .rateLimitPerSecond(0)
            .token(TOKEN)
            .build()
            .start()) {
      Map<String, String> env = new java.util.HashMap<>(TestBases.env(sim, dir, 30));
      env.put("LOG_FORMAT", "json");
      Path config =
          TestBases.config(
              dir,
              dataset.baseId(),
              """
                teachers:
                  table: Teachers
                  checks:
                    - required: [Name]
              """);

      Child child = run(env, "run", "--config", config.toString(), "--format", "json");

      assertThat(child.code()).isZero();
      String runId = JSON.readTree(child.out()).get("id").asText();
      List<JsonNode> logs = new ArrayList<>();
      for (String line : child.errLines()) {
        if (line.startsWith("{")) {
          logs.add(JSON.readTree(line));
        }
      }
      assertThat(logs).isNotEmpty();
      assertThat(logs).allSatisfy(l -> assertThat(l.has("level") && l.has("message")).isTrue());
      assertThat(logs)
          .filteredOn(l -> l.get("logger_name").asText().startsWith("dev.integrity.run"))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l.get("run").asText()).isEqualTo(runId));
      assertThat(logs)
          .filteredOn(l -> l.get("message").asText().startsWith("fetched teachers"))
          .singleElement()
          .satisfies(l -> assertThat(l.get("entity").asText()).isEqualTo("teachers"));
      assertThat(String.join("\n", child.errLines()) + child.out()).doesNotContain(TOKEN);
    }
  }

  @Test
  void text_logs_are_the_default() throws Exception {
    Child child =
        run(
            Map.of("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("x.db")),
            "runs",
            "list",
            "--format",
            "json");

    assertThat(child.code()).isZero();
    assertThat(child.out().strip()).isEqualTo("[ ]");
    assertThat(child.errLines()).isNotEmpty().noneMatch(l -> l.startsWith("{"));
    assertThat(child.errLines()).anyMatch(l -> l.contains("INFO") && l.contains("ready"));
  }
}
