package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkCheckTest {
  private final CheckEngine engine = engine(new CheckSpec.Link("Teacher", "teachers", 1, 1));
  private final Map<String, Set<String>> teachers = Map.of("teachers", Set.of("recT1", "recT2"));

  @Test
  void counts_below_min_and_above_max_give_one_issue_and_absent_counts_as_zero() {
    List<Issue> issues =
        run(
            engine,
            teachers,
            rec("ok", "Teacher", List.of("recT1")),
            rec("none"),
            rec("empty", "Teacher", List.of()),
            rec("two", "Teacher", List.of("recT1", "recT2")));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "none Teacher: Teacher links 0 records, min 1",
            "empty Teacher: Teacher links 0 records, min 1",
            "two Teacher: Teacher links 2 records, max 1");
  }

  @Test
  void each_distinct_linked_id_missing_from_the_target_is_its_own_issue() {
    CheckEngine unbounded =
        engine(new CheckSpec.Link("Teacher", "teachers", 0, CheckSpec.Link.UNBOUNDED));

    List<Issue> issues =
        run(
            unbounded,
            teachers,
            rec("rec1", "Teacher", List.of("recT1", "recGone", "recLost", "recGone")));

    assertThat(issues)
        .extracting(i -> i.field() + ": " + i.message())
        .containsExactly(
            "Teacher:recGone: Teacher links 'recGone', which is not a record of teachers",
            "Teacher:recLost: Teacher links 'recLost', which is not a record of teachers");
    assertThat(issues).allSatisfy(i -> assertThat(i.checkId()).isEqualTo("link:Teacher"));
  }

  @Test
  void a_count_issue_and_dangling_ids_are_reported_together() {
    List<Issue> issues = run(engine, teachers, rec("rec1", "Teacher", List.of("recX", "recY")));

    assertThat(issues)
        .extracting(Issue::field)
        .containsExactly("Teacher", "Teacher:recX", "Teacher:recY");
  }

  @Test
  void when_the_target_was_not_fetched_only_counts_are_checked() {
    List<Issue> issues =
        run(engine, Map.of(), rec("rec1", "Teacher", List.of("recUnknown")), rec("rec2"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec2");
  }

  @Test
  void
      without_the_target_the_coverage_names_the_dangling_part_and_it_covers_what_that_part_finds() {
    CheckEngine withRequired =
        engine(
            new CheckSpec.Required(List.of("Name"), null, null, null),
            new CheckSpec.Link("Teacher", "teachers", 1, 1));
    AirtableRecord record = rec("rec1", "Name", "x", "Teacher", List.of("recGone"));
    List<Issue> found = new ArrayList<>();

    EntityCoverage whole = withRequired.evaluate("things", List.of(record), teachers, found::add);
    EntityCoverage counts = withRequired.evaluate("things", List.of(record), Map.of(), i -> {});

    assertThat(whole).isEqualTo(EntityCoverage.complete("things", whole.configuredChecks()));
    assertThat(whole.configuredChecks()).containsExactly("required:Name", "link:Teacher");
    assertThat(counts.partialChecks()).containsExactly("link:Teacher");
    assertThat(counts.configuredChecks()).isEqualTo(whole.configuredChecks());
    // What the part that did not run would have found is exactly what it covers; the counts part
    // ran, so its issues (on the link field itself) are not covered.
    assertThat(found)
        .singleElement()
        .satisfies(i -> assertThat(counts.unknown(i.checkId(), i.field())).isTrue());
    assertThat(counts.unknown("link:Teacher", "Teacher")).isFalse();
    assertThat(counts.unknown("required:Name", "Name")).isFalse();
    assertThat(withRequired.coverage("things", Map.of())).isEqualTo(counts);
  }

  @Test
  void a_single_id_string_and_objects_with_an_id_are_read_as_links() {
    List<Issue> issues =
        run(
            engine,
            teachers,
            rec("rec1", "Teacher", "recT1"),
            rec("rec2", "Teacher", List.of(Map.of("id", "recT2", "name", "Ada"))),
            rec("rec3", "Teacher", List.of(Map.of("id", "recNope"))));

    assertThat(issues).extracting(Issue::field).containsExactly("Teacher:recNope");
  }
}
