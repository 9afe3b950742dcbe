package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: {@code volume} and {@code freshness}, judged once per table from the records and the
 * facts the run hands in (its start, the earlier counts). How a run gets those facts from the store
 * is in {@code run/TableChecksRunTest}.
 */
class TableCheckTest {
  private static final Instant START = Instant.parse("2026-12-04T06:00:00Z");

  private record Result(List<Issue> issues, EntityCoverage coverage) {}

  private static Result judge(CheckEngine engine, List<AirtableRecord> records, TableFacts facts) {
    List<Issue> issues = new ArrayList<>();
    EntityCoverage coverage = engine.evaluate("things", records, Map.of(), facts, issues::add);
    return new Result(issues, coverage);
  }

  private static List<AirtableRecord> records(int n) {
    return IntStream.range(0, n).mapToObj(i -> rec("rec" + i, "Name", "Row " + i)).toList();
  }

  private static TableFacts history(Long... newestFirst) {
    return new TableFacts(START, List.of(newestFirst));
  }

  private static CheckEngine volume(
      Integer min, Integer max, String maxDrop, String maxGrowth, String anomaly) {
    return engine(
        new CheckSpec.Volume(
            min,
            max,
            maxDrop == null ? null : new BigDecimal(maxDrop),
            maxGrowth == null ? null : new BigDecimal(maxGrowth),
            anomaly == null ? null : new BigDecimal(anomaly)));
  }

  private static CheckEngine freshness(String field, Duration maxAge) {
    return engine(new CheckSpec.Freshness(field, maxAge));
  }

