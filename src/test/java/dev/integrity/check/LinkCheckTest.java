package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
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
