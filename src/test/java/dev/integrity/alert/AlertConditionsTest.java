package dev.integrity.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.alert.AlertFixture.RecordingChannel;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.run.RunListener;
import dev.integrity.store.AlertRow;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each alert condition against a real SQLite store and a settable clock. */
class AlertConditionsTest {
  private static final String BASE = "appBase000000001";

  @TempDir Path dir;
  private AlertFixture fx;
  private final RecordingChannel channel = new RecordingChannel();
  private AlertService alerts;

  @BeforeEach
  void open() {
    fx = new AlertFixture(dir);
    alerts = fx.service(AlertFixture.settings(), channel);
  }

  @AfterEach
  void close() {
    alerts.close();
    fx.close();
  }

  private List<AlertRow> rows(String kind) {
    return fx.alerts().stream().filter(a -> a.kind().equals(kind)).toList();
  }

  private List<AlertMessage> messages(String kind, String state) {
    return channel.messages.stream()
        .filter(m -> m.kind().equals(kind) && m.state().equals(state))
        .toList();
  }

  @Test
  void a_partial_run_alert_says_how_many_entities_were_checked_and_why_the_others_were_not() {
    RunRecord run =
        fx.ended(
            BASE,
            RunStatus.ERROR,
            "checked 3 of 4 entities; students: error: HTTP 500 from Airtable after 5 retries");

    alerts.onRunEnded(run, null);

    await().atMost(5, SECONDS).until(() -> channel.messages.size() == 1);
    assertThat(channel.messages.get(0).text())
        .contains(
            "ended with an error after 3 min: checked 3 of 4 entities; students: error: HTTP 500");
  }

