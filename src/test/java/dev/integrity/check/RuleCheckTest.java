package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.ConfigException;
import dev.integrity.config.Severity;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleCheckTest {

  private static CheckEngine rule(String expr) {
    return engine(new CheckSpec.Rule("r1", expr, null, Severity.WARN, null));
  }

  @Test
  void a_false_rule_is_one_issue_showing_the_fields_it_names() {
    CheckEngine engine = rule("r[\"End Date\"] >= r[\"Start Date\"]");

    List<Issue> issues =
        run(
            engine,
            rec("ok", "Start Date", "2024-01-01", "End Date", "2024-02-01"),
            rec("bad", "Start Date", "2024-03-01", "End Date", "2024-02-01"));

    assertThat(issues)
        .singleElement()
        .isEqualTo(
            new Issue(
                "things",
                "bad",
                "rule:r1",
                "End Date+Start Date",
                Severity.WARN,
                "rule r1 is false (End Date '2024-02-01', Start Date '2024-03-01')",
                // The composite field's values, whole, in the field's order.
                "2024-02-01 + 2024-03-01"));
  }

  @Test
  void a_rule_that_cannot_be_evaluated_is_an_issue_with_the_evaluation_error() {
    CheckEngine engine = rule("r[\"End Date\"] >= r[\"Start Date\"]");

    List<Issue> issues = run(engine, rec("rec1", "End Date", "2024-02-01"));

    assertThat(issues)
        .singleElement()
        .satisfies(
            i ->
                assertThat(i.message())
                    .startsWith("rule r1 could not be evaluated: ")
                    .contains("Start Date")
                    .endsWith("(End Date '2024-02-01', Start Date absent)"));
  }

  @Test
  void a_guard_with_in_or_has_avoids_the_error_for_absent_fields() {
    CheckEngine engine = rule("!has(r.Rate) || r.Rate > 10");

    assertThat(run(engine, rec("rec1"), rec("rec2", "Rate", 11L))).isEmpty();
    assertThat(run(engine, rec("rec3", "Rate", 9.5))).hasSize(1);
  }

  @Test
  void a_non_boolean_result_is_an_issue() {
    CheckEngine engine = rule("r.Rate");

    assertThat(run(engine, rec("rec1", "Rate", 12.5)))
        .singleElement()
        .satisfies(
            i -> assertThat(i.message()).isEqualTo("rule r1 returned '12.5', not true or false"));
  }

  @Test
  void ints_doubles_big_decimals_and_integers_compare_with_each_other() {
    CheckEngine engine = rule("r.A > 10 && r.B < 3.5 && r.C == 2 && r.D >= 1");

    assertThat(
            run(
                engine,
                rec(
                    "rec1",
                    "A",
                    10.5,
                    "B",
                    3L,
                    "C",
                    new BigDecimal("2.0"),
                    "D",
                    Integer.valueOf(1))))
        .isEmpty();
  }

  @Test
  void r_id_is_the_record_id_and_lists_work_with_the_standard_macros() {
    CheckEngine engine =
        rule("r.id.startsWith('rec') && r.Tags.exists(t, t == 'vip') && size(r.Teacher) == 1");

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Tags", List.of("vip", "x"), "Teacher", List.of("recT")),
            rec("rec2", "Tags", List.of("x"), "Teacher", List.of("recT")));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec2");
  }

  @Test
  void objects_are_maps_in_rules() {
    CheckEngine engine = rule("r.Owner.email.endsWith('@school.org')");

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Owner", Map.of("id", "usr1", "email", "a@school.org")),
            rec("rec2", "Owner", Map.of("id", "usr2", "email", "b@gmail.com")));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec2");
  }

  @Test
  void a_rule_can_test_membership_and_iterate_over_the_whole_record() {
    CheckEngine engine = rule("\"Name\" in r && r.all(k, k != 'Secret') && size(r) == 2");

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Name", "Ada"),
            rec("rec2", "Name", "Bob", "Secret", "x"),
            rec("rec3", "Other", "y"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec2", "rec3");
  }

  @Test
  void an_expression_that_does_not_compile_is_refused_at_compile_naming_its_location() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> rule("r.x + "));

    assertThat(e.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("does not compile"));
  }
}
