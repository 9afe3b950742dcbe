package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.Chromium;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * The run page in headless Chromium against the real service (app, engine, store, web server) and a
 * slow simulator: a run started through the API shows its fetch progress growing on the page
 * without a reload, then its ending. The run is kept long by pacing, not by the test: the app may
 * fetch at most {@link #APP_RATE} pages a second (under the simulator's 5/s, so no 429 lockout),
 * and the table has {@link #PAGES} pages, so the run lasts at least PAGES / APP_RATE seconds,
 * several times the dashboard's 5 s refresh. Every read of the page is one script call because htmx
 * swaps the section under Selenium; every wait is on a value, bounded.
 */
class LiveRunPageBrowserTest {
  private static final String AIRTABLE_TOKEN = "patLiveRunPage0123456789";
  private static final String API_TOKEN = "live-run-page-token-0123456789";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGES = 100;
  private static final int APP_RATE = 4;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;
  private Chromium chromium;
  private WebDriver driver;
  private final OkHttpClient http = new OkHttpClient();

  @BeforeEach
  void start() {
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    // Airtable pages hold 100 records: PAGES pages of students.
    dataset = Dataset.synthetic(Map.of("Teachers", 10, "Students", PAGES * 100));
    sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .latency(Duration.ofMillis(200))
            .rateLimitPerSecond(5)
            .token(AIRTABLE_TOKEN)
            .build()
            .start();
    chromium = Chromium.start(dir.resolve("profile"), 1280, 900);
    driver = chromium.driver();
  }

  @AfterEach
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private IntegrityApp app() {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 300));
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", Integer.toString(APP_RATE));
    env.put("INTEGRITY_API_TOKEN", API_TOKEN);
    Path config =
        TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(PAGES * 100));
    return IntegrityApp.builder()
        .environment(env)
        .config(config)
        .serving(Service.Options.of("127.0.0.1", 0))
        .build();
  }

  @Test
  void the_run_page_shows_fetch_progress_growing_without_a_reload_then_the_run_succeeding()
      throws Exception {
    try (IntegrityApp app = app()) {
      Service service = app.serve();
      String runId = startRun(service, "students");
      driver.get(service.url().resolve("/runs/" + runId).toString());
      js("window.__same = true;");

      // Three strictly growing readings of the students row: two increases seen by htmx polling.
      AtomicLong last = new AtomicLong(0);
      for (int increase = 0; increase < 3; increase++) {
        long before = last.get();
        await()
            .atMost(WAIT)
            .until(
                () -> {
                  List<Long> progress = students();
                  if (progress == null || progress.get(1) <= before) {
                    return false;
                  }
                  last.set(progress.get(1));
                  return true;
                });
      }
      assertThat(last.get()).isLessThanOrEqualTo(PAGES);

      await().atMost(WAIT).until(() -> "succeeded".equals(runStatus()));
      assertThat(students()).containsExactly(PAGES * 100L, (long) PAGES);
      assertThat(js("return window.__same === true;")).isEqualTo(true);
      assertThat(app.store().runs().find(runId).orElseThrow().status().name())
          .isEqualTo("SUCCEEDED");
    }
  }

  private String startRun(Service service, String entity) throws Exception {
    Request post =
        new Request.Builder()
            .url(service.url().resolve("/api/runs").toString())
            .header("Authorization", "Bearer " + API_TOKEN)
            .post(RequestBody.create("{\"entities\": [\"" + entity + "\"]}", JSON_TYPE))
            .build();
    try (Response response = http.newCall(post).execute()) {
      assertThat(response.code()).isEqualTo(202);
      return JSON.readTree(response.body().string()).get("id").asText();
    }
  }

  /** Records and pages of the students row in one read, or null while the row is not there. */
  @SuppressWarnings("unchecked")
  private List<Long> students() {
    return (List<Long>)
        js(
            "const r = [...document.querySelectorAll('table.entities tbody tr')]"
                + ".find(r => r.cells[0].innerText.trim() === 'students');"
                + " return r ? [3, 4].map(i => Number(r.cells[i].innerText.trim())) : null;");
  }

  private String runStatus() {
    return (String)
        js(
            "const b = document.querySelector('dl.run dd .badge');"
                + " return b ? b.innerText.trim() : null;");
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