  @Test
  void a_drop_beyond_max_drop_is_one_issue_of_the_table_with_the_figures() {
    Result r = judge(volume(null, null, "10", null, null), records(2013), history(6950L, 7000L));

    assertThat(r.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.recordId()).isEmpty();
              assertThat(i.field()).isEmpty();
              assertThat(i.checkId()).isEqualTo("volume");
              assertThat(i.message())
                  .isEqualTo(
                      "2,013 records, 71% fewer than the 6,950 of the last run (maxDrop 10%)");
            });
    assertThat(r.coverage().notEvaluated()).isEmpty();
  }

  @Test
  void a_drop_or_growth_within_the_limit_passes_and_the_last_run_is_the_newest_count() {
    CheckEngine engine = volume(null, null, "10", "50", null);

    assertThat(judge(engine, records(90), history(100L, 10L)).issues()).isEmpty();
    assertThat(judge(engine, records(150), history(100L, 1000L)).issues()).isEmpty();
    assertThat(judge(engine, records(151), history(100L)).issues())
        .extracting(Issue::message)
        .containsExactly("151 records, 51% more than the 100 of the last run (maxGrowth 50%)");
  }

  @Test
  void a_percent_just_over_the_limit_is_shown_with_the_decimals_that_tell_it_apart() {
    assertThat(judge(volume(null, null, "10", null, null), records(896), history(1000L)).issues())
        .extracting(Issue::message)
        .containsExactly("896 records, 10.4% fewer than the 1,000 of the last run (maxDrop 10%)");
  }

  @Test
  void min_and_max_need_no_history_and_every_broken_limit_is_in_the_one_message() {
    assertThat(judge(volume(5, 10, null, null, null), records(1), TableFacts.unknown()).issues())
        .extracting(Issue::message)
        .containsExactly("1 record, below min 5");
    assertThat(judge(volume(5, 10, null, null, null), records(11), history()).issues())
        .extracting(Issue::message)
        .containsExactly("11 records, above max 10");
    assertThat(judge(volume(5, 10, null, null, null), records(7), history()).issues()).isEmpty();
    assertThat(judge(volume(5, null, "50", null, null), records(2), history(10L)).issues())
        .extracting(Issue::message)
        .containsExactly(
            "2 records, below min 5; 80% fewer than the 10 of the last run (maxDrop 50%)");
  }

  @Test
  void a_first_run_or_an_empty_last_run_is_no_base_for_a_change() {
    CheckEngine engine = volume(null, null, "10", "10", null);

    Result first = judge(engine, records(3), history());
    assertThat(first.issues()).isEmpty();
    assertThat(first.coverage().notEvaluated()).isEmpty();
    assertThat(judge(engine, records(3), history(0L)).issues()).isEmpty();
    assertThat(judge(engine, records(0), history(5L)).issues())
        .extracting(Issue::message)
        .containsExactly("0 records, 100% fewer than the 5 of the last run (maxDrop 10%)");
  }

  @Test
  void an_anomaly_is_a_count_outside_n_standard_deviations_of_the_last_14_runs() {
    CheckEngine engine = volume(null, null, null, null, "3");
    // Mean 1,000, sample standard deviation 10 (alternating 990 and 1,010 over 14 runs)...
    List<Long> fourteen = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      fourteen.add(i % 2 == 0 ? 990L : 1010L);
    }
    // ...and older runs far away, which the window leaves out.
    List<Long> longer = new ArrayList<>(fourteen);
    longer.addAll(List.of(1L, 1L, 1L, 100_000L));
    TableFacts facts = new TableFacts(START, longer);

    // Sample standard deviation sqrt(14 * 10^2 / 13) = 10.38: 970 is 2.9 of them away, 960 3.9.
    assertThat(judge(engine, records(1025), facts).issues()).isEmpty();
    assertThat(judge(engine, records(970), facts).issues()).isEmpty();
    assertThat(judge(engine, records(960), facts).issues())
        .extracting(Issue::message)
        .containsExactly(
            "960 records, 3.9 standard deviations below the mean 1,000 of the last 14 runs"
                + " (anomaly 3)");
  }

  @Test
  void an_anomaly_needs_at_least_five_earlier_runs() {
    CheckEngine engine = volume(null, null, null, null, "2");

    assertThat(judge(engine, records(5000), history(100L, 101L, 99L, 100L)).issues()).isEmpty();
    assertThat(judge(engine, records(5000), history(100L, 101L, 99L, 100L, 100L)).issues())
        .extracting(Issue::message)
        .singleElement()
        .asString()
        .startsWith("5,000 records, ")
        .endsWith(" standard deviations above the mean 100 of the last 5 runs (anomaly 2)");
  }

  @Test
  void a_history_without_spread_makes_any_other_count_an_anomaly() {
    CheckEngine engine = volume(null, null, null, null, "3");
    TableFacts flat = history(300L, 300L, 300L, 300L, 300L);

    assertThat(judge(engine, records(300), flat).issues()).isEmpty();
    assertThat(judge(engine, records(299), flat).issues())
        .extracting(Issue::message)
        .containsExactly("299 records, unlike the last 5 runs, which all had 300 (anomaly 3)");
  }

  @Test
  void without_the_history_the_comparing_parts_are_not_judged_and_say_so_in_the_coverage() {
    Result r = judge(volume(1, null, "10", null, null), records(3), TableFacts.unknown());

    assertThat(r.issues()).isEmpty();
    assertThat(r.coverage().partialChecks()).containsExactly("volume");
    assertThat(r.coverage().unknown("volume", "")).isTrue();
  }

  @Test
  void freshness_passes_within_max_age_at_the_runs_start_and_fails_past_it() {
    CheckEngine engine = freshness("Updated", Duration.ofHours(48));
    List<AirtableRecord> records =
        List.of(
            rec("rec1", "Updated", "2026-12-01T06:00:00.000Z"),
            rec("rec2", "Updated", "2026-12-02T06:00:00.000Z"),
            rec("rec3"),
            rec("rec4", "Updated", "not a date"));

    assertThat(judge(engine, records, new TableFacts(START, List.of())).issues()).isEmpty();
    List<Issue> late =
        judge(engine, records, new TableFacts(START.plusSeconds(60), List.of())).issues();
    assertThat(late)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.recordId()).isEmpty();
              assertThat(i.field()).isEqualTo("Updated");
              assertThat(i.checkId()).isEqualTo("freshness:Updated");
              assertThat(i.message())
                  .isEqualTo(
                      "newest Updated is 2026-12-02T06:00:00Z, 2d old at the run's start"
                          + " (maxAge 48h)");
            });
  }

  @Test
  void a_date_counts_from_its_start_of_day_in_utc() {
    CheckEngine engine = freshness("Day", Duration.ofHours(30));
    List<AirtableRecord> records =
        List.of(rec("rec1", "Day", "2026-12-03"), rec("rec2", "Day", "2026-11-01"));

    // 2026-12-03T00:00Z is 30 h before the start: just fine; a minute later it is not.
    assertThat(judge(engine, records, new TableFacts(START, List.of())).issues()).isEmpty();
    assertThat(judge(engine, records, new TableFacts(START.plusSeconds(60), List.of())).issues())
        .extracting(Issue::message)
        .containsExactly("newest Day is 2026-12-03, 1d 6h old at the run's start (maxAge 30h)");
  }

  @Test
  void date_times_without_an_offset_are_utc_and_lookups_count_each_value() {
    CheckEngine engine = freshness("Seen", Duration.ofMinutes(90));
    List<AirtableRecord> records =
        List.of(
            rec("rec1", "Seen", "2026-12-04T04:31:00"),
            rec("rec2", "Seen", List.of("2026-12-01T00:00:00Z", "2026-12-04T05:00:00+01:00")));

    // The newest is 04:31Z (05:00+01:00 is 04:00Z): 1h 29m before the start.
    assertThat(judge(engine, records, new TableFacts(START, List.of())).issues()).isEmpty();
    assertThat(judge(engine, records, new TableFacts(START.plusSeconds(120), List.of())).issues())
        .extracting(Issue::message)
        .containsExactly(
            "newest Seen is 2026-12-04T04:31:00Z, 1h 31m old at the run's start (maxAge 90m)");
  }

  @Test
  void created_time_is_the_records_creation_time() {
    CheckEngine engine = freshness("createdTime", Duration.ofDays(7));
    List<AirtableRecord> records =
        List.of(
            new AirtableRecord("rec1", Instant.parse("2026-11-20T00:00:00Z"), Map.of()),
            new AirtableRecord("rec2", Instant.parse("2026-11-27T12:00:00Z"), Map.of()));

    assertThat(judge(engine, records, new TableFacts(START, List.of())).issues()).isEmpty();
    assertThat(
            judge(engine, records, new TableFacts(START.plus(Duration.ofDays(1)), List.of()))
                .issues())
        .extracting(Issue::field, Issue::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "createdTime",
                "newest creation time is 2026-11-27T12:00:00Z, 7d 18h old at the run's start"
                    + " (maxAge 7d)"));
  }

  @Test
  void a_table_with_no_value_at_all_fails_and_so_does_an_empty_table() {
    CheckEngine engine = freshness("Updated", Duration.ofDays(7));

    assertThat(judge(engine, List.of(rec("rec1"), rec("rec2", "Updated", "")), facts()).issues())
        .extracting(Issue::message)
        .containsExactly("no Updated in any of the 2 records (maxAge 7d)");
    assertThat(judge(engine, List.of(), facts()).issues())
        .extracting(Issue::message)
        .containsExactly("the table has no records, so no Updated (maxAge 7d)");
    assertThat(judge(freshness("createdTime", Duration.ofDays(7)), List.of(), facts()).issues())
        .extracting(Issue::message)
        .containsExactly("the table has no records, so no creation time (maxAge 7d)");
  }

  @Test
  void freshness_is_not_judged_without_the_runs_start_or_without_creation_times() {
    CheckEngine updated = freshness("Updated", Duration.ofDays(7));
    Result noStart =
        judge(updated, List.of(rec("rec1", "Updated", "2020-01-01")), TableFacts.unknown());
    assertThat(noStart.issues()).isEmpty();
    assertThat(noStart.coverage().unknown("freshness:Updated", "Updated")).isTrue();

    // Records of an incremental run's mirror carry no creation time.
    Result mirror =
        judge(
            freshness("createdTime", Duration.ofDays(7)),
            List.of(new AirtableRecord("rec1", null, Map.of())),
            facts());
    assertThat(mirror.issues()).isEmpty();
    assertThat(mirror.coverage().partialChecks()).containsExactly("freshness:createdTime");
  }

  @Test
  void table_checks_follow_the_record_checks_of_the_same_evaluation() {
    CheckEngine engine =
        engine(
            new CheckSpec.Volume(1000, null, null, null, null),
            new CheckSpec.Required(List.of("Name")));

    assertThat(judge(engine, List.of(rec("rec1")), facts()).issues())
        .extracting(i -> i.recordId() + " " + i.checkId())
        .containsExactly("rec1 required:Name", " volume");
  }

  @Test
  void validate_online_refuses_a_freshness_field_that_is_missing_or_holds_no_dates() {
    List<dev.integrity.model.BaseSchema.FieldSchema> fields =
        List.of(
            new dev.integrity.model.BaseSchema.FieldSchema(
                "fldName", "Name", "singleLineText", null, null),
            new dev.integrity.model.BaseSchema.FieldSchema("fldDay", "Day", "date", null, null),
            new dev.integrity.model.BaseSchema.FieldSchema(
                "fldEdited", "Edited", "lastModifiedTime", null, null),
            new dev.integrity.model.BaseSchema.FieldSchema(
                "fldDue",
                "Due",
                "formula",
                List.of(),
                null,
                false,
                new dev.integrity.model.BaseSchema.Computed("dateTime", null, null)));
    dev.integrity.model.BaseSchema schema =
        new dev.integrity.model.BaseSchema(
            "appTEST",
            List.of(
                new dev.integrity.model.BaseSchema.TableSchema(
                    "tblThings", "Things", "fldName", fields),
                new dev.integrity.model.BaseSchema.TableSchema(
                    "tblTeachers", "Teachers", "fldName", fields)));
    CheckEngine engine =
        engine(
            new CheckSpec.Freshness("Day", Duration.ofDays(1)),
            new CheckSpec.Freshness("Edited", Duration.ofDays(1)),
            new CheckSpec.Freshness("Due", Duration.ofDays(1)),
            new CheckSpec.Freshness("createdTime", Duration.ofDays(1)),
            new CheckSpec.Freshness("Name", Duration.ofDays(1)),
            new CheckSpec.Freshness("Gone", Duration.ofDays(1)),
            new CheckSpec.Volume(1, null, null, null, null));

    assertThat(engine.validateAgainst(schema))
        .extracting(CheckEngine.SchemaProblem::message)
        .containsExactly("entity things, check freshness:Gone: table 'Things' has no field 'Gone'");
    assertThat(engine.optionMismatches(schema))
        .extracting(CheckEngine.SchemaProblem::message)
        .containsExactly(
            "entity things, check freshness:Name: field 'Name' is of type singleLineText;"
                + " freshness reads a date, dateTime, createdTime or lastModifiedTime field (or"
                + " createdTime, the records' creation time)");
  }

  private static TableFacts facts() {
    return new TableFacts(START, List.of());
  }
}
