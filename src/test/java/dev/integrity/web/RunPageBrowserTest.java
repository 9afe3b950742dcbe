package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.Chromium;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The run page of the issue explorer in headless Chromium against a real service on SQLite: the
 * summary, the filters in the URL across paging, local times, live progress. Every read of the page
 * is one script call, because htmx swaps parts of it under Selenium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunPageBrowserTest {
  private static final String BASE = "appBROWSEREXPLR01";
  private static final List<String> ENTITIES = List.of("teachers", "classes");

  @TempDir static Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
  private Store store;
  private WebServer server;
  private Chromium chromium;
  private WebDriver driver;
  private String finished;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("browser.db")), clock);
    run(
        List.of(
            issue("teachers", "t1", "required-name", "fail"),
            issue("teachers", "t2", "required-name", "fail"),
            issue("classes", "c1", "rule-dates", "warn")));
    finished =
        run(
            List.of(
                issue("teachers", "t2", "required-name", "fail"),
                issue("teachers", "t3", "required-name", "fail"),
                issue("teachers", "t4", "required-name", "fail"),
                issue("teachers", "t5", "required-name", "fail"),
                issue("classes", "c1", "rule-dates", "warn"),
                issue("classes", "c2", "required-name", "fail")));
    server =
        new WebServer(
                new StoreBackend(store, BASE),
                WebSettings.defaults(clock).withPort(0).withRefreshInterval(Duration.ofMillis(200)))
            .start();
    chromium = Chromium.start(dir.resolve("profile"), 1280, 1100);
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

  private static IssueRow issue(String entity, String record, String check, String severity) {
    return new IssueRow(
        null, entity, record, check, "Name", severity, "bad <i>" + record + "</i>", null, null);
  }

  private RunRecord create() {
    clock.advance(Duration.ofDays(6));
    RunRecord run = store.runs().create(BASE, Trigger.MANUAL, null, ENTITIES);
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(
            run.id(), ENTITIES.stream().map(e -> EntityProgress.pending(run.id(), e, e)).toList());
    return run;
  }

  private String run(List<IssueRow> issues) {
    RunRecord run = create();
    try (IssueWriter writer = store.issues().writer(run.id())) {
      issues.forEach(writer::add);
    }
    // Every entity is configured with both checks, and both ran whole.
    store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            ENTITIES.stream()
                .map(e -> EntityCoverage.complete(e, List.of("required-name", "rule-dates")))
                .toList());
    // A run marks each entity checked once its issues are stored; new/resolved compare with that.
    ENTITIES.forEach(
        e -> store.runs().updateEntity(EntityProgress.pending(run.id(), e, e).checkedWith(0)));
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    return run.id();
  }

  private void open(String path) {
    driver.get(server.url().resolve(path).toString());
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  private List<String> issueRecords() {
    return (List<String>)
        js(
            "return [...document.querySelectorAll('table.issues tbody tr')]"
                + ".map(r => r.cells[1].innerText.trim());");
  }

  @Test
  void the_summary_comes_first_and_each_row_links_to_its_slice() {
    open("/runs/" + finished);
    @SuppressWarnings("unchecked")
    List<String> rows =
        (List<String>)
            js(
                "return [...document.querySelectorAll('table.summary tbody tr')]"
                    + ".map(r => [...r.cells].slice(0, 6).map(c => c.innerText.trim()).join('|'));");
    assertThat(rows)
        // New first, then the count: what changed tonight heads the table.
        .containsExactly(
            "teachers|required-name|fail|4|3|1",
            "classes|required-name|fail|1|1|0",
            "classes|rule-dates|warn|1|0|0");
    assertThat(js("return document.querySelectorAll('table.summary svg.spark').length;"))
        .isEqualTo(3L);
    js("document.querySelector('table.summary tr[data-check=\"rule-dates\"] a').click();");
    await().atMost(Duration.ofSeconds(5)).until(() -> issueRecords().equals(List.of("c1")));
    assertThat(driver.getCurrentUrl()).contains("entity=classes").contains("check=rule-dates");
  }

  @Test
  void filters_survive_paging_and_reload() {
    open("/runs/" + finished + "?entity=teachers&limit=2");
    assertThat(issueRecords()).containsExactly("t2", "t3");
    js("document.querySelector('a[rel=next]').click();");
    await().atMost(Duration.ofSeconds(5)).until(() -> issueRecords().equals(List.of("t4", "t5")));
    assertThat(driver.getCurrentUrl()).contains("entity=teachers").contains("offset=2");
    driver.navigate().refresh();
    assertThat(issueRecords()).containsExactly("t4", "t5");
    assertThat(js("return document.querySelector('select[name=entity]').value;"))
        .isEqualTo("teachers");
    // The state filter through the form, then the CSV link carries the same slice.
    js(
        "const f = document.getElementById('filters');"
            + " f.querySelector('select[name=state]').value = 'resolved'; f.submit();");
    await().atMost(Duration.ofSeconds(5)).until(() -> issueRecords().equals(List.of("t1")));
    assertThat((String) js("return document.getElementById('csv').getAttribute('href');"))
        .isEqualTo("/runs/" + finished + "/issues.csv?entity=teachers&state=resolved");
  }

  @Test
  void the_run_page_names_its_base_and_the_config_that_names_it() {
    open("/runs/" + finished);
    assertThat(js("return document.querySelector('p.base').innerText.trim();"))
        .isEqualTo("Base " + BASE + " (browser.yml)");
  }

  @Test
  void the_summary_row_whose_slice_is_shown_is_highlighted_and_current() {
    open("/runs/" + finished + "?entity=classes&check=rule-dates&severity=warn");
    @SuppressWarnings("unchecked")
    Map<String, Object> sel =
        (Map<String, Object>)
            js(
                "const rows = [...document.querySelectorAll('table.summary tr.selected')];"
                    + " return {rows: rows.map(r => r.dataset.entity + '/' + r.dataset.check),"
                    + " current: rows.map(r => r.getAttribute('aria-current')),"
                    + " others: document.querySelectorAll('table.summary tr[aria-current]').length,"
                    + " bg: rows.length ? getComputedStyle(rows[0].cells[0]).backgroundColor : '',"
                    + " plain: getComputedStyle(document.querySelector("
                    + "'table.summary tr:not(.selected) td')).backgroundColor};");
    assertThat(sel.get("rows")).isEqualTo(List.of("classes/rule-dates"));
    assertThat(sel.get("current")).isEqualTo(List.of("true"));
    assertThat(sel.get("others")).isEqualTo(1L);
    assertThat(sel.get("bg")).isNotEqualTo(sel.get("plain"));
    open("/runs/" + finished);
    assertThat(js("return document.querySelectorAll('table.summary tr.selected').length;"))
        .isEqualTo(0L);
  }

  private Object range() {
    return js(
        "const r = document.querySelector('nav.paging .range'); return r ? r.innerText : null;");
  }

  @Test
  void the_pager_says_first_to_last_of_the_total_on_every_page() {
    open("/runs/" + finished + "?entity=teachers&limit=3");
    assertThat(range()).isEqualTo("1–3 of 4");
    js("document.querySelector('a[rel=next]').click();");
    await().atMost(Duration.ofSeconds(5)).until(() -> "4–4 of 4".equals(range()));
    assertThat(js("return document.querySelector('a[rel=next]') === null;")).isEqualTo(true);
    // Past the end: nothing shown of the slice's 4.
    open("/runs/" + finished + "?entity=teachers&offset=10");
    assertThat(range()).isEqualTo("0 of 4");
    // An empty slice says so once, with no range.
    open("/runs/" + finished + "?entity=classes&state=retired");
    assertThat(range()).isNull();
    assertThat(js("return document.querySelector('p.empty').innerText;"))
        .isEqualTo("No issues in this view.");
  }

  @Test
  void times_show_in_the_browser_zone_named_with_the_iso_time_as_tooltip() {
    // The browser in Paris, whatever this machine's zone: the page must say CET, not leave it to
    // guesswork.
    ChromeDriver chrome = (ChromeDriver) driver;
    chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Europe/Paris"));
    Map<String, Object> t;
    try {
      open("/runs/" + finished);
      @SuppressWarnings("unchecked")
      Map<String, Object> read =
          (Map<String, Object>)
              js(
                  "const e = document.querySelector('dl.run time');"
                      + " return {text: e.innerText, title: e.title,"
                      + " iso: e.getAttribute('datetime'),"
                      + " zone: document.getElementById('browser-zone').innerText};");
      t = read;
    } finally {
      chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
    }
    assertThat(t.get("title")).isEqualTo(t.get("iso"));
    assertThat(t.get("text"))
        .isEqualTo(Formats.zoned(Instant.parse((String) t.get("iso")), "Europe/Paris"));
    assertThat((String) t.get("text")).endsWith(" CET");
    assertThat((String) t.get("zone")).contains("Europe/Paris");
    assertThat((String) js("return document.querySelector('table.issues').innerText;"))
        .contains("open for 6 days")
        .contains("bad <i>t2</i>");
  }

  @Test
  void live_progress_moves_while_the_run_goes_on_without_a_reload() {
    RunRecord live = create();
    open("/runs/" + live.id());
    js("window.__sameDocument = true;");
    for (int page = 1; page <= 3; page++) {
      store
          .runs()
          .updateEntity(
              new EntityProgress(
                  live.id(),
                  "teachers",
                  "teachers",
                  EntityStatus.FETCHING,
                  page * 100L,
                  page,
                  null,
                  null));
      String expected = "teachers|fetching|" + (page * 100) + "|" + page;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  expected.equals(
                      js(
                          "const r = document.querySelector('table.entities tbody tr');"
                              + " return [0, 2, 3, 4].map(i => r.cells[i].innerText.trim())"
                              + ".join('|');")));
    }
    assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);
    store.runs().finish(live.id(), RunStatus.CANCELLED, null);
  }
}
