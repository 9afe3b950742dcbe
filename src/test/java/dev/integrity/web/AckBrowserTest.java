package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.Secret;
import dev.integrity.model.Ack;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
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
import org.openqa.selenium.Alert;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;

/**
 * Acknowledging on the run page in headless Chromium against a real web server and SQLite store
 * with an API token set (loopback: the pages open without it, the posts need it): one issue through
 * its form, a filtered slice through "acknowledge all N" and the browser's confirmation, both shown
 * without a reload and still there after one (badge, summary count, ack filter), then the
 * Acknowledged page with what each covers, and a revoke. Every read of the page is one script call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AckBrowserTest {
  private static final String BASE = "appBROWSERACK0001";
  private static final String TOKEN = "ack-browser-token-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private Store store;
  private WebServer server;
  private Chromium chromium;
  private WebDriver driver;
  private String run;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        Chromium.installed(),
        "chromium and chromedriver are not installed at /usr/bin; browser tests skipped");
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("acks.db")), clock);
    RunRecord r = store.runs().create(BASE, Trigger.MANUAL, null, List.of("students"));
    store.runs().claim(r.id(), "test-owner");
    store
        .runs()
        .saveEntities(r.id(), List.of(EntityProgress.pending(r.id(), "students", "Students")));
    try (IssueWriter writer = store.issues().writer(r.id())) {
      for (String record : List.of("rec1", "rec2", "rec3", "rec4")) {
        writer.add(issue(record, "required:Name", "fail"));
      }
      writer.add(issue("rec1", "format:Email", "warn"));
    }
    store
        .issues()
        .computeStates(
            r.id(),
            BASE,
            List.of(EntityCoverage.complete("students", List.of("required:Name", "format:Email"))));
    store
        .runs()
        .updateEntity(EntityProgress.pending(r.id(), "students", "Students").checkedWith(5));
    store.runs().finish(r.id(), RunStatus.SUCCEEDED, null);
    run = r.id();
    server =
        new WebServer(
                new StoreBackend(store, BASE),
                WebSettings.defaults(clock).withPort(0).withApiToken(new Secret(TOKEN)))
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

  private static IssueRow issue(String record, String check, String severity) {
    String field = check.startsWith("format") ? "Email" : "Name";
    return new IssueRow(
        null, "students", record, check, field, severity, "bad " + record, null, null);
  }

  @Test
  void acknowledge_one_issue_and_a_slice_reload_see_them_then_revoke_one_on_the_acks_page()
      throws Exception {
    // Without the token the refusal shows next to the form, and nothing is stored.
    open("/runs/" + run);
    js(
        "const f = document.querySelector('form.ack-issue');"
            + " f.closest('details').open = true;"
            + " f.querySelector('[name=reason]').value = 'known';"
            + " f.requestSubmit();");
    await()
        .atMost(WAIT)
        .until(
            () ->
                !String.valueOf(
                        js(
                            "return document.querySelector('form.ack-issue .ack-error').textContent;"))
                    .isEmpty());
    assertThat(js("return document.querySelector('form.ack-issue .ack-error').textContent;"))
        .asString()
        .contains("this action needs the API token");
    assertThat(store.acks().list(true)).isEmpty();

    // One issue through its own form; the page updates in place.
    open("/runs/" + run);
    js("window.__sameDocument = true;");
    js(
        "document.getElementById('api-token').value = arguments[0];"
            + " const row = [...document.querySelectorAll('table.issues tbody tr')]"
            + ".find(r => r.cells[1].innerText.trim() === 'rec1'"
            + " && r.cells[2].innerText.trim() === 'required:Name');"
            + " const f = row.querySelector('form.ack-issue');"
            + " row.querySelector('details.ack').open = true;"
            + " f.querySelector('[name=reason]').value = 'known gap <script>x</script>';"
            + " f.querySelector('[name=by]').value = 'Ann';"
            + " f.querySelector('[name=until]').value = '2027-01-31';"
            + " f.requestSubmit();",
        TOKEN);
    await()
        .atMost(WAIT)
        .until(() -> rows().getOrDefault("rec1|required:Name", "").startsWith("ack"));
    assertThat(rows().get("rec1|required:Name"))
        .isEqualTo("ack|known gap <script>x</script>|Ann|2027-02-01 00:00 UTC");
    assertThat(js("return document.getElementById('ack-flash').innerText;"))
        .asString()
        .contains("Acknowledged 1 issue: students / required:Name, record rec1");
    assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);

    // A filtered slice: the view of the check holds 3 more; the browser asks first, naming them.
    open("/runs/" + run + "?entity=students&check=required:Name");
    js("window.__sameDocument = true;");
    js(
        "document.querySelector('details.ack-slice').open = true;"
            + " document.querySelector('table.issues tbody tr:nth-child(2) details.ack').open = true;"
            + " document.getElementById('issues').scrollIntoView();");
    screenshot("acks-run-page.png");
    assertThat(js("return document.querySelector('details.ack-slice summary').innerText;"))
        .isEqualTo("Acknowledge all 3 in this view");
    js(
        "document.getElementById('api-token').value = arguments[0];"
            + " document.querySelector('details.ack-slice').open = true;"
            + " const f = document.querySelector('form.ack-slice');"
            + " f.querySelector('[name=reason]').value = 'migration backlog';"
            + " setTimeout(() => f.requestSubmit(), 0);",
        TOKEN);
    Alert confirm =
        await()
            .atMost(WAIT)
            .ignoreException(NoAlertPresentException.class)
            .until(() -> driver.switchTo().alert(), a -> a != null);
    assertThat(confirm.getText())
        .contains("Acknowledge all 3 open, unacknowledged issues in this view")
        .contains("entity students, check required:Name");
    confirm.accept();
    await()
        .atMost(WAIT)
        .until(
            () ->
                rows().values().stream().filter(s -> s.startsWith("ack")).count() == 4
                    && rows().size() == 4);
    assertThat(js("return window.__sameDocument === true;")).isEqualTo(true);

    // Reload: the badges, the counts and the ack filter say the same.
    driver.navigate().refresh();
    assertThat(rows())
        .containsEntry("rec2|required:Name", "ack|migration backlog||")
        .containsEntry("rec4|required:Name", "ack|migration backlog||");
    open("/runs/" + run);
    assertThat(
            js(
                "return document.querySelector('table.summary tr[data-check=\"required:Name\"]"
                    + " td.acknowledged').innerText;"))
        .isEqualTo("4");
    assertThat(js("return document.querySelector('dl.run span.acknowledged').innerText;"))
        .isEqualTo("4 acknowledged");
    js(
        "const f = document.getElementById('filters');"
            + " f.querySelector('select[name=ack]').value = 'no'; f.submit();");
    await().atMost(WAIT).until(() -> rows().keySet().equals(java.util.Set.of("rec1|format:Email")));
    assertThat(driver.getCurrentUrl()).contains("ack=no");

    // The Acknowledged page: 4 acknowledgements, each covering its one open issue; revoke one.
    open("/acks");
    assertThat(acks()).hasSize(4).allSatisfy((id, line) -> assertThat(line).endsWith("|active|1"));
    String rec2 =
        acks().entrySet().stream()
            .filter(e -> e.getValue().startsWith("rec2|"))
            .findFirst()
            .orElseThrow()
            .getKey();
    js(
        "document.getElementById('api-token').value = arguments[0];"
            + " const f = document.querySelector('tr[data-ack-id=\"' + arguments[1] + '\"]"
            + " form.revoke'); setTimeout(() => f.requestSubmit(), 0);",
        TOKEN,
        rec2);
    Alert revoke =
        await()
            .atMost(WAIT)
            .ignoreException(NoAlertPresentException.class)
            .until(() -> driver.switchTo().alert(), a -> a != null);
    assertThat(revoke.getText()).contains("Revoke the acknowledgement of students / required:Name");
    revoke.accept();
    await().atMost(WAIT).until(() -> acks().size() == 3 && !acks().containsKey(rec2));
    assertThat(store.acks().find(rec2).orElseThrow().status(clock.instant()))
        .isEqualTo(Ack.Status.REVOKED);
    screenshot("acks-page.png");
    // The ended ones show on request, with their status.
    js("document.getElementById('acks-toggle').click();");
    await().atMost(WAIT).until(() -> acks().size() == 4);
    assertThat(acks().get(rec2)).endsWith("|revoked|–");
    open("/runs/" + run + "?entity=students&check=required:Name");
    assertThat(rows().get("rec2|required:Name")).isEqualTo("open");
  }

  /**
   * The issue rows as "record|check" to "ack|reason|by|until" (acknowledged; until with its zone)
   * or "open" (with an Acknowledge form), read in one script call.
   */
  @SuppressWarnings("unchecked")
  private Map<String, String> rows() {
    return (Map<String, String>)
        js(
            "const out = {};"
                + " for (const r of document.querySelectorAll('table.issues tbody tr')) {"
                + "  const key = r.cells[1].innerText.trim() + '|' + r.cells[2].innerText.trim();"
                + "  const s = r.querySelector('.ack-state');"
                + "  if (s) { const u = s.querySelector('.ack-until');"
                + "   out[key] = ['ack', s.querySelector('.ack-reason').textContent,"
                + "    s.querySelector('.ack-by') ? s.querySelector('.ack-by').textContent : '',"
                + "    u ? u.textContent : ''].join('|'); }"
                + "  else out[key] = r.querySelector('form.ack-issue') ? 'open' : 'none'; }"
                + " return out;");
  }

  /** The Acknowledged page's rows as id to "record|status|covers", in one script call. */
  @SuppressWarnings("unchecked")
  private Map<String, String> acks() {
    return (Map<String, String>)
        js(
            "const out = {};"
                + " for (const r of document.querySelectorAll('table.acks tbody tr')) {"
                + "  out[r.dataset.ackId] = [r.cells[2].innerText.trim(), r.dataset.status,"
                + "   r.querySelector('td.covers').innerText.trim()].join('|'); }"
                + " return out;");
  }

  /** For people to look at: into target/screenshots, as the README's screenshots go. */
  private void screenshot(String name) throws java.io.IOException {
    Path images = Path.of("target/screenshots");
    java.nio.file.Files.createDirectories(images);
    java.nio.file.Files.write(
        images.resolve(name),
        ((org.openqa.selenium.TakesScreenshot) driver)
            .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
  }

  private void open(String path) {
    driver.get(server.url().resolve(path).toString());
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }
}
