package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.Secret;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.Chromium;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * "Run now" on the runs page in headless Chromium against a real web server and SQLite store with
 * an API token set: the button posts to {@code POST /api/runs} with the bearer token typed into the
 * page, and the new run appears in the runs table; without the token the API's refusal shows and no
 * run starts. Every read of the page is one script call (htmx swaps the table under Selenium).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunNowBrowserTest {
  private static final String BASE = "appBROWSERRUNNOW1";
  private static final String TOKEN = "run-now-token-0123456789";

  @TempDir static Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private Store store;
  private WebServer server;
  private Chromium chromium;
  private WebDriver driver;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("run-now.db")), clock);
    // Bound to loopback, the dashboard pages open without the token; the API still needs it.
    server =
        new WebServer(
                new StoreBackend(store, BASE),
                WebSettings.defaults(clock)
                    .withPort(0)
                    .withApiToken(new Secret(TOKEN))
                    .withRefreshInterval(Duration.ofMillis(200)))
            .start();
    chromium = Chromium.start(dir.resolve("profile"), 1280, 900);
    driver = chromium.driver();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  @Order(1)
  void without_the_token_the_button_shows_the_refusal_and_starts_nothing() {
    open("/");
    js("document.querySelector('button.run-now[data-base=\"" + BASE + "\"]').click();");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !result().isEmpty() && !(Boolean) js(RUN_NOW_BUSY));
    assertThat(result()).contains("bearer token");
    assertThat(runIdsInTable()).isEmpty();
    assertThat(store.runs().list(dev.integrity.store.RunQuery.latest(10))).isEmpty();
  }

  @Test
  @Order(2)
  void with_the_token_the_button_starts_a_run_that_appears_in_the_runs_table() {
    open("/");
    js(
        "document.getElementById('api-token').value = arguments[0];"
            + " document.querySelector('button.run-now[data-base=\""
            + BASE
            + "\"]').click();",
        TOKEN);

    await().atMost(Duration.ofSeconds(10)).until(() -> result().startsWith("started run "));
    String id = result().substring("started run ".length()).trim();
    assertThat(store.runs().find(id)).isPresent();
    await().atMost(Duration.ofSeconds(10)).until(() -> runIdsInTable().contains(id));
    assertThat(runIdsInTable()).containsExactly(id);
  }

  private static final String RUN_NOW_BUSY =
      "return document.querySelector('button.run-now').disabled === true;";

  private String result() {
    return (String) js("return document.getElementById('run-now-result').textContent;");
  }

  @SuppressWarnings("unchecked")
  private List<String> runIdsInTable() {
    return (List<String>)
        js(
            "return [...document.querySelectorAll('table.runs tbody tr')]"
                + ".map(r => r.dataset.runId);");
  }

  private void open(String path) {
    driver.get(server.url().resolve(path).toString());
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
