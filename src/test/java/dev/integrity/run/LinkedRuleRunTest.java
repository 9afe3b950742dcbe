package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.Fault;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.SimTable;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules across links in whole runs, over sockets against the simulator: the fields a rule reads
 * through {@code linked} are asked of the target's table, the rule waits for the target, and a
 * target that failed leaves the rule partial with its issues open.
 */
class LinkedRuleRunTest {
  private static final String TEACHERS = "tblTeachers000001";
  private static final String CLASSES = "tblClasses0000001";
  private static final String ENTITIES =
      """
        teachers:
          table: Teachers
          checks:
            - required: [Name]
        classes:
          table: Classes
          checks:
            - link: {field: Teacher, to: teachers, max: 2}
            - rule: {name: teacher-active, expr: 'linked(r, "Teacher").all(t, t.Status == "Active")'}
      """;

  @TempDir Path dir;
  private AirtableSimulator sim;

  @BeforeEach
  void start() {
    sim = AirtableSimulator.builder().dataset(school()).rateLimitPerSecond(0).build().start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private IntegrityApp app() {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.put("AIRTABLE_MAX_RETRIES", "1");
    Path config = TestBases.config(dir, sim.dataset().baseId(), ENTITIES);
    return IntegrityApp.builder().environment(env).config(config).build();
  }

  private static RunRecord run(IntegrityApp app, RunMode mode) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), mode);
    return app.execute(queued.id());
  }

  private static List<String> ruleIssues(IntegrityApp app, String runId, IssueFilter filter) {
    return app.store().issues().list(runId, filter, 100, 0).stream()
        .filter(i -> i.checkId().equals("rule:teacher-active"))
        .map(i -> i.recordId() + " " + i.state())
        .toList();
  }

  private static EntityProgress classes(IntegrityApp app, String runId) {
    return app.store().runs().entities(runId).stream()
        .filter(e -> e.name().equals("classes"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theTeachersTableIsAskedForTheFieldsTheRuleReadsThroughLinkedAndTheRuleJudgesEachClass() {
    try (IntegrityApp app = app()) {
      sim.clearRequests();
      RunRecord run = run(app, RunMode.FULL);

      assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.SUCCEEDED);
      List<RequestLog> teacherPages =
          sim.requests().stream()
              .filter(r -> "Teachers".equals(r.tableIdOrName()) && r.method().equals("GET"))
              .toList();
      assertThat(teacherPages)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.parameter("fields[]")).containsExactly("Name", "Status"));
      assertThat(ruleIssues(app, run.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder("recClass000000002 new", "recClass000000004 new");
      assertThat(app.store().issues().list(run.id(), IssueFilter.ALL, 100, 0))
          .filteredOn(i -> i.recordId().equals("recClass000000002"))
          .extracting(IssueRow::message)
          .containsExactly("rule teacher-active is false (Teacher 'recTeacher0000002')");
    }
  }

  /**
   * Night 1 finds two classes with a teacher on leave; on night 2 the Teachers table fails: the
   * rule cannot run, so its issues stay open (persisting, not resolved) although teacher 2 came
   * back meanwhile; night 3 is whole and resolves both.
   */
  @Test
  void aFailedTargetLeavesTheRulePartialAndItsIssuesOpenUntilARunCanJudgeThemAgain()
      throws Exception {
    try (IntegrityApp app = app()) {
      RunRecord night1 = run(app, RunMode.FULL);
      assertThat(night1.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(ruleIssues(app, night1.id(), IssueFilter.ALL)).hasSize(2);
    }
    sim.apply(Edits.begin().update("Teachers", "recTeacher0000002", Map.of("Status", "Active")));
    sim.faults().forTable("Teachers").next(1_000, Fault.serverError(500));
    try (IntegrityApp app = app()) {
      RunRecord night2 = run(app, RunMode.FULL);

      assertThat(night2.status()).isEqualTo(RunStatus.ERROR);
      assertThat(classes(app, night2.id()).checked()).isTrue();
      assertThat(classes(app, night2.id()).partialChecks())
          .containsExactly("link:Teacher", "rule:teacher-active");
      assertThat(ruleIssues(app, night2.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder(
              "recClass000000002 persisting", "recClass000000004 persisting");
      assertThat(app.store().issues().list(night2.id(), IssueFilter.RESOLVED, 100, 0)).isEmpty();
      String json = JsonMapper.create().writeValueAsString(app.report(night2));
      assertThat(json).contains("\"partialChecks\":[\"link:Teacher\",\"rule:teacher-active\"]");
    }
    sim.faults().clear();
    try (IntegrityApp app = app()) {
      RunRecord night3 = run(app, RunMode.FULL);

      assertThat(night3.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(ruleIssues(app, night3.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder("recClass000000002 resolved", "recClass000000004 resolved");
      assertThat(classes(app, night3.id()).partialChecks()).isEmpty();
    }
  }

  @Test
  void aRunOfTheClassesAloneLeavesTheRulePartialAndAsksNothingOfTheTeachers() {
    try (IntegrityApp app = app()) {
      RunRecord both = run(app, RunMode.FULL);
      assertThat(ruleIssues(app, both.id(), IssueFilter.ALL)).hasSize(2);
      sim.clearRequests();

      RunRecord queued = app.start(null, Trigger.MANUAL, List.of("classes"), RunMode.FULL);
      RunRecord alone = app.execute(queued.id());

      assertThat(alone.status()).as(alone.error()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(sim.requests()).noneMatch(r -> "Teachers".equals(r.tableIdOrName()));
      assertThat(classes(app, alone.id()).partialChecks())
          .containsExactly("link:Teacher", "rule:teacher-active");
      assertThat(ruleIssues(app, alone.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder(
              "recClass000000002 persisting", "recClass000000004 persisting");
    }
  }

  /**
   * The mirror keeps the fields read through linked, so an incremental run judges as a full one.
   */
  @Test
  void anIncrementalRunSeesATeachersStatusChangeThroughTheMirror() {
    try (IntegrityApp app = app()) {
      RunRecord first = run(app, RunMode.INCREMENTAL);
      assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(ruleIssues(app, first.id(), IssueFilter.ALL)).hasSize(2);

      sim.apply(
          Edits.begin().update("Teachers", "recTeacher0000001", Map.of("Status", "On leave")));
      RunRecord second = run(app, RunMode.INCREMENTAL);

      assertThat(second.status()).as(second.error()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(second.mode()).as(second.modeReason()).isEqualTo(RunMode.INCREMENTAL);
      // Teacher 1 teaches classes 1, 3 and 5.
      assertThat(ruleIssues(app, second.id(), IssueFilter.ALL))
          .containsExactlyInAnyOrder(
              "recClass000000001 new",
              "recClass000000002 persisting",
              "recClass000000003 new",
              "recClass000000004 persisting",
              "recClass000000005 new");
    }
  }

  /**
   * Teachers 1-3 with a Status (teacher 2 on leave) and Notes, which no check reads; classes 1-6:
   * 1, 3 and 5 have teacher 1, 2 has teacher 2, 4 has teachers 3 and 2, 6 has teacher 3.
   */
  private static Dataset school() {
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    FieldSchema name = new FieldSchema("fldTeacherName001", "Name", "singleLineText", null, null);
    FieldSchema status =
        new FieldSchema("fldTeacherStatus1", "Status", "singleLineText", null, null);
    FieldSchema notes = new FieldSchema("fldTeacherNotes01", "Notes", "multilineText", null, null);
    List<AirtableRecord> teachers = new ArrayList<>();
    String[] statuses = {"Active", "On leave", "Active"};
    for (int i = 1; i <= 3; i++) {
      teachers.add(
          new AirtableRecord(
              "recTeacher000000" + i,
              created,
              Map.of("Name", "Teacher " + i, "Status", statuses[i - 1], "Notes", "note " + i)));
    }
    FieldSchema className =
        new FieldSchema("fldClassName00001", "Name", "singleLineText", null, null);
    FieldSchema classTeacher =
        new FieldSchema("fldClassTeacher01", "Teacher", "multipleRecordLinks", null, TEACHERS);
    Map<Integer, List<String>> teacherOf =
        Map.of(
            1, List.of("recTeacher0000001"),
            2, List.of("recTeacher0000002"),
            3, List.of("recTeacher0000001"),
            4, List.of("recTeacher0000003", "recTeacher0000002"),
            5, List.of("recTeacher0000001"),
            6, List.of("recTeacher0000003"));
    List<AirtableRecord> classes = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("Name", "Class " + i);
      fields.put("Teacher", teacherOf.get(i));
      classes.add(new AirtableRecord(String.format("recClass%09d", i), created, fields));
    }
    return Dataset.of(
        "appSchool00000001",
        List.of(
            new SimTable(TEACHERS, "Teachers", name.id(), List.of(name, status, notes), teachers),
            new SimTable(
                CLASSES, "Classes", className.id(), List.of(className, classTeacher), classes)));
  }
}