  @Test
  void a_timed_out_run_raises_one_alert_that_says_what_where_since_when_and_links_the_run() {
    RunRecord run = fx.ended(BASE, RunStatus.TIMEOUT, "Run exceeded maximum duration");

    alerts.onRunEnded(run, null);

    await().atMost(5, SECONDS).until(() -> channel.messages.size() == 1);
    AlertMessage m = channel.messages.get(0);
    assertThat(m.kind()).isEqualTo("run_timeout");
    assertThat(m.state()).isEqualTo("open");
    assertThat(m.title()).contains("Run timed out").contains(BASE).contains("nightly");
    assertThat(m.text())
        .contains("Run " + run.id() + " of base " + BASE + " timed out after 3 min")
        .contains("Run exceeded maximum duration")
        .contains("Schedule: nightly")
        .contains("Since: " + run.finishedAt())
        .contains(AlertFixture.DASHBOARD + "/runs/" + run.id());
    assertThat(m.runUrl()).isEqualTo(AlertFixture.DASHBOARD + "/runs/" + run.id());
    assertThat(m.baseId()).isEqualTo(BASE);
    assertThat(m.runId()).isEqualTo(run.id());
    assertThat(m.since()).isEqualTo(run.finishedAt());
    assertThat(alerts.recent(10))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertRow.OPEN);
              assertThat(a.key()).isEqualTo("run-timeout:" + BASE);
            });
  }

  @Test
  void the_same_condition_twice_is_one_alert_and_one_delivery() {
    RunRecord first = fx.ended(BASE, RunStatus.ERROR, "owner lost: no heartbeat");
    alerts.onRunEnded(first, null);
    alerts.onRunEnded(first, null);
    RunRecord second = fx.ended(BASE, RunStatus.ERROR, "owner lost again");
    alerts.onRunEnded(second, null);

    AlertRow row = rows("run_error").get(0);
    await().atMost(5, SECONDS).until(() -> fx.deliveries(row).size() == 1);
    assertThat(rows("run_error")).hasSize(1);
    assertThat(fx.deliveries(row)).singleElement().satisfies(d -> assertThat(d.ok()).isTrue());
    assertThat(channel.messages).hasSize(1);
    assertThat(fx.metrics.sent("recording")).isEqualTo(1);
  }

  @Test
  void a_later_succeeded_run_resolves_the_bases_timeout_and_error_alerts_and_says_so() {
    alerts.onRunEnded(fx.ended(BASE, RunStatus.TIMEOUT, "too slow"), null);
    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);
    alerts.onRunEnded(fx.ended("appOther00000001", RunStatus.ERROR, "elsewhere"), null);
    RunRecord ok = fx.ended(BASE, RunStatus.SUCCEEDED, null);

    alerts.onRunEnded(ok, null);

    await().atMost(5, SECONDS).until(() -> channel.messages.size() == 5);
    assertThat(fx.alerts())
        .filteredOn(a -> BASE.equals(a.baseId()))
        .hasSize(2)
        .allSatisfy(
            a -> {
              assertThat(a.state()).isEqualTo(AlertRow.RESOLVED);
              assertThat(a.resolvedAt()).isEqualTo(ok.finishedAt());
            });
    assertThat(fx.alerts())
        .filteredOn(a -> !BASE.equals(a.baseId()))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.OPEN));
    assertThat(messages("run_timeout", "resolved"))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.title()).startsWith("Resolved: Run timed out");
              assertThat(m.text())
                  .contains("run " + ok.id() + " of base " + BASE + " succeeded")
                  .contains("Was: ")
                  .contains("open for");
            });
    assertThat(messages("run_error", "resolved")).hasSize(1);
  }

  @Test
  void a_cancelled_run_neither_raises_nor_resolves() {
    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);
    alerts.onRunEnded(fx.ended(BASE, RunStatus.CANCELLED, "cancelled by a user"), null);

    await().atMost(5, SECONDS).until(() -> channel.messages.size() == 1);
    assertThat(fx.alerts())
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.OPEN));
  }

  @Test
  void a_run_running_longer_than_the_threshold_raises_one_alert_resolved_when_it_ends() {
    RunRecord run = fx.running(BASE);
    fx.clock.advance(Duration.ofMinutes(14));
    alerts.evaluate();
    assertThat(rows("long_run")).isEmpty();

    fx.clock.advance(Duration.ofMinutes(2));
    alerts.evaluate();
    alerts.evaluate();

    assertThat(rows("long_run"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.runId()).isEqualTo(run.id());
              assertThat(a.message()).contains("running for 16 min").contains("threshold 15 min");
            });
    await().atMost(5, SECONDS).until(() -> messages("long_run", "open").size() == 1);
    assertThat(messages("long_run", "open").get(0).runUrl())
        .isEqualTo(AlertFixture.DASHBOARD + "/runs/" + run.id());

    fx.finish(run, RunStatus.SUCCEEDED, null);
    alerts.evaluate();

    assertThat(rows("long_run"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
    await().atMost(5, SECONDS).until(() -> messages("long_run", "resolved").size() == 1);
    assertThat(messages("long_run", "resolved").get(0).text())
        .contains("is no longer running (succeeded)");
  }

  @Test
  void the_end_of_a_long_run_resolves_its_alert_at_once() {
    RunRecord run = fx.running(BASE);
    fx.clock.advance(Duration.ofMinutes(20));
    alerts.evaluate();

    alerts.onRunEnded(fx.finish(run, RunStatus.TIMEOUT, "too slow"), null);

    assertThat(rows("long_run"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
    assertThat(rows("run_timeout")).hasSize(1);
  }

  @Test
  void more_runs_running_than_the_threshold_raise_one_alert_resolved_when_they_drop() {
    alerts.close();
    alerts =
        fx.service(AlertFixture.settings().withConditions(Duration.ofHours(1), 2, false), channel);
    RunRecord a = fx.running("appA000000000001");
    fx.running("appB000000000001");
    alerts.evaluate();
    assertThat(rows("running_runs")).isEmpty();

    RunRecord c = fx.running("appC000000000001");
    alerts.evaluate();
    alerts.evaluate();

    assertThat(rows("running_runs"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.state()).isEqualTo(AlertRow.OPEN);
              assertThat(r.message())
                  .startsWith("3 runs are running, more than the threshold of 2")
                  .contains(a.id())
                  .contains(AlertFixture.DASHBOARD + "/runs/" + c.id());
            });

    fx.finish(a, RunStatus.SUCCEEDED, null);
    alerts.evaluate();

    assertThat(rows("running_runs"))
        .singleElement()
        .satisfies(r -> assertThat(r.state()).isEqualTo(AlertRow.RESOLVED));
    await()
        .atMost(5, SECONDS)
        .until(
            () ->
                messages("running_runs", "open").size() == 1
                    && messages("running_runs", "resolved").size() == 1);
  }

  /** A fire as the schedule service records it, then hands it to the alerts. */
  private void fire(String schedule, String base, String outcome, String reason) {
    fx.store.schedules().recordFire(new FireRow(schedule, base, null, outcome, null, reason));
    alerts.onScheduleFire(schedule, base, FireRow.SKIPPED.equals(outcome), reason);
  }

  private void schedule(String name, String base) {
    fx.store
        .schedules()
        .upsert(
            new ScheduleRow(name, base, "* * * * *", "UTC", List.of(), true, "api", null, null));
  }

  @Test
  void a_schedule_skipped_three_times_in_a_row_raises_one_alert_and_a_started_fire_resolves_it() {
    RunRecord blocking = fx.running(BASE);
    String busy = "base " + BASE + " already has an active run (" + blocking.id() + ")";
    schedule("nightly", BASE);
    fire("nightly", BASE, FireRow.SKIPPED, busy);
    fire("nightly", BASE, FireRow.SKIPPED, busy);
    alerts.evaluate();
    assertThat(rows("schedule_skipped")).isEmpty();

    fire("nightly", BASE, FireRow.SKIPPED, busy);
    alerts.evaluate();
    fire("nightly", BASE, FireRow.SKIPPED, busy);
    alerts.evaluate();

    assertThat(rows("schedule_skipped"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.schedule()).isEqualTo("nightly");
              assertThat(a.runId()).isEqualTo(blocking.id());
              assertThat(a.message())
                  .contains("skipped 4 fires in a row: their base had a run going")
                  .contains(blocking.id());
            });
    await().atMost(5, SECONDS).until(() -> messages("schedule_skipped", "open").size() == 1);
    assertThat(messages("schedule_skipped", "open").get(0).title())
        .contains("schedule nightly, base " + BASE);

    fire("nightly", BASE, FireRow.STARTED, null);

    assertThat(rows("schedule_skipped"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
    // The count starts again after a started fire.
    fire("nightly", BASE, FireRow.SKIPPED, busy);
    alerts.evaluate();
    assertThat(rows("schedule_skipped")).hasSize(1);
  }

  @Test
  void fifty_schedules_skipping_for_one_cause_make_one_alert_that_names_their_bases() {
    List<String> bases = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String base = "appDeadOwner" + String.format("%04d", i);
      bases.add(base);
      schedule("minute-" + i, base);
      // Skips recorded by another instance count the same: the store's fires are the truth.
      for (int k = 0; k < 3; k++) {
        fx.store
            .schedules()
            .recordFire(
                new FireRow(
                    "minute-" + i,
                    base,
                    null,
                    FireRow.SKIPPED,
                    null,
                    "base " + base + " already has an active run (run" + i + ")"));
      }
    }

    alerts.evaluate();

    assertThat(rows("schedule_skipped"))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.message())
                  .startsWith(
                      "50 schedules skipped 3 or more fires in a row: their base had a run going."
                          + " Bases: appDeadOwner0000, appDeadOwner0001")
                  .contains(bases.toArray(String[]::new))
                  .contains("and 40 more");
              assertThat(a.baseId()).isNull();
            });

    // One more base joins the same cause: the open alert names it, and nothing is sent again.
    schedule("minute-50", "appDeadOwner0050");
    for (int k = 0; k < 3; k++) {
      fire("minute-50", "appDeadOwner0050", FireRow.SKIPPED, "base busy: active run run50");
    }
    // Another cause is another alert.
    schedule("late", BASE);
    for (int k = 0; k < 3; k++) {
      fire(
          "late",
          BASE,
          FireRow.SKIPPED,
          "no worker was free at this time: the fire due at 12:00 waited until 12:03");
    }
    alerts.evaluate();

    assertThat(rows("schedule_skipped")).hasSize(2);
    assertThat(rows("schedule_skipped"))
        .filteredOn(a -> a.baseId() == null)
        .singleElement()
        .satisfies(
            a -> assertThat(a.message()).startsWith("51 schedules").contains("appDeadOwner0050"));
    assertThat(rows("schedule_skipped"))
        .filteredOn(a -> BASE.equals(a.baseId()))
        .singleElement()
        .satisfies(a -> assertThat(a.message()).contains("SCHEDULED_RUNS_PER_INSTANCE"));
    await().atMost(5, SECONDS).until(() -> messages("schedule_skipped", "open").size() == 2);

    // The dead owner's runs are reaped and every base fires again: the alert resolves.
    for (int i = 0; i <= 50; i++) {
      fire("minute-" + i, "appDeadOwner" + String.format("%04d", i), FireRow.STARTED, null);
    }
    alerts.evaluate();
    assertThat(rows("schedule_skipped"))
        .filteredOn(a -> a.baseId() == null)
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
    assertThat(messages("schedule_skipped", "open")).hasSize(2);
  }

  @Test
  void new_fail_issues_raise_an_alert_when_enabled_and_a_clean_run_resolves_it() {
    alerts.close();
    alerts =
        fx.service(
            AlertFixture.settings().withConditions(Duration.ofMinutes(15), 5, true), channel);
    RunRecord first = fx.running(BASE);
    fx.writeIssues(
        first,
        issue(first, "rec1", "fail"),
        issue(first, "rec2", "fail"),
        issue(first, "rec3", "warn"));
    alerts.onRunEnded(
        fx.finish(first, RunStatus.SUCCEEDED, null), fx.store.issues().summary(first.id()));

    assertThat(rows("new_fail_issues"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.message())
                    .contains("found 2 new issue(s) of severity fail")
                    .contains("classes / fail-check: 2"));

    alerts.onRunEnded(
        fx.ended(BASE, RunStatus.SUCCEEDED, null),
        new IssueSummary(40, Map.of("fail", 40L), 0, 2, Map.of()));

    assertThat(rows("new_fail_issues"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
  }

  @Test
  void new_warn_issues_while_fail_issues_stay_open_raise_no_new_fail_issues_alert() {
    alerts.close();
    alerts =
        fx.service(
            AlertFixture.settings().withConditions(Duration.ofMinutes(15), 5, true), channel);

    alerts.onRunEnded(
        fx.ended(BASE, RunStatus.SUCCEEDED, null),
        new IssueSummary(45, Map.of("fail", 40L, "warn", 5L), 5, 0, Map.of("warn", 5L)));

    assertThat(rows("new_fail_issues")).isEmpty();
  }

  @Test
  void issues_retired_with_their_check_are_neither_new_nor_open_fail_issues_for_the_alerts() {
    alerts.close();
    alerts =
        fx.service(
            AlertFixture.settings().withConditions(Duration.ofMinutes(15), 5, true), channel);
    RunListener listener = alerts.runListener();
    RunRecord run1 = fx.running(BASE);
    fx.writeIssues(run1, issue(run1, "rec1", "fail"));
    listener.onRunEnded(fx.finish(run1, RunStatus.SUCCEEDED, null));
    assertThat(rows("new_fail_issues")).singleElement();

    // fail-check left the config: rec1 is retired, which is no new failure.
    RunRecord run2 = fx.running(BASE);
    fx.writeIssues(run2, List.of("warn-check"));
    listener.onRunEnded(fx.finish(run2, RunStatus.SUCCEEDED, null));

    assertThat(fx.store.issues().summary(run2.id()))
        .isEqualTo(new IssueSummary(0, Map.of(), 0, 0, 1, Map.of()));
    assertThat(rows("new_fail_issues"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
  }

  @Test
  void the_run_listener_alerts_on_new_fail_issues_counted_by_the_store_and_not_on_new_warns() {
    alerts.close();
    alerts =
        fx.service(
            AlertFixture.settings().withConditions(Duration.ofMinutes(15), 5, true), channel);
    RunListener listener = alerts.runListener();
    // Run 1: a fail issue and a warn issue, both new.
    RunRecord run1 = fx.running(BASE);
    fx.writeIssues(run1, issue(run1, "rec1", "fail"), issue(run1, "rec2", "warn"));
    listener.onRunEnded(fx.finish(run1, RunStatus.SUCCEEDED, null));
    assertThat(rows("new_fail_issues"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.OPEN));

    // Run 2: the fail issue persists and a warn issue is new: nothing new fails, so it resolves.
    RunRecord run2 = fx.running(BASE);
    fx.writeIssues(
        run2,
        issue(run2, "rec1", "fail"),
        issue(run2, "rec2", "warn"),
        issue(run2, "rec3", "warn"));
    listener.onRunEnded(fx.finish(run2, RunStatus.SUCCEEDED, null));

    assertThat(fx.store.issues().summary(run2.id()).newCount()).isEqualTo(1);
    assertThat(rows("new_fail_issues"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));

    // Run 3: a new fail issue opens it again.
    RunRecord run3 = fx.running(BASE);
    fx.writeIssues(run3, issue(run3, "rec1", "fail"), issue(run3, "rec4", "fail"));
    listener.onRunEnded(fx.finish(run3, RunStatus.SUCCEEDED, null));

    assertThat(rows("new_fail_issues"))
        .filteredOn(a -> a.state().equals(AlertRow.OPEN))
        .singleElement()
        .satisfies(a -> assertThat(a.message()).contains("found 1 new issue(s) of severity fail"));
  }

  private static IssueRow issue(RunRecord run, String record, String severity) {
    return new IssueRow(
        run.id(), "classes", record, severity + "-check", "Name", severity, "broken", null, null);
  }

  @Test
  void new_fail_issues_raise_nothing_when_disabled() {
    alerts.onRunEnded(
        fx.ended(BASE, RunStatus.SUCCEEDED, null),
        new IssueSummary(42, Map.of("fail", 40L), 5, 0, Map.of("fail", 5L)));

    assertThat(fx.alerts()).isEmpty();
  }

  @Test
  void recent_lists_alerts_newest_first() {
    alerts.onRunEnded(fx.ended("appA000000000001", RunStatus.ERROR, "a"), null);
    fx.clock.advance(Duration.ofMinutes(1));
    alerts.onRunEnded(fx.ended("appB000000000001", RunStatus.TIMEOUT, "b"), null);

    assertThat(alerts.recent(10))
        .extracting(AlertRow::kind)
        .containsExactly("run_timeout", "run_error");
    assertThat(alerts.recent(1)).hasSize(1);
  }

  @Test
  void a_closed_service_still_stores_alerts_but_sends_nothing_and_counts_the_failure() {
    alerts.close();

    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);

    assertThat(rows("run_error")).hasSize(1);
    assertThat(channel.messages).isEmpty();
    assertThat(fx.metrics.failed("recording")).isEqualTo(1);
  }

  @Test
  void a_broken_store_does_not_make_the_callers_fail() {
    RunRecord run = fx.ended(BASE, RunStatus.ERROR, "boom");
    fx.store.close();

    alerts.onRunEnded(run, null);
    alerts.onScheduleFire("nightly", BASE, true, "busy");
    alerts.evaluate();

    assertThat(channel.messages).isEmpty();
  }
}
