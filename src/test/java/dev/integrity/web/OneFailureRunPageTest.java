package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.config.Settings;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 8: a wrong token fails the run before any entity starts; the run page says the 401
 * sentence once (the run's error) and each entity's error cell only "not started". A real run
 * against the simulator over HTTP, a real SQLite store, the page over real HTTP.
 */
class OneFailureRunPageTest {
  @TempDir Path dir;

  @Test
  void a_wrong_token_is_said_once_on_the_run_page_and_each_entity_says_not_started() {
    Dataset dataset = Dataset.synthetic(Map.of("Teachers", 20, "Students", 30));
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
      env.put("AIRTABLE_TOKEN", "patWrongToken.0123456789abcdef0123456789abcdef");
      Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
      RunReport report;
      try (IntegrityApp app =
          IntegrityApp.builder()
              .settings(Settings.from(env))
              .clock(Clock.systemUTC())
              .config(config)
              .build()) {
        report = app.runOnce(List.of(), RunMode.FULL);
      }
      assertThat(report.status()).isEqualTo("error");

      try (Store store =
              Store.open(
                  StoreSettings.of("jdbc:sqlite:" + dir.resolve("integrity.db")),
                  Clock.systemUTC());
          WebServer server =
              new WebServer(
                      new StoreBackend(store, dataset.baseId()),
                      WebSettings.defaults(Clock.systemUTC()).withPort(0))
                  .start();
          TestHttp http = new TestHttp(server.url())) {
        String page = http.get("/runs/" + report.id(), null).body();

        // The entity table says only what differs; the run's error says the cause.
        assertThat(page)
            .contains("<td class=\"error\">not started</td>")
            .doesNotContain("not started: ");
        assertThat(page.split("<td class=\"error\">", -1)).hasSize(3);
        assertThat(page).contains("Airtable rejected the token");
      }
    }
  }
}
