package dev.integrity.check;

import static dev.integrity.check.Fixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrity.Secret;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.ConfigException;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules across links: {@code linked(r, "Field")} and {@code sum(list)} in the check engine. */
class LinkedRuleTest {
  private static final CheckSpec TEACHER_LINK = new CheckSpec.Link("Teacher", "teachers", 0, 5);
  private static final CheckSpec ENROLLMENT_LINK =
      new CheckSpec.Link("Enrollments", "enrollments", 0, CheckSpec.Link.UNBOUNDED);

  private static final List<AirtableRecord> TEACHERS =
      List.of(
          rec("recT1", "Name", "Ada", "Status", "Active"),
          rec("recT2", "Name", "Bob", "Status", "On leave"),
          rec("recT3", "Name", "Cy", "Status", "Active"));

  private static final List<AirtableRecord> ENROLLMENTS =
      List.of(
          rec("recE1", "Hours", 20L),
          rec("recE2", "Hours", 15L),
          rec("recE3", "Hours", 10.5),
          rec("recE4", "Hours", 4L));

  private static CheckEngine classes(CheckSpec... checks) {
    Map<String, EntityConfig> entities = new LinkedHashMap<>();
    entities.put("classes", new EntityConfig("classes", "Classes", List.of(checks)));
    entities.put("teachers", new EntityConfig("teachers", "Teachers", List.of()));
    entities.put("enrollments", new EntityConfig("enrollments", "Enrollments", List.of()));
    return CheckEngine.compile(
        new IntegrityConfig(
            null,
            new AirtableConfig("appTEST", new Secret("t"), URI.create("http://127.0.0.1")),
            entities,
            List.of(),
            null));
  }

  private static Map<String, Set<String>> bothFetched() {
    return Map.of(
        "teachers", TargetRecords.of(TEACHERS), "enrollments", TargetRecords.of(ENROLLMENTS));
  }

  private static List<String> failing(
      CheckEngine engine, Map<String, Set<String>> targets, AirtableRecord... classes) {
    List<String> found = new ArrayList<>();
    engine.evaluate(
        "classes",
        List.of(classes),
        targets,
        i -> found.add(i.recordId() + " " + i.checkId() + " " + i.field() + ": " + i.message()));
    return found;
  }

  @Test
  void aRuleOverLinkedTeachersFindsTheClassWhoseTeacherIsNotActive() {
    CheckEngine engine =
        classes(
            TEACHER_LINK,
            new CheckSpec.Rule(
                "teacher-active", "linked(r, \"Teacher\").all(t, t.Status == \"Active\")"));

    List<String> issues =
        failing(
            engine,
            bothFetched(),
            rec("recC1", "Teacher", List.of("recT1")),
            rec("recC2", "Teacher", List.of("recT1", "recT2")),
            // An id that is no teacher is left out (the link check reports it): nothing to judge.
            rec("recC3", "Teacher", List.of("recNoSuchTeacher")),
            rec("recC4"));

    assertThat(issues)
        .containsExactly(
            "recC2 rule:teacher-active Teacher: rule teacher-active is false"
                + " (Teacher 'recT1, recT2')",
            "recC3 link:Teacher Teacher:recNoSuchTeacher: Teacher links 'recNoSuchTeacher', which"
                + " is not a record of teachers");
  }

  @Test
  void theSizeOfTheLinkedRecordsComparesWithAFieldOfTheRecord() {
    CheckEngine engine =
        classes(
            ENROLLMENT_LINK,
            new CheckSpec.Rule("capacity", "size(linked(r, \"Enrollments\")) <= int(r.Capacity)"));

    List<String> issues =
        failing(
            engine,
            bothFetched(),
            rec("recC1", "Capacity", 2L, "Enrollments", List.of("recE1", "recE2")),
            rec("recC2", "Capacity", 2.0, "Enrollments", List.of("recE1", "recE2", "recE4")),
            rec("recC3", "Capacity", 1L, "Enrollments", List.of("recE1", "recGone")));

    assertThat(issues)
        .containsExactly(
            "recC2 rule:capacity Enrollments+Capacity: rule capacity is false"
                + " (Enrollments 'recE1, recE2, recE4', Capacity '2')",
            "recC3 link:Enrollments Enrollments:recGone: Enrollments links 'recGone', which is not"
                + " a record of enrollments");
  }

