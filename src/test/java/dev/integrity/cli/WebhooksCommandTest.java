package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.config.Settings;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.store.Store;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code integrity webhooks list|delete} against the simulator. */
class WebhooksCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Map<String, String> env;
  private String config;

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 5, "Students", 5));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    env = new HashMap<>(TestBases.env(sim, dir, 30));
    config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(100)).toString();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private CliRun cli(String... args) {
    return CliRun.of(env, Clock.systemUTC(), args);
  }

  private String createHook() throws Exception {
    OkHttpClient http = new OkHttpClient();
    Request request =
        new Request.Builder()
            .url(sim.baseUrl() + "/v0/bases/" + dataset.baseId() + "/webhooks")
            .header("Authorization", "Bearer " + sim.token())
            .post(
                RequestBody.create(
                    "{\"specification\":{\"options\":{\"filters\":{\"dataTypes\":[\"tableData\"]}}}}",
                    MediaType.get("application/json")))
            .build();
    try (Response r = http.newCall(request).execute()) {
      return JSON.readTree(r.body().string()).path("id").asText();
    } finally {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }

  @Test
  void list_shows_every_webhook_and_marks_the_one_the_store_remembers() throws Exception {
    String ours = createHook();
    String other = createHook();
    try (Store store = Store.open(Settings.from(env).store(), Clock.systemUTC())) {
      store.mirrors().saveWebhook(dataset.baseId(), ours, Instant.parse("2030-01-01T00:00:00Z"), 3);
    }

    CliRun text = cli("webhooks", "list", "--config", config);
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out()).contains("2 webhook(s)", ours, other, "used by integrity");

    CliRun json = cli("webhooks", "list", "--config", config, "--format", "json");
    JsonNode rows = JSON.readTree(json.out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).path("id").asText()).isEqualTo(ours);
    assertThat(rows.get(0).path("usedByIntegrity").asBoolean()).isTrue();
    assertThat(rows.get(1).path("usedByIntegrity").asBoolean()).isFalse();
  }

  @Test
  void delete_removes_a_named_webhook_or_the_remembered_one_and_forgets_it() throws Exception {
    String ours = createHook();
    String other = createHook();
    try (Store store = Store.open(Settings.from(env).store(), Clock.systemUTC())) {
      store.mirrors().saveWebhook(dataset.baseId(), ours, null, 1);
    }

    CliRun named = cli("webhooks", "delete", "--config", config, "--id", other);
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(named.out()).contains("deleted webhook " + other);

    CliRun remembered = cli("webhooks", "delete", "--config", config);
    assertThat(remembered.code()).as(remembered.err()).isZero();
    assertThat(remembered.out()).contains(ours);
    try (Store store = Store.open(Settings.from(env).store(), Clock.systemUTC())) {
      assertThat(store.mirrors().webhook(dataset.baseId())).isEmpty();
    }
    assertThat(cli("webhooks", "list", "--config", config).out()).contains("0 webhook(s)");

    CliRun none = cli("webhooks", "delete", "--config", config);
    assertThat(none.code()).isEqualTo(64);
    assertThat(none.err()).contains("--id");
    CliRun unknown = cli("webhooks", "delete", "--config", config, "--id", other);
    assertThat(unknown.code()).isEqualTo(64);
    assertThat(unknown.err()).contains("has no webhook " + other);
  }
}
