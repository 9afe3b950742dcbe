package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class UniqueCheckTest {

  @Test
  void every_record_sharing_a_value_gets_one_issue_and_empty_values_are_skipped() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("Email"), false));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Email", "a@x.io"),
            rec("rec2", "Email", "b@x.io"),
            rec("rec3", "Email", "a@x.io"),
            rec("rec4"),
            rec("rec5", "Email", ""),
            rec("rec6", "Email", " "),
            rec("rec7", "Email", "a@x.io"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec1", "rec3", "rec7");
    assertThat(issues.getFirst().message())
        .isEqualTo("Email 'a@x.io' is shared by 3 records (also rec3, rec7)");
    assertThat(issues).allSatisfy(i -> assertThat(i.checkId()).isEqualTo("unique:Email"));
  }

  @Test
  void without_normalize_case_and_spaces_make_values_differ() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("Email"), false));

    assertThat(run(engine, rec("rec1", "Email", "A@x.io"), rec("rec2", "Email", "a@x.io ")))
        .isEmpty();
  }

  @Test
  void normalize_trims_lower_cases_and_collapses_spaces() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("Name"), true));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Name", "Ada  Lovelace"),
            rec("rec2", "Name", " ada lovelace\t"),
            rec("rec3", "Name", "Ada Love lace"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec1", "rec2");
  }

  @Test
  void a_composite_key_compares_the_tuple_and_skips_records_with_any_part_empty() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("First", "Last"), false));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "First", "Ada", "Last", "King"),
            rec("rec2", "First", "Ada", "Last", "Byron"),
            rec("rec3", "First", "Ada", "Last", "King"),
            rec("rec4", "First", "Ada"),
            rec("rec5", "First", "Ada", "Last", ""),
            rec("rec6", "Last", "King"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec1", "rec3");
    assertThat(issues.getFirst().field()).isEqualTo("First+Last");
    assertThat(issues.getFirst().checkId()).isEqualTo("unique:First+Last");
    assertThat(issues.getFirst().message())
        .isEqualTo("First 'Ada', Last 'King' is shared by 2 records (also rec3)");
  }

  @Test
  void a_tuple_does_not_collide_with_a_value_containing_the_separator_text() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("A", "B"), false));

    assertThat(run(engine, rec("rec1", "A", "x, y", "B", "z"), rec("rec2", "A", "x", "B", "y, z")))
        .isEmpty();
  }

  @Test
  void numbers_compare_by_value_whatever_their_java_type_or_string_form() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("Code"), false));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Code", 12L),
            rec("rec2", "Code", 12.0),
            rec("rec3", "Code", "12"),
            rec("rec4", "Code", new BigDecimal("12.00")),
            rec("rec5", "Code", 13));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec1", "rec2", "rec3", "rec4");
  }

  @Test
  void lists_compare_as_their_ordered_elements() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("Tags"), false));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Tags", List.of("a", "b")),
            rec("rec2", "Tags", List.of("a", "b")),
            rec("rec3", "Tags", List.of("b", "a")));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec1", "rec2");
  }

  @Test
  void the_message_lists_at_most_three_other_records() {
    CheckEngine engine = engine(new CheckSpec.Unique(List.of("E"), false));

    List<Issue> issues =
        run(
            engine,
            rec("r1", "E", "x"),
            rec("r2", "E", "x"),
            rec("r3", "E", "x"),
            rec("r4", "E", "x"),
            rec("r5", "E", "x"));

    assertThat(issues).hasSize(5);
    assertThat(issues.getFirst().message())
        .isEqualTo("E 'x' is shared by 5 records (also r2, r3, r4, …)");
  }
}
