package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.integrity.Secret;
import dev.integrity.model.IssueRow;
import dev.integrity.testing.Chromium;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** The dashboard in a real headless Chromium; skipped where no chromedriver is installed. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String TOKEN = "tok-browser-secret";
  private static final String HOSTILE_MESSAGE =
      "<script>document.title='pwned';alert(1)</script>\"onmouseover=alert(2) x=\"";
  private static final String HOSTILE_RECORD = "<img src=x onerror=alert(3)>";

  @TempDir static Path profile;
  private FakeBackend backend;
  private WebServer server;
  private Chromium chromium;
  private WebDriver driver;

  @BeforeAll
  void start() throws IOException {
    boolean present = Chromium.installed();
    if (!present) {
      System.out.println(
          "DashboardBrowserTest skipped: "
              + Chromium.DRIVER
              + " or "
              + Chromium.BINARY
              + " is missing (apt-get install chromium chromium-driver)");
    }
    Assumptions.assumeTrue(
        present, "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    backend = new FakeBackend(T0);
    backend.put(FakeBackend.report("run_old", "succeeded", T0, 4200L));
    backend.put(FakeBackend.report("run_hostile", "error", T0.plusSeconds(60), 1300L));
    backend.put(FakeBackend.report("run_live", "running", T0.plusSeconds(120), null));
    backend.putIssues(
        "run_hostile",
        List.of(
            new IssueRow(
                "run_hostile",
                "classes",
                HOSTILE_RECORD,
                "required-name",
                "\"onmouseover=alert(5)",
                "fail",
                HOSTILE_MESSAGE,
                "javascript:alert(4)",
                "new"),
            new IssueRow(
                "run_hostile",
                "classes",
                "recSAFE",
                "range-capacity",
                "Capacity",
                "warn",
                "Capacity 90 is above 40",
                "https://airtable.com/appX/tblY/recSAFE",
                "persisting")));
    server =
        new WebServer(
                backend,
                WebSettings.defaults(Clock.fixed(T0.plusSeconds(180), ZoneOffset.UTC))
                    .withPort(0)
                    .withApiToken(new Secret(TOKEN))
                    .withRefreshInterval(Duration.ofMillis(200)))
            .start();
    chromium = Chromium.start(profile, 1280, 900);
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
  }

  private void open(String path) {
    driver.get(server.url().resolve(path).toString());
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** The rendered text of the first element matching a selector, read atomically in the page. */
  private String textOf(String selector) {
    Object text =
        js(
            "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : null;",
            selector);
    return (String) text;
  }

  private void assertNoAlert() {
    assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
  }

  @Test
  void runs_page_lists_the_runs_of_the_backend_newest_first() {
    open("/");
    assertThat(driver.getTitle()).isEqualTo("Runs · Integrity Runner");
    // The runs table is swapped by htmx every 200 ms here, so read it in one script call: element
    // handles taken before a swap go stale before they are read.
    @SuppressWarnings("unchecked")
    Map<String, Object> page =
        (Map<String, Object>)
            js(
                "const rows = [...document.querySelectorAll('table.runs tbody tr')];"
                    + " const old = document.querySelector(\"tr[data-run-id='run_old']\");"
                    + " return {ids: rows.map(r => r.getAttribute('data-run-id')),"
                    + " old: old ? old.innerText : null};");
    assertThat(((List<?>) page.get("ids")).stream().map(String::valueOf).toList())
        .startsWith("run_live", "run_hostile", "run_old");
    assertThat((String) page.get("old")).contains("succeeded").contains("4.2 s");
  }

  @Test
  void the_chart_renders_issues_per_severity_and_new_per_run_and_marks_the_errored_run() {
    open("/");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js(
                        "const c = document.getElementById('runs-chart');"
                            + " return !!(window.Chart && Chart.getChart(c)) && c.width > 0;")));
    Object datasets =
        js(
            "return Chart.getChart(document.getElementById('runs-chart')).data.datasets"
                + ".map(d => d.label);");
    assertThat(((List<?>) datasets).stream().map(String::valueOf).toList())
        .containsExactly(
            "fail", "warn", "new", "acknowledged", "ended in error, timeout or cancelled");
    // The caption's promise holds: the errored run, and only it, has a drawn red marker, and the
    // legend names it. One script reads the chart, as htmx may swap the section meanwhile.
    @SuppressWarnings("unchecked")
    Map<String, Object> marks =
        (Map<String, Object>)
            js(
                "const ch = Chart.getChart(document.getElementById('runs-chart'));"
                    + " const ids = JSON.parse(document.getElementById('runs').dataset.chart).ids;"
                    + " const meta = ch.getDatasetMeta(4);"
                    + " return {marked: ids.filter((id, i) => ch.data.datasets[4].data[i] !== null"
                    + " && !meta.data[i].skip && Number.isFinite(meta.data[i].y)),"
                    + " style: ch.data.datasets[4].pointStyle,"
                    + " legend: ch.legend.legendItems.map(l => l.text),"
                    + " caption: document.querySelector('figure.chart figcaption').innerText};");
    assertThat(marks.get("marked")).isEqualTo(List.of("run_hostile"));
    assertThat(marks.get("style")).isEqualTo("triangle");
    assertThat(String.valueOf(marks.get("legend")))
        .contains("ended in error, timeout or cancelled");
    assertThat((String) marks.get("caption")).contains("cancelled are marked with a red triangle");
    // The run that ended in error stands out in the table.
    assertThat(js("return document.querySelector(\"tr[data-run-id='run_hostile']\").className;"))
        .isEqualTo("run-troubled");
  }

  @Test
  void htmx_polling_updates_a_run_status_without_a_reload() {
    backend.setStatus("run_live", "running");
    open("/");
    js("window.__sameDocument = true;");
    String liveBadge = "tr[data-run-id='run_live'] .badge";
    assertThat(textOf(liveBadge)).isEqualTo("running");
    backend.setStatus("run_live", "succeeded");
    await().atMost(Duration.ofSeconds(10)).until(() -> "succeeded".equals(textOf(liveBadge)));
    assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);
  }

  @Test
  void run_page_shows_hostile_text_escaped_and_runs_none_of_it() {
    open("/runs/run_hostile");
    assertThat(driver.getTitle()).isEqualTo("Run run_hostile · Integrity Runner");
    assertNoAlert();
    WebElement hostileRow = driver.findElements(By.cssSelector("table.issues tbody tr")).get(0);
    List<WebElement> cells = hostileRow.findElements(By.tagName("td"));
    assertThat(cells.get(1).getText()).isEqualTo(HOSTILE_RECORD);
    assertThat(cells.get(3).getText()).isEqualTo("\"onmouseover=alert(5)");
    assertThat(cells.get(7).getText()).isEqualTo(HOSTILE_MESSAGE);
    // The javascript: URL never becomes a link; the Airtable one opens in a new tab.
    assertThat(cells.get(1).findElements(By.tagName("a"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("table.issues img"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("main script"))).isEmpty();
    WebElement link = driver.findElement(By.linkText("recSAFE"));
    assertThat(link.getAttribute("href")).isEqualTo("https://airtable.com/appX/tblY/recSAFE");
    assertThat(link.getAttribute("target")).isEqualTo("_blank");
    assertThat(link.getAttribute("rel")).contains("noopener");
    assertThat(driver.getTitle()).isEqualTo("Run run_hostile · Integrity Runner");
    assertNoAlert();
  }

  @Test
  void run_page_filters_issues_by_state_through_the_url() {
    open("/runs/run_hostile?state=new");
    assertThat(driver.findElements(By.cssSelector("table.issues tbody tr"))).hasSize(1);
    js(
        "const f = document.getElementById('filters');"
            + " f.querySelector('select[name=state]').value = 'all'; f.submit();");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> driver.findElements(By.cssSelector("table.issues tbody tr")).size() == 2);
    assertThat(driver.getCurrentUrl()).contains("state=all");
  }

  @Test
  void cancel_button_needs_the_api_token_like_any_client() {
    backend.setStatus("run_live", "running");
    open("/runs/run_live");
    WebElement result = driver.findElement(By.id("cancel-result"));
    driver.findElement(By.id("cancel-run")).click();
    await().atMost(Duration.ofSeconds(5)).until(() -> result.getText().contains("bearer token"));
    driver.findElement(By.id("api-token")).sendKeys(TOKEN);
    driver.findElement(By.id("cancel-run")).click();
    await().atMost(Duration.ofSeconds(5)).until(() -> result.getText().equals("cancel requested"));
    assertThat(driver.getPageSource()).doesNotContain(TOKEN);
  }

  @Test
  void pages_load_without_console_errors_under_the_content_security_policy() {
    driver.manage().logs().get(LogType.BROWSER); // drop entries of earlier tests
    for (String path : List.of("/", "/runs/run_hostile", "/schedules", "/alerts")) {
      open(path);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Boolean.TRUE.equals(js("return !!window.htmx;")));
    }
    List<LogEntry> errors =
        driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).extracting(LogEntry::getMessage).isEmpty();
  }

  @Test
  void schedules_show_their_zone_by_the_cron_and_the_next_fire_in_that_zone() {
    backend.putSchedule(
        new ScheduleInput(
            "nightly-paris", null, "0 2 * * *", "Europe/Paris", List.of(), true, "full"));
    open("/schedules");
    @SuppressWarnings("unchecked")
    Map<String, Object> row =
        (Map<String, Object>)
            js(
                "const r = [...document.querySelectorAll('table.schedules tbody tr')]"
                    + ".find(r => r.cells[0].innerText === 'nightly-paris');"
                    + " const t = r.querySelector('td.next-fire time');"
                    + " return {cron: r.querySelector('td.cron').innerText, next: t.innerText,"
                    + " iso: t.getAttribute('datetime'),"
                    + " zone: document.getElementById('browser-zone').innerText};");
    assertThat(row.get("cron")).isEqualTo("0 2 * * * Europe/Paris");
    // FakeBackend's next fire is a day after its epoch, 10:00 UTC: 11:00 in Paris, said so, and
    // left in the schedule's zone rather than turned into the browser's.
    assertThat(row.get("iso")).isEqualTo("2025-03-02T10:00:00Z");
    assertThat(row.get("next")).isEqualTo("2025-03-02 11:00 CET");
    assertThat((String) row.get("zone")).startsWith("Times in ");
  }

  @Test
  void times_rendered_in_the_browser_name_its_zone() {
    open("/");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Boolean.TRUE.equals(
                    js("return document.querySelector('table.runs time').dataset.local === '1';")));
    @SuppressWarnings("unchecked")
    Map<String, Object> t =
        (Map<String, Object>)
            js(
                "const e = document.querySelector('table.runs time');"
                    + " const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;"
                    + " const name = new Intl.DateTimeFormat('en-GB', {timeZoneName: 'short'})"
                    + ".formatToParts(new Date(e.getAttribute('datetime')))"
                    + ".find(p => p.type === 'timeZoneName').value;"
                    + " return {text: e.innerText, name: name, zone: zone,"
                    + " caption: document.getElementById('browser-zone').innerText};");
    assertThat((String) t.get("text")).endsWith(" " + t.get("name"));
    assertThat((String) t.get("caption")).contains((String) t.get("zone"));
  }
}
