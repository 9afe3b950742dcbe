package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.DemoNight;
import dev.integrity.store.AckRepository;
import dev.integrity.testing.Chromium;
import dev.integrity.testing.TestBases;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/**
 * The README's screenshots, taken from the real service over the demo base (the simulator's demo
 * dataset and examples/demo/integrity.yml, as {@code integrity demo} wires them) at 1280x900: two
 * runs so the chart has a line, then the runs page, the last run's page, schedules and alerts. They
 * go to target/screenshots; {@code ./mvnw test -Dtest=ReadmeScreenshotsBrowserTest
 * -Dintegrity.screenshots=docs/images} retakes the README's.
 */
class ReadmeScreenshotsBrowserTest {
  private static final String API_TOKEN = "readme-screenshots-token-0123456789";
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void screenshots_of_each_screen_of_the_demo_base() throws Exception {
    // Into target/ on every build, so a test run leaves the work tree clean; the README's copies
    // are
    // retaken with -Dintegrity.screenshots=docs/images.
    Path images = Path.of(System.getProperty("integrity.screenshots", "target/screenshots"));
    Path demoConfig = Path.of("examples", "demo", "integrity.yml");
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    Assumptions.assumeTrue(Files.isRegularFile(demoConfig), "not in the repository root");
    Files.createDirectories(images);
    Dataset dataset = Dataset.demo();
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 120));
      env.put("INTEGRITY_API_TOKEN", API_TOKEN);
      try (IntegrityApp app =
          IntegrityApp.builder()
              .environment(env)
              .config(demoConfig)
              .serving(Service.Options.of("127.0.0.1", 0))
              .build()) {
        Service service = app.serve();
        String last = null;
        for (int i = 0; i < 2; i++) {
          if (i == 1) {
            // The demo's day between two nights, and one acknowledged check, so the screens show
            // new, resolved, persisting and acknowledged issues.
            DemoNight.of(dataset).play(sim.baseUrl(), sim.token(), 20);
            app.store()
                .acks()
                .create(
                    new AckRepository.NewAck(
                        dataset.baseId(),
                        "teachers",
                        "unique:Email",
                        null,
                        null,
                        "shared family addresses, known",
                        "office",
                        null));
          }
          String id = startRun(service);
          await()
              .atMost(WAIT)
              .until(() -> app.store().runs().find(id).orElseThrow().status().terminal());
          last = id;
        }
        try (Chromium chromium = Chromium.start(dir.resolve("profile"), 1280, 900)) {
          WebDriver d = chromium.driver();
          // The page itself at 1280x900: headless Chromium's --window-size leaves a smaller
          // viewport (1280x757), so the screens are checked at the size the README promises.
          ((org.openqa.selenium.chrome.ChromeDriver) d)
              .executeCdpCommand(
                  "Emulation.setDeviceMetricsOverride",
                  Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
          d.get(service.url().resolve("/").toString());
          await()
              .atMost(WAIT)
              .until(
                  () ->
                      Boolean.TRUE.equals(
                          ((JavascriptExecutor) d)
                              .executeScript(
                                  "return !!(window.Chart && Chart.getChart('runs-chart'));")));
          shot(d, images.resolve("runs-page.png"));
          d.get(service.url().resolve("/runs/" + last).toString());
          shot(d, images.resolve("run-page.png"));
          d.get(service.url().resolve("/schedules").toString());
          shot(d, images.resolve("schedules-page.png"));
          d.get(service.url().resolve("/alerts").toString());
          shot(d, images.resolve("alerts-page.png"));
        }
        assertThat(app.store().runs().find(last).orElseThrow().status().name())
            .isEqualTo("SUCCEEDED");
        var issues = app.store().issues().summary(last);
        assertThat(issues.newCount()).isPositive();
        assertThat(issues.resolvedCount()).isPositive();
        assertThat(issues.acknowledged()).isPositive();
      }
    }
    assertThat(Files.size(images.resolve("runs-page.png"))).isPositive();
    for (String png : List.of("run-page.png", "schedules-page.png", "alerts-page.png")) {
      assertThat(Files.size(images.resolve(png))).as(png).isPositive();
    }
  }

  private static String startRun(Service service) throws Exception {
    Request post =
        new Request.Builder()
            .url(service.url().resolve("/api/runs").toString())
            .header("Authorization", "Bearer " + API_TOKEN)
            .post(RequestBody.create("{}", JSON_TYPE))
            .build();
    try (Response response = new OkHttpClient().newCall(post).execute()) {
      assertThat(response.code()).isEqualTo(202);
      return JSON.readTree(response.body().string()).get("id").asText();
    }
  }

  private static void shot(WebDriver driver, Path target) throws Exception {
    File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }
}