  @Test
  void sumAddsTheHoursOfTheLinkedRecordsIntsAndDoublesAlike() {
    CheckEngine engine =
        classes(
            ENROLLMENT_LINK,
            new CheckSpec.Rule("hours", "sum(linked(r, \"Enrollments\").map(e, e.Hours)) <= 40"),
            new CheckSpec.Rule(
                "exact", "sum([1, 2, 3]) == 6 && sum([]) == 0 && sum([0.5, 1]) == 1.5"));

    List<String> issues =
        failing(
            engine,
            bothFetched(),
            rec("recC1", "Enrollments", List.of("recE1", "recE2", "recE4")), // 39
            rec("recC2", "Enrollments", List.of("recE1", "recE2", "recE3")), // 45.5
            rec("recC3"));

    assertThat(issues)
        .containsExactly(
            "recC2 rule:hours Enrollments: rule hours is false"
                + " (Enrollments 'recE1, recE2, recE3')");
  }

  @Test
  void aFilterOfTheLinkedRecordsCountsOnlyThoseThatPass() {
    CheckEngine engine =
        classes(
            ENROLLMENT_LINK,
            new CheckSpec.Rule(
                "long-ones", "size(linked(r, \"Enrollments\").filter(e, e.Hours > 10)) <= 1"));

    List<String> issues =
        failing(
            engine,
            bothFetched(),
            rec("recC1", "Enrollments", List.of("recE1", "recE4")), // 20, 4
            rec("recC2", "Enrollments", List.of("recE1", "recE2", "recE4"))); // 20, 15, 4

    assertThat(issues).singleElement().asString().startsWith("recC2 rule:long-ones");
  }

  @Test
  void summingTextIsAnIssueThatSaysWhatWasSummed() {
    CheckEngine engine =
        classes(
            TEACHER_LINK,
            new CheckSpec.Rule("names", "sum(linked(r, \"Teacher\").map(t, t.Name)) > 0"));

    assertThat(failing(engine, bothFetched(), rec("recC1", "Teacher", List.of("recT1"))))
        .singleElement()
        .asString()
        .contains("could not be evaluated", "sum of a list holding the text 'Ada', not a number");
  }

  @Test
  void withoutTheTargetsRecordsTheRuleDoesNotRunAndSaysItIsPartial() {
    CheckEngine engine =
        classes(
            TEACHER_LINK,
            new CheckSpec.Rule(
                "teacher-active", "linked(r, \"Teacher\").all(t, t.Status == \"Active\")"),
            new CheckSpec.Rule("named", "has(r.Name)"));
    AirtableRecord bad = rec("recC2", "Teacher", List.of("recT2"));

    // Teachers not fetched at all, or only their ids kept: the rule judges nothing.
    for (Map<String, Set<String>> targets :
        List.<Map<String, Set<String>>>of(Map.of(), Map.of("teachers", Set.of("recT2")))) {
      List<String> issues = new ArrayList<>();
      EntityCoverage coverage =
          engine.evaluate("classes", List.of(bad), targets, i -> issues.add(i.checkId()));

      assertThat(issues).containsExactly("rule:named");
      assertThat(coverage.partialChecks()).contains("rule:teacher-active");
      assertThat(coverage.unknown("rule:teacher-active", "Teacher")).isTrue();
      assertThat(coverage.unknown("rule:named", "Name")).isFalse();
    }
    EntityCoverage whole = engine.evaluate("classes", List.of(bad), bothFetched(), i -> {});
    assertThat(whole.partialChecks()).isEmpty();
  }

  @Test
  void aRuleThroughLinkedWithoutALinkCheckOnThatFieldDoesNotCompile() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                classes(
                    new CheckSpec.Rule(
                        "teacher-active",
                        "linked(r, \"Teacher\").all(t, t.Status == \"Active\")")));

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.message()).contains("teacher-active", "no link check", "'Teacher'"));
  }
}
