package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.Fault;
import dev.integrity.sim.SimTable;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8: a fault costs one entity, never the whole run. Against the simulator on real sockets;
 * faults are scripted per table, so which entity fails is decided, not timed.
 */
class PartialRunTest {
  private static final String TOKEN = "patSecretToken1234567890.abcdef";
  private static final String TEACHERS = "tblTeachers000001";
  private static final String CLASSES = "tblClasses0000001";

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;

  @AfterEach
  void stopSimulator() {
    if (sim != null) {
      sim.close();
    }
  }

  private void start(Dataset data) {
    dataset = data;
    sim =
        AirtableSimulator.builder()
            .dataset(data)
            .rateLimitPerSecond(0)
            .token(TOKEN)
            .build()
            .start();
  }

  /**
   * The test environment with one retry, so a table that is down fails after about a second; a
   * stalled table keeps retrying (1 s request timeout, 10 retries with back-off) well past a run
   * deadline of a few seconds, so it is the deadline that cuts it off.
   */
  private Map<String, String> env(int runSeconds, boolean stalled) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, runSeconds));
    env.put("AIRTABLE_MAX_RETRIES", stalled ? "10" : "1");
    return env;
  }

  private IntegrityApp app(String entitiesYaml, int runSeconds) {
    return app(entitiesYaml, runSeconds, false);
  }

  private IntegrityApp app(String entitiesYaml, int runSeconds, boolean stalled) {
    Path config = TestBases.config(dir, dataset.baseId(), entitiesYaml);
    return IntegrityApp.builder().environment(env(runSeconds, stalled)).config(config).build();
  }

  private static RunRecord runOnce(IntegrityApp app, String... entities) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(entities), RunMode.FULL);
    return app.execute(queued.id());
  }

  private static EntityProgress entity(IntegrityApp app, String runId, String name) {
    return app.store().runs().entities(runId).stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> messages(IntegrityApp app, String runId, IssueFilter filter) {
    return app.store().issues().list(runId, filter, 1_000, 0).stream()
        .map(i -> i.entity() + ": " + i.message())
        .toList();
  }

  @Test
  void one_table_down_ends_that_entity_error_and_the_others_are_checked_with_their_issues() {
    start(Dataset.synthetic(Map.of("Teachers", 250, "Students", 500)));
    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app(TestBases.teachersAndStudents(450), 30)) {
      RunRecord run = runOnce(app);

      assertThat(run.status()).isEqualTo(RunStatus.ERROR);
      assertThat(run.error())
          .startsWith("checked 1 of 2 entities; teachers: error: ")
          .contains("500");
      EntityProgress teachers = entity(app, run.id(), "teachers");
      assertThat(teachers.status()).isEqualTo(EntityStatus.ERROR);
      assertThat(teachers.checked()).isFalse();
      assertThat(teachers.error()).contains("500");
      EntityProgress students = entity(app, run.id(), "students");
      assertThat(students.status()).isEqualTo(EntityStatus.FETCHED);
      assertThat(students.records()).isEqualTo(500);
      assertThat(students.checked()).isTrue();
      assertThat(students.issues()).isEqualTo(50);
      List<String> issues = messages(app, run.id(), IssueFilter.ALL);
      assertThat(issues).hasSize(50).allSatisfy(m -> assertThat(m).startsWith("students: "));
      List<String> expected = new ArrayList<>();
      for (int n = 451; n <= 500; n++) {
        expected.add(n + "");
      }
      assertThat(app.store().issues().list(run.id(), IssueFilter.ALL, 1_000, 0))
          .extracting(IssueRow::message)
          .allSatisfy(m -> assertThat(m).containsAnyOf(expected.toArray(String[]::new)));
      assertThat(app.store().issues().summary(run.id()))
          .isEqualTo(new IssueSummary(50, Map.of("fail", 50L), 50, 0, Map.of("fail", 50L)));
    }
  }

  @Test
  void at_the_deadline_the_checked_entities_are_kept_and_the_stalled_one_ends_timeout() {
    start(Dataset.synthetic(Map.of("Teachers", 250, "Students", 500)));
    sim.faults().forTable("Teachers").next(1_000, Fault.stall());
    try (IntegrityApp app = app(TestBases.teachersAndStudents(450), 3, true)) {
      RunRecord run = runOnce(app);

      assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
      assertThat(Duration.between(run.startedAt(), run.finishedAt()))
          .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(5));
      assertThat(run.error())
          .contains("MAX_RUN_DURATION_SECONDS", "checked 1 of 2 entities", "teachers: timeout");
      EntityProgress teachers = entity(app, run.id(), "teachers");
      assertThat(teachers.status()).isEqualTo(EntityStatus.TIMEOUT);
      assertThat(teachers.checked()).isFalse();
      EntityProgress students = entity(app, run.id(), "students");
      assertThat(students.checked()).isTrue();
      assertThat(students.issues()).isEqualTo(50);
      assertThat(app.store().issues().summary(run.id()))
          .isEqualTo(new IssueSummary(50, Map.of("fail", 50L), 50, 0, Map.of("fail", 50L)));
    }
  }

  @Test
  void an_entity_is_checked_while_another_is_still_fetching() {
    start(Dataset.synthetic(Map.of("Teachers", 250, "Students", 500)));
    sim.faults().forTable("Teachers").next(1_000, Fault.stall());
    try (IntegrityApp app = app(TestBases.teachersAndStudents(450), 60, true)) {
      RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
      CompletableFuture<RunRecord> running =
          CompletableFuture.supplyAsync(() -> app.execute(queued.id()));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> entity(app, queued.id(), "students").checked());
      assertThat(entity(app, queued.id(), "teachers").status()).isEqualTo(EntityStatus.FETCHING);
      assertThat(app.store().issues().summary(queued.id()).total()).isEqualTo(50);

      app.cancel(queued.id());
      RunRecord ended = running.orTimeout(5, TimeUnit.SECONDS).join();
      assertThat(ended.status()).isEqualTo(RunStatus.CANCELLED);
      assertThat(ended.error()).isEqualTo("cancelled by request");
      assertThat(entity(app, queued.id(), "teachers").status()).isEqualTo(EntityStatus.SKIPPED);
    }
  }

  @Test
  void a_link_whose_target_failed_checks_only_the_counts() {
    start(school());
    String config = schoolConfig();
    try (IntegrityApp app = app(config, 30)) {
      RunRecord full = runOnce(app);
      assertThat(full.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(messages(app, full.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder(
              "classes: Teacher links 0 records, min 1",
              "classes: Teacher links 0 records, min 1",
              "classes: Teacher links 'recNoSuchTeacher1', which is not a record of teachers",
              "classes: Teacher links 'recNoSuchTeacher1', which is not a record of teachers");
    }
    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app(config, 30)) {
      RunRecord partial = runOnce(app);

      assertThat(partial.status()).isEqualTo(RunStatus.ERROR);
      EntityProgress classes = entity(app, partial.id(), "classes");
      assertThat(classes.checked()).isTrue();
      assertThat(classes.partialChecks()).containsExactly("link:Teacher");
      // No dangling-id issue is found without the target's ids: only the counts were checked.
      // The dangling ids of the last run are not known either way, so they stay open as they were.
      assertThat(app.store().issues().list(partial.id(), IssueFilter.ALL, 100, 0))
          .extracting(i -> i.entity() + ": " + i.message() + " (" + i.state() + ")")
          .containsExactlyInAnyOrder(
              "classes: Teacher links 0 records, min 1 (persisting)",
              "classes: Teacher links 0 records, min 1 (persisting)",
              "classes: Teacher links 'recNoSuchTeacher1', which is not a record of teachers"
                  + " (persisting)",
              "classes: Teacher links 'recNoSuchTeacher1', which is not a record of teachers"
                  + " (persisting)");
      assertThat(classes.issues()).isEqualTo(4);
    }
  }

  /**
   * Issue 17: night 1 finds a dangling link; on night 2 the link's target table fails, so the
   * dangling-id part of the check cannot run: the issue stays open with its first-seen time,
   * neither new nor resolved; night 3 is whole again and the issue's series goes on.
   */
  @Test
  void a_dangling_link_stays_open_through_a_night_whose_target_failed_and_keeps_its_first_seen() {
    start(school());
    String config = schoolConfig();
    Instant firstSeen;
    try (IntegrityApp app = app(config, 30)) {
      RunRecord night1 = runOnce(app);
      assertThat(night1.status()).isEqualTo(RunStatus.SUCCEEDED);
      List<IssueRow> dangling = dangling(app, night1.id());
      assertThat(dangling).hasSize(2).allSatisfy(i -> assertThat(i.state()).isEqualTo("new"));
      firstSeen = night1.startedAt();
      assertThat(dangling).extracting(IssueRow::firstSeenAt).containsOnly(firstSeen);
      assertThat(app.report(night1).entities())
          .allSatisfy(e -> assertThat(e.partialChecks()).isEmpty());
    }

    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app(config, 30)) {
      RunRecord night2 = runOnce(app);

      assertThat(night2.status()).isEqualTo(RunStatus.ERROR);
      List<IssueRow> dangling = dangling(app, night2.id());
      assertThat(dangling)
          .hasSize(2)
          .allSatisfy(
              i -> {
                assertThat(i.state()).isEqualTo(IssueRow.PERSISTING);
                assertThat(i.firstSeenAt()).isEqualTo(firstSeen);
                assertThat(i.checkId()).isEqualTo("link:Teacher");
                assertThat(i.url()).startsWith("https://airtable.com/appSchool00000001/");
              });
      assertThat(app.store().issues().list(night2.id(), IssueFilter.RESOLVED, 100, 0)).isEmpty();
      assertThat(app.store().issues().list(night2.id(), IssueFilter.NEW, 100, 0)).isEmpty();
      RunReport report = app.report(night2);
      RunReport.EntityReport classes =
          report.entities().stream().filter(e -> e.name().equals("classes")).findFirst().get();
      assertThat(classes.partialChecks()).containsExactly("link:Teacher");
      assertThat(classes.issues()).isEqualTo(4);
      assertThat(report.issues()).isEqualTo(new RunReport.Issues(4, Map.of("fail", 4L), 0, 0, 0));
      String json = dev.integrity.common.JsonMapper.create().writeValueAsString(report);
      assertThat(json).contains("\"partialChecks\":[\"link:Teacher\"]");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }

    sim.faults().clear();
    try (IntegrityApp app = app(config, 30)) {
      RunRecord night3 = runOnce(app);

      assertThat(night3.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(dangling(app, night3.id()))
          .hasSize(2)
          .allSatisfy(
              i -> {
                assertThat(i.state()).isEqualTo(IssueRow.PERSISTING);
                assertThat(i.firstSeenAt()).isEqualTo(firstSeen);
              });
      assertThat(app.report(night3).issues())
          .isEqualTo(new RunReport.Issues(4, Map.of("fail", 4L), 0, 0, 0));
      assertThat(app.report(night3).entities())
          .allSatisfy(e -> assertThat(e.partialChecks()).isEmpty());
    }
  }

  /** A check that ran and found a record fine resolves its issue, target fetched or not. */
  @Test
  void a_link_count_that_is_mended_on_a_night_whose_target_failed_is_still_resolved() {
    start(school());
    String config = schoolConfig();
    try (IntegrityApp app = app(config, 30)) {
      assertThat(runOnce(app).status()).isEqualTo(RunStatus.SUCCEEDED);
    }
    // Class 9 gets a teacher: its "links 0 records" issue goes, and the counts did run.
    sim.apply(
        Edits.begin()
            .update(
                "Classes", "recClass000000009", Map.of("Teacher", List.of("recTeacher0000001"))));
    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app(config, 30)) {
      RunRecord night2 = runOnce(app);

      assertThat(night2.status()).isEqualTo(RunStatus.ERROR);
      assertThat(app.store().issues().list(night2.id(), IssueFilter.RESOLVED, 100, 0))
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.recordId()).isEqualTo("recClass000000009");
                assertThat(i.message()).isEqualTo("Teacher links 0 records, min 1");
              });
      assertThat(app.report(night2).issues())
          .isEqualTo(new RunReport.Issues(3, Map.of("fail", 3L), 0, 1, 0));
    }
  }

  private static List<IssueRow> dangling(IntegrityApp app, String runId) {
    return app.store().issues().list(runId, IssueFilter.ALL, 100, 0).stream()
        .filter(i -> i.field() != null && i.field().startsWith("Teacher:"))
        .toList();
  }

  @Test
  void an_entity_whose_link_target_is_still_fetching_at_the_deadline_is_fetched_but_unchecked() {
    start(school());
    sim.faults().forTable("Teachers").next(1_000, Fault.stall());
    try (IntegrityApp app = app(schoolConfig(), 3, true)) {
      RunRecord run = runOnce(app);

      assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
      EntityProgress classes = entity(app, run.id(), "classes");
      assertThat(classes.status()).isEqualTo(EntityStatus.FETCHED);
      assertThat(classes.records()).isEqualTo(10);
      assertThat(classes.checked()).isFalse();
      assertThat(run.error())
          .contains(
              "checked 0 of 2 entities",
              "teachers: timeout",
              "classes: fetched: not checked before the run ended");
      assertThat(app.store().issues().summary(run.id()).total()).isZero();
    }
  }

  @Test
  void a_link_to_an_entity_outside_the_run_checks_only_the_counts_and_waits_for_nothing() {
    start(school());
    try (IntegrityApp app = app(schoolConfig(), 30)) {
      RunRecord run = runOnce(app, "classes");

      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(entity(app, run.id(), "classes").checked()).isTrue();
      assertThat(messages(app, run.id(), IssueFilter.ALL))
          .containsExactly(
              "classes: Teacher links 0 records, min 1", "classes: Teacher links 0 records, min 1");
    }
  }

  @Test
  void a_partial_run_never_resolves_the_issues_of_the_entity_it_did_not_check() {
    start(Dataset.synthetic(Map.of("Teachers", 250, "Students", 500)));
    String config = TestBases.teachersAndStudents(450);
    String first;
    try (IntegrityApp app = app(config, 30)) {
      RunRecord run = runOnce(app);
      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      first = run.id();
      assertThat(app.store().issues().summary(first).newCount()).isEqualTo(50);
    }
    sim.faults().forTable("Students").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app(config, 30)) {
      RunRecord partial = runOnce(app);

      assertThat(partial.status()).isEqualTo(RunStatus.ERROR);
      assertThat(entity(app, partial.id(), "students").checked()).isFalse();
      assertThat(entity(app, partial.id(), "teachers").checked()).isTrue();
      assertThat(app.store().issues().summary(partial.id()))
          .isEqualTo(new IssueSummary(0, Map.of(), 0, 0, Map.of()));
    }
    sim.faults().clear();
    try (IntegrityApp app = app(config, 30)) {
      RunRecord again = runOnce(app);

      assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
      // Students compare with the first run, the last to check them: persisting, not new.
      assertThat(app.store().issues().summary(again.id()))
          .isEqualTo(new IssueSummary(50, Map.of("fail", 50L), 0, 0, Map.of()));
      assertThat(app.store().runs().lastChecked(dataset.baseId(), "students", again.id()))
          .map(RunRecord::id)
          .contains(first);
    }
  }

  /**
   * Teachers (5) and Classes (10): classes 1-6 link a teacher, 7-8 link a record that is no
   * teacher, 9-10 link nothing.
   */
  private static Dataset school() {
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    FieldSchema teacherName =
        new FieldSchema("fldTeacherName001", "Name", "singleLineText", null, null);
    List<AirtableRecord> teachers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      teachers.add(
          new AirtableRecord("recTeacher000000" + i, created, Map.of("Name", "Teacher " + i)));
    }
    FieldSchema className =
        new FieldSchema("fldClassName00001", "Name", "singleLineText", null, null);
    FieldSchema classTeacher =
        new FieldSchema("fldClassTeacher01", "Teacher", "multipleRecordLinks", null, TEACHERS);
    List<AirtableRecord> classes = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("Name", "Class " + i);
      if (i <= 6) {
        fields.put("Teacher", List.of("recTeacher000000" + (1 + i % 5)));
      } else if (i <= 8) {
        fields.put("Teacher", List.of("recNoSuchTeacher1"));
      }
      classes.add(new AirtableRecord(String.format("recClass%09d", i), created, fields));
    }
    return Dataset.of(
        "appSchool00000001",
        List.of(
            new SimTable(TEACHERS, "Teachers", teacherName.id(), List.of(teacherName), teachers),
            new SimTable(
                CLASSES, "Classes", className.id(), List.of(className, classTeacher), classes)));
  }

  private static String schoolConfig() {
    return """
          teachers:
            table: Teachers
            checks:
              - required: [Name]
          classes:
            table: Classes
            checks:
              - link: {field: Teacher, to: teachers, min: 1, max: 1}
        """;
  }
}
