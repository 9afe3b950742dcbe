package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, goal 4, in {@code serve}: one WARN line at start per schedule whose projected month
 * exceeds the base's budget, the same warning on the dashboard, and the run page's API calls with
 * the base's month.
 */
class CostServeTest {
  @TempDir Path dir;
  @RegisterExtension final CapturedLogs logs = CapturedLogs.root();
  private AirtableSimulator sim;
  private Dataset dataset;
  private final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void start() {
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
  }

  @AfterEach
  void stop() {
    sim.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private String get(String url) throws Exception {
    try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      return r.body().string();
    }
  }

  @Test
  void serve_warns_once_per_schedule_over_budget_at_start_and_the_dashboard_shows_it()
      throws Exception {
    // Crons of an hour 12 hours away, so that no schedule fires while the test runs: every minute
    // of that hour is 60 x 30 = 1,800 fires a month, once a day 30.
    int hour = ZonedDateTime.now(Clock.systemUTC()).plusHours(12).getHour();
    Path plain = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    Path config = dir.resolve("served.yml");
    Files.writeString(
        config,
        Files.readString(plain)
                .replace(
                    "  token: ${AIRTABLE_TOKEN}\n",
                    "  token: ${AIRTABLE_TOKEN}\n  monthlyCallBudget: free\n")
            + """
            schedules:
              - name: daily
                cron: "0 %d * * *"
              - name: busy-hour
                cron: "* %d * * *"
            """
                .formatted(hour, hour));

    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(TestBases.env(sim, dir, 30))
            .config(config)
            .serving(Service.Options.of("127.0.0.1", 0))
            .build()) {
      RunReport run = app.runOnce(List.of(), RunMode.FULL);
      // 1 schema read + the pages; a first night on a busy machine may partition a table's rest.
      long calls = sim.requests().size();
      assertThat(run.apiCalls()).isGreaterThanOrEqualTo(9).isEqualTo(calls);

      Service service = app.serve();

      List<String> warnings =
          logs.events().stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.startsWith("API call budget: "))
              .toList();
      assertThat(warnings)
          .singleElement()
          .satisfies(
              w ->
                  assertThat(w)
                      .startsWith(
                          "API call budget: base " + dataset.baseId() + ", schedule busy-hour: ")
                      .contains(
                          calls + " calls per run (the last run of the base, " + run.id() + ")")
                      .contains(
                          "x 1,800 fires a month = "
                              + String.format(java.util.Locale.ROOT, "%,d", calls * 1_800)
                              + " calls a month")
                      .endsWith("over the monthly call budget of 1,000 (free)"));

      String dashboard = get(service.url() + "");
      assertThat(dashboard)
          .contains("class=\"cost-warning\"")
          .contains("schedule busy-hour: " + calls + " calls per run")
          .doesNotContain("schedule daily:");

      assertThat(get(service.url() + "schedules"))
          .contains("schedule busy-hour: " + calls + " calls per run")
          .doesNotContain("schedule daily:");

      String page = get(service.url() + "runs/" + run.id());
      assertThat(page)
          .contains("<dt>API calls</dt><dd class=\"api-calls\">" + calls)
          .contains(
              "(base " + dataset.baseId() + ": " + calls + " of 1,000 calls this month (1%))");
    }
  }
}
