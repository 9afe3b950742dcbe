package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.CheckSpec.Range.Bound;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeCheckTest {
  private static Bound.Number n(String value) {
    return new Bound.Number(new BigDecimal(value));
  }

  private static Bound.Date d(String value) {
    return new Bound.Date(LocalDate.parse(value));
  }

  @Test
  void numbers_of_every_java_type_and_numeric_strings_are_compared_inclusively() {
    CheckEngine engine = engine(new CheckSpec.Range("Capacity", n("1"), n("40")));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "Capacity", 1L),
            rec("ok2", "Capacity", 40),
            rec("ok3", "Capacity", 39.5),
            rec("ok4", "Capacity", new BigDecimal("40.000")),
            rec("ok5", "Capacity", " 12 "),
            rec("ok6"),
            rec("low", "Capacity", 0L),
            rec("high", "Capacity", "40.01"),
            rec("text", "Capacity", "twelve"),
            rec("bool", "Capacity", true));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "low: Capacity '0' is below min 1",
            "high: Capacity '40.01' is above max 40",
            "text: Capacity 'twelve' is not a number",
            "bool: Capacity 'true' is not a number");
  }

  @Test
  void an_open_ended_range_checks_only_its_bound() {
    CheckEngine engine = engine(new CheckSpec.Range("Score", n("0"), null));

    assertThat(run(engine, rec("a", "Score", 1e12), rec("b", "Score", -0.5)))
        .extracting(Issue::recordId)
        .containsExactly("b");
  }

  @Test
  void date_bounds_compare_iso_dates_and_the_date_part_of_date_times() {
    CheckEngine engine = engine(new CheckSpec.Range("Start", d("2024-01-01"), d("2024-12-31")));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "Start", "2024-01-01"),
            rec("ok2", "Start", "2024-12-31T23:59:59.000Z"),
            rec("early", "Start", "2023-12-31"),
            rec("late", "Start", "2025-01-01T00:00:00Z"),
            rec("bad", "Start", "31/12/2024"),
            rec("num", "Start", 20240101L));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "early: Start '2023-12-31' is before min 2024-01-01",
            "late: Start '2025-01-01T00:00:00Z' is after max 2024-12-31",
            "bad: Start '31/12/2024' is not an ISO date",
            "num: Start '20240101' is not an ISO date");
  }

  @Test
  void a_lookup_list_fails_once_when_any_element_is_out_of_range() {
    CheckEngine engine = engine(new CheckSpec.Range("Scores", n("0"), n("10")));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Scores", List.of(1L, 11L, 12L)),
            rec("rec2", "Scores", List.of(3L)));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly("rec1: Scores '11', '12' are above max 10");
  }
}
