package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code owner} filter against the served service: the owners come from the config the service
 * serves for the run's base (students are the Registrar's, teachers nobody's).
 */
class OwnerFilterServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private final MockWebServer registrar = new MockWebServer();
  private final OkHttpClient http =
      new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

  @BeforeEach
  void start() throws Exception {
    registrar.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
            return new MockResponse.Builder().code(200).body("ok").build();
          }
        });
    registrar.start();
    dataset = Dataset.synthetic(Map.of("Teachers", 30, "Students", 60));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
  }

  @AfterEach
  void stop() {
    sim.close();
    registrar.close();
    http.connectionPool().evictAll();
  }

  private JsonNode get(String url) throws Exception {
    try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
      String body = r.body().string();
      JsonNode json = JSON.readTree(body);
      return JSON.createObjectNode().put("status", r.code()).set("body", json);
    }
  }

  @Test
  void theOwnerFilterTakesTheEntitiesOfTheOwnerInTheServedConfig() throws Exception {
    Path config =
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
                owner: {name: Registrar, webhook: {url: %s}}
                checks:
                  - range: {field: Number, min: 1, max: 50}
            """
                .formatted(registrar.url("/registrar")));
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(env)
            .config(config)
            .serving(Service.Options.of("127.0.0.1", 0))
            .build()) {
      RunReport run = app.runOnce(List.of(), RunMode.FULL);
      String base = app.serve().url().toString().replaceAll("/$", "");
      String issues = base + "/api/runs/" + run.id() + "/issues?limit=1000";

      JsonNode owned = get(issues + "&owner=Registrar");
      assertThat(owned.get("status").asInt()).isEqualTo(200);
      List<String> entities = new ArrayList<>();
      owned.get("body").forEach(i -> entities.add(i.get("entity").asText()));
      assertThat(entities).hasSize(10).containsOnly("students");

      JsonNode unknown = get(issues + "&owner=Staff%20office");
      assertThat(unknown.get("status").asInt()).isEqualTo(400);
      assertThat(unknown.at("/body/error/message").asText())
          .isEqualTo("owner: 'Staff office' is not one of Registrar");
    }
  }
}
