package dev.integrity.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.AlertRow;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which owner's condition a run opens, keeps or resolves, by the rules against a real SQLite store
 * with a synchronous recording sink.
 */
class OwnerConditionsTest {
  private static final String BASE = "appOwnerCond0001";

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

  private AlertRules rules(boolean baseOnNewFail, String owner) {
    AlertChannel none = new AlertFixture.RecordingChannel();
    Map<String, Owner> owners =
        owner == null ? Map.of() : Map.of("classes", new Owner(owner, List.of(none)));
    AlertRoutes routes =
        AlertRoutes.perBase(
            Map.of(
                BASE,
                new BaseAlerts(
                    List.of(none), baseOnNewFail, java.time.Duration.ofHours(24), owners)));
    return new AlertRules(
        fx.store, fx.clock, AlertFixture.settings(), routes, (row, m) -> sent.add(m));
  }

  private RunRecord night(AlertRules rules, IssueRow... rows) {
    RunRecord run = fx.running(BASE);
    List<IssueRow> withRun =
        List.of(rows).stream()
            .map(
                r ->
                    new IssueRow(
                        run.id(),
                        r.entity(),
                        r.recordId(),
                        r.checkId(),
                        r.field(),
                        r.severity(),
                        r.message(),
                        r.url(),
                        null))
            .toList();
    fx.writeIssues(run, withRun.toArray(IssueRow[]::new));
    RunRecord ended = fx.finish(run, RunStatus.SUCCEEDED, null);
    rules.onRunEnded(ended, fx.store.issues().summary(run.id()));
    return ended;
  }

  private static IssueRow issue(String record, String severity) {
    return new IssueRow(
        null, "classes", record, severity + "-check", "Name", severity, "m", null, null);
  }

  @Test
  void new_warn_issues_only_make_no_digest_for_the_owner() {
    AlertRules rules = rules(false, "Registrar");
    night(rules, issue("rec1", "warn"));

    assertThat(sent).isEmpty();
    assertThat(fx.alerts()).isEmpty();
  }

  @Test
  void an_owned_entity_s_issues_never_reach_the_base_s_digest() {
    AlertRules rules = rules(true, "Registrar");
    night(rules, issue("rec1", "fail"));

    assertThat(sent)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.owner()).isEqualTo("Registrar");
              assertThat(m.digest().first()).singleElement();
            });
    // The base's condition had nothing: a clean base condition is resolved, none opened.
    assertThat(fx.alerts())
        .singleElement()
        .satisfies(
            a -> assertThat(a.key()).isEqualTo("new-fail-issues:" + BASE + "|owner:Registrar"));
  }

  @Test
  void an_owner_taken_out_of_the_config_has_its_open_condition_resolved() {
    night(rules(false, "Registrar"), issue("rec1", "fail"));
    sent.clear();

    // The config now names another owner: the old one's condition cannot stay open for ever.
    night(rules(false, "Records office"), issue("rec1", "fail"));

    assertThat(fx.alerts())
        .filteredOn(a -> a.key().endsWith("|owner:Registrar"))
        .singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertRow.RESOLVED));
    assertThat(sent)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.state()).isEqualTo(AlertRow.RESOLVED);
              assertThat(m.text()).contains("owner Registrar is no longer in the config");
            });
  }

  @Test
  void a_run_that_did_not_check_an_owner_s_entities_leaves_its_condition_open() {
    AlertChannel none = new AlertFixture.RecordingChannel();
    AlertRoutes routes =
        AlertRoutes.perBase(
            Map.of(
                BASE,
                new BaseAlerts(
                    List.of(none),
                    true,
                    java.time.Duration.ofHours(24),
                    Map.of(
                        "teachers", new Owner("Staff office", List.of(none)),
                        "classes", new Owner("Registrar", List.of(none))))));
    AlertRules rules =
        new AlertRules(
            fx.store, fx.clock, AlertFixture.settings(), routes, (row, m) -> sent.add(m));
    // Opened by an earlier run of every entity.
    for (String key :
        List.of(
            AlertKind.newFailIssuesKey(BASE, "Staff office"),
            AlertKind.newFailIssuesKey(BASE, "Registrar"),
            AlertKind.newFailIssuesKey(BASE, null))) {
      fx.store.alerts().openIfAbsent(key, "new_fail_issues", BASE, "run_0", null, "earlier");
    }

    // A run of classes alone (the fixture's runs check classes) finds nothing new.
    night(rules, issue("rec1", "warn"));

    assertThat(fx.alerts())
        .extracting(a -> a.key().replace("new-fail-issues:" + BASE, "") + " " + a.state())
        .containsExactlyInAnyOrder(
            "|owner:Staff office open", "|owner:Registrar resolved", " open");
  }

  @Test
  void acknowledged_fail_issues_are_left_out_of_the_digest_and_alone_raise_nothing() {
    fx.store
        .acks()
        .create(
            new dev.integrity.store.AckRepository.NewAck(
                BASE, "classes", "fail-check", "rec1", null, "known", "ana", null));
    AlertRules rules = rules(false, "Registrar");
    night(rules, issue("rec1", "fail"));
    assertThat(sent).isEmpty();
    assertThat(fx.alerts()).isEmpty();

    night(rules, issue("rec1", "fail"), issue("rec2", "fail"));
    assertThat(sent)
        .singleElement()
        .satisfies(
            m ->
                assertThat(m.digest().first())
                    .singleElement()
                    .satisfies(i -> assertThat(i.recordId()).isEqualTo("rec2")));
  }
}
