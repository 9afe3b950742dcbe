package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Formula and rollup error values ({@code {"error": "#ERROR!"}}, {@code {"specialValue": "NaN"}},
 * as both list-records and webhook payloads carry them) read in issue messages as Airtable shows
 * them, not as a Java map.
 */
class ErrorValueMessagesTest {
  static final Map<String, Object> ERROR = Map.of("error", "#ERROR!");
  static final Map<String, Object> NAN = Map.of("specialValue", "NaN");
  static final Map<String, Object> INFINITY = Map.of("specialValue", "Infinity");

  @Test
  void a_range_over_formula_error_values_quotes_them_as_airtable_shows_them() {
    CheckEngine engine =
        engine(
            new CheckSpec.Range(
                "Total",
                new CheckSpec.Range.Bound.Number(BigDecimal.ZERO),
                new CheckSpec.Range.Bound.Number(BigDecimal.TEN)));

    List<Issue> issues =
        run(
            engine,
            rec("err", "Total", ERROR),
            rec("nan", "Total", NAN),
            rec("inf", "Total", INFINITY),
            rec("lookup", "Total", List.of(3, ERROR)));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "err: Total '#ERROR!' is not a number",
            "nan: Total 'NaN' is not a number",
            "inf: Total 'Infinity' is not a number",
            "lookup: Total '#ERROR!' is not a number");
  }

  @Test
  void a_rule_shows_an_error_value_of_a_field_it_names_as_airtable_shows_it() {
    CheckEngine engine = engine(new CheckSpec.Rule("named", "r.Name == 'x'"));

    List<Issue> issues = run(engine, rec("rec1", "Name", ERROR));

    assertThat(issues)
        .extracting(Issue::message)
        .singleElement()
        .satisfies(m -> assertThat(m).endsWith("(Name '#ERROR!')").doesNotContain("{", "="));
  }

  @Test
  void a_pattern_reads_the_error_text_and_says_it_as_airtable_shows_it() {
    CheckEngine engine = engine(new CheckSpec.Pattern("Code", "^[A-Z]{3}$"));

    List<Issue> issues = run(engine, rec("rec1", "Code", NAN), rec("rec2", "Code", "ABC"));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly("rec1: Code 'NaN' does not match ^[A-Z]{3}$");
  }
}
