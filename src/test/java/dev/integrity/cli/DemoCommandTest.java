package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code integrity demo --no-serve}, end to end: two nights over the bundled simulator. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void
      the_demo_plays_a_full_night_a_day_of_edits_and_an_incremental_night_with_new_resolved_and_persisting_issues() {
    Map<String, String> env = new HashMap<>();
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("demo.db"));
    // The simulator is local: a faster pace than the demo's default keeps the test short.
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "100");
    env.put("AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND", "100");

    CliRun demo = CliRun.of(env, Clock.systemUTC(), "demo", "--no-serve");

    assertThat(demo.code()).as(demo.out() + demo.err()).isEqualTo(1); // fail issues remain
    assertThat(demo.out())
        .contains("Night 1:")
        .contains("The day between:")
        .contains("Night 2:")
        .contains("fixed:")
        .contains("new mistake:");

    CliRun runs = CliRun.of(env, Clock.systemUTC(), "runs", "list", "--format", "json");
    assertThat(runs.code()).as(runs.err()).isZero();
    List<JsonNode> list = StreamSupport.stream(runs.json().spliterator(), false).toList();
    assertThat(list).hasSize(2);
    // Newest first or oldest first: the two runs by creation time.
    List<JsonNode> byTime =
        list.stream()
            .sorted((a, b) -> a.get("createdAt").asText().compareTo(b.get("createdAt").asText()))
            .toList();
    JsonNode first = byTime.get(0);
    JsonNode second = byTime.get(1);
    assertThat(first.get("status").asText()).isEqualTo("succeeded");
    assertThat(first.get("mode").asText()).isEqualTo("full");
    assertThat(second.get("status").asText()).isEqualTo("succeeded");
    assertThat(second.get("mode").asText()).isEqualTo("incremental");

    CliRun issues =
        CliRun.of(env, Clock.systemUTC(), "issues", second.get("id").asText(), "--format", "json");
    assertThat(issues.code()).as(issues.err()).isZero();
    Map<String, Integer> states = new HashMap<>();
    issues.json().forEach(i -> states.merge(i.get("state").asText(), 1, Integer::sum));
    assertThat(states.getOrDefault("new", 0)).isPositive();
    assertThat(states.getOrDefault("resolved", 0)).isPositive();
    assertThat(states.getOrDefault("persisting", 0)).isPositive();
    assertThat(second.get("issues").get("new").asInt()).isEqualTo(states.get("new"));
    assertThat(second.get("issues").get("resolved").asInt()).isEqualTo(states.get("resolved"));
  }
}
