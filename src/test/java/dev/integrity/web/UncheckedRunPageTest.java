package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.Store;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21: a run that ended before checking anything says so and why on its page, instead of "No
 * issues in this run", which reads as a clean night. Real SQLite store, real HTTP.
 */
class UncheckedRunPageTest {
  private static final String BASE = "appUNCHECKEDPAGE1";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));

  @TempDir Path dir;
  private StoreWeb web;
  private Store store;
  private TestHttp http;

  @BeforeEach
  void start() {
    web = new StoreWeb(dir.resolve("web.db"), BASE, clock);
    store = web.store;
    http = web.http;
  }

  @AfterEach
  void stop() {
    web.close();
  }

  private String ended(RunStatus status, String error) {
    RunRecord run = store.runs().create(BASE, Trigger.SCHEDULE, null, List.of("students"));
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "students", "Students")));
    store.runs().finish(run.id(), status, error);
    return run.id();
  }

  @Test
  void aRunThatEndedInErrorBeforeCheckingAnythingSaysNothingWasCheckedAndWhy() {
    String id = ended(RunStatus.ERROR, "Airtable rejected the token <401>");

    String page = http.get("/runs/" + id, null).body();

    assertThat(page)
        .contains("Nothing was checked in this run: Airtable rejected the token &lt;401&gt;.")
        .contains("The issues found before stay open.")
        .doesNotContain("No issues in this run");
    // One failure, one sentence: said above the summary, not again as the run's Error.
    assertThat(page.split("Airtable rejected the token", -1)).hasSize(2);
  }

  @Test
  void aRunStillGoingDoesNotSayNothingWasChecked() {
    RunRecord run = store.runs().create(BASE, Trigger.SCHEDULE, null, List.of("students"));
    store.runs().claim(run.id(), "test-owner");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "students", "Students")));

    String page = http.get("/runs/" + run.id(), null).body();

    assertThat(page).doesNotContain("Nothing was checked").contains("No issues in this run");
  }
}
