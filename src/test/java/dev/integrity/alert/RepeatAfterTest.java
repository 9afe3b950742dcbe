package dev.integrity.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.AlertRow;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts.repeatAfter}: a condition that stays open is told again at most once per period, by
 * the rules against a real SQLite store and a settable clock. The sink records synchronously (a
 * real in-process recipient), so "nothing was sent" is known at once, without waiting.
 */
class RepeatAfterTest {
  private static final String BASE = "appRepeat0000001";
  private static final Duration DAY = Duration.ofHours(24);

  @TempDir Path dir;
  private AlertFixture fx;
  private final List<AlertMessage> sent = new CopyOnWriteArrayList<>();

  @BeforeEach
  void open() {
    fx = new AlertFixture(dir);
  }

  @AfterEach
  void close() {
    fx.close();
  }

  /** The base's alerts, and classes owned by the registrar, repeating every {@code every}. */
  private AlertRules rules(Duration every) {
    AlertChannel none = new AlertFixture.RecordingChannel();
    AlertRoutes routes =
        AlertRoutes.perBase(
            Map.of(
                BASE,
                new BaseAlerts(
                    List.of(none),
                    false,
                    every,
                    Map.of("classes", new Owner("Registrar", List.of(none))))));
    return new AlertRules(
        fx.store, fx.clock, AlertFixture.settings(), routes, (row, m) -> sent.add(m));
  }

  private List<AlertMessage> take() {
    List<AlertMessage> out = List.copyOf(sent);
    sent.clear();
    return out;
  }

  @Test
  void run_errors_on_successive_runs_are_told_again_at_most_once_per_repeat_after() {
    AlertRules rules = rules(DAY);
    rules.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "HTTP 500"), null);
    assertThat(take()).singleElement().satisfies(m -> assertThat(m.repeat()).isFalse());

    fx.clock.advance(Duration.ofHours(1));
    rules.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "HTTP 502"), null);
    assertThat(take()).isEmpty();

    fx.clock.advance(Duration.ofHours(23));
    RunRecord third = fx.ended(BASE, RunStatus.ERROR, "HTTP 503");
    rules.onRunEnded(third, null);
    assertThat(take())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.repeat()).isTrue();
              assertThat(m.state()).isEqualTo(AlertRow.OPEN);
              assertThat(m.title()).startsWith("Still open: Run failed with an error");
              // What the condition says now: the latest run's error.
              assertThat(m.text())
                  .contains("Run " + third.id())
                  .contains("HTTP 503")
                  .contains("Open since: " + AlertFixture.T0.plus(Duration.ofMinutes(3)))
                  .contains("repeated at most every 24 h 0 min");
            });

    fx.clock.advance(Duration.ofHours(1));
    rules.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "HTTP 504"), null);
    assertThat(take()).isEmpty();

    rules.onRunEnded(fx.ended(BASE, RunStatus.SUCCEEDED, null), null);
    assertThat(take())
        .singleElement()
        .satisfies(m -> assertThat(m.state()).isEqualTo(AlertRow.RESOLVED));
    assertThat(fx.alerts()).singleElement();
  }

  @Test
  void the_period_comes_from_the_base_s_config() {
    AlertRules rules = rules(Duration.ofMinutes(90));
    // Each run takes 3 minutes: opened at +3, seen again at +86 (quiet) and +94 (told again).
    rules.onRunEnded(fx.ended(BASE, RunStatus.TIMEOUT, "too long"), null);
    fx.clock.advance(Duration.ofMinutes(80));
    rules.onRunEnded(fx.ended(BASE, RunStatus.TIMEOUT, "too long"), null);
    fx.clock.advance(Duration.ofMinutes(5));
    rules.onRunEnded(fx.ended(BASE, RunStatus.TIMEOUT, "too long"), null);

    assertThat(take()).extracting(AlertMessage::repeat).containsExactly(false, true);
  }

  @Test
  void a_skipped_fires_group_is_one_message_and_repeats_obey_repeat_after_too() {
    AlertRules rules = rules(DAY);
    for (String schedule : List.of("nightly", "hourly")) {
      fx.store
          .schedules()
          .upsert(
              new ScheduleRow(
                  schedule, BASE, "* * * * *", "UTC", List.of(), true, "api", null, null));
      for (int i = 0; i < 3; i++) {
        String reason = "base " + BASE + " already has an active run (run_elsewhere)";
        fx.store
            .schedules()
            .recordFire(new FireRow(schedule, BASE, null, FireRow.SKIPPED, null, reason));
        rules.onScheduleFire(schedule, BASE, true, reason);
      }
    }

    rules.evaluate();
    assertThat(take())
        .singleElement()
        .satisfies(m -> assertThat(m.text()).contains("2 schedules skipped 3 or more fires"));

    // The ticker keeps seeing the group: quiet until a day has passed, then told once.
    for (int hour = 1; hour < 24; hour++) {
      fx.clock.advance(Duration.ofHours(1));
      rules.evaluate();
    }
    assertThat(take()).isEmpty();
    fx.clock.advance(Duration.ofHours(1));
    rules.evaluate();
    rules.evaluate();
    assertThat(take())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.kind()).isEqualTo("schedule_skipped");
              assertThat(m.repeat()).isTrue();
              assertThat(m.text()).contains("2 schedules skipped");
            });
  }

  private static IssueRow fail(RunRecord run, String record) {
    return new IssueRow(
        run.id(),
        "classes",
        record,
        "fail-check",
        "Name",
        "fail",
        "Name is empty",
        "https://airtable.com/" + BASE + "/tblC/" + record,
        null);
  }

  private RunRecord nightWith(AlertRules rules, String... records) {
    RunRecord run = fx.running(BASE);
    fx.writeIssues(
        run, java.util.Arrays.stream(records).map(r -> fail(run, r)).toArray(IssueRow[]::new));
    RunRecord ended = fx.finish(run, RunStatus.SUCCEEDED, null);
    rules.onRunEnded(ended, fx.store.issues().summary(run.id()));
    return ended;
  }

  @Test
  void an_owner_s_digest_is_quiet_while_recently_told_then_repeats_with_the_latest_run() {
    AlertRules rules = rules(DAY);
    RunRecord first = nightWith(rules, "rec1");
    assertThat(take())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.owner()).isEqualTo("Registrar");
              assertThat(m.digest().runId()).isEqualTo(first.id());
              assertThat(m.repeat()).isFalse();
            });

    // An hour later another run finds rec2 new: the condition stays open and was told an hour
    // ago, so nothing is sent; the stored alert says what the latest run found.
    fx.clock.advance(Duration.ofHours(1));
    RunRecord second = nightWith(rules, "rec1", "rec2");
    assertThat(take()).isEmpty();
    assertThat(fx.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.message()).contains("Run " + second.id()).contains("rec2"));

    fx.clock.advance(DAY);
    RunRecord third = nightWith(rules, "rec1", "rec2", "rec3");
    assertThat(take())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.repeat()).isTrue();
              assertThat(m.title()).startsWith("Still open: New failing issues for Registrar");
              assertThat(m.digest().runId()).isEqualTo(third.id());
              assertThat(m.digest().total()).isEqualTo(1);
              assertThat(m.digest().first())
                  .extracting(Digest.Item::recordId)
                  .containsExactly("rec3");
              assertThat(m.runUrl()).endsWith("/runs/" + third.id());
            });
  }
}
