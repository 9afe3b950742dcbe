package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code computed}: error values of formula, rollup, lookup and count fields, one issue each. */
class ComputedCheckTest {
  static final Map<String, Object> ERROR = Map.of("error", "#ERROR!");
  static final Map<String, Object> DIV0 = Map.of("error", "#DIVIDE_BY_ZERO");
  static final Map<String, Object> NAN = Map.of("specialValue", "NaN");
  static final Map<String, Object> INFINITY = Map.of("specialValue", "Infinity");

  static final BaseSchema SCHEMA =
      new BaseSchema(
          "appTEST",
          List.of(
              new TableSchema(
                  "tblThings",
                  "Things",
                  "fldName",
                  List.of(
                      field("fldName", "Name", "singleLineText"),
                      field("fldTotal", "Total", "formula"),
                      field("fldAvg", "Average", "rollup"),
                      field("fldMarks", "Marks", "multipleLookupValues"),
                      field("fldCount", "Classes", "count"),
                      field("fldNote", "Note", "multilineText"))),
              new TableSchema(
                  "tblTeachers",
                  "Teachers",
                  "fldTeacher",
                  List.of(field("fldTeacher", "Name", "singleLineText")))));

  private static FieldSchema field(String id, String name, String type) {
    return new FieldSchema(id, name, type, List.of(), null);
  }

  @Test
  void each_error_shape_is_an_issue_worded_as_airtable_shows_it() {
    CheckEngine engine = engine(new CheckSpec.Computed(List.of("Total")));

    List<Issue> issues =
        run(
            engine,
            rec("recErr", "Total", ERROR),
            rec("recDiv", "Total", DIV0),
            rec("recNan", "Total", NAN),
            rec("recInf", "Total", INFINITY),
            rec("recFine", "Total", 12),
            rec("recText", "Total", "#ERROR! typed by hand"),
            rec("recAbsent"));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.checkId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "recErr computed:Total Total: Total is #ERROR!",
            "recDiv computed:Total Total: Total is #DIVIDE_BY_ZERO",
            "recNan computed:Total Total: Total is NaN",
            "recInf computed:Total Total: Total is Infinity");
  }

  @Test
  void an_error_inside_a_lookups_list_is_found_and_counted() {
    CheckEngine engine = engine(new CheckSpec.Computed(List.of("Marks", "Total")));

    List<Issue> issues =
        run(
            engine,
            rec("recOne", "Marks", List.of(3, ERROR, 4)),
            rec("recTwo", "Marks", List.of(ERROR, NAN, ERROR), "Total", DIV0),
            rec("recFine", "Marks", List.of(3, 4)));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "recOne Marks: Marks holds #ERROR! (1 of 3 values)",
            "recTwo Marks: Marks holds #ERROR!, NaN (3 of 3 values)",
            "recTwo Total: Total is #DIVIDE_BY_ZERO");
  }

  @Test
  void all_is_resolved_from_the_schema_to_every_formula_rollup_lookup_and_count_field() {
    CheckEngine engine = engine(CheckSpec.Computed.ofAll()).resolve(SCHEMA);

    List<Issue> issues =
        run(
            engine,
            rec(
                "recA",
                "Total",
                ERROR,
                "Average",
                NAN,
                "Marks",
                List.of(INFINITY),
                "Classes",
                ERROR,
                // Not computed by the schema: never looked at by computed: all.
                "Note",
                ERROR));

    assertThat(issues)
        .extracting(i -> i.checkId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "computed:all Total: Total is #ERROR!",
            "computed:all Average: Average is NaN",
            "computed:all Marks: Marks holds Infinity (1 of 1 value)",
            "computed:all Classes: Classes is #ERROR!");
  }

  @Test
  void all_unresolved_reads_every_field_that_holds_an_error_in_name_order() {
    CheckEngine engine = engine(CheckSpec.Computed.ofAll());

    List<Issue> issues = run(engine, rec("recA", "Total", ERROR, "Name", "x", "Average", NAN));

    assertThat(issues).extracting(Issue::field).containsExactly("Average", "Total");
  }

  @Test
  void a_named_field_the_table_lacks_or_that_computes_nothing_is_a_schema_problem() {
    CheckEngine engine = engine(new CheckSpec.Computed(List.of("Total", "GPA", "Note")));

    assertThat(engine.validateAgainst(SCHEMA))
        .extracting(CheckEngine.SchemaProblem::message)
        .containsExactly(
            "entity things, check computed:Total+GPA+Note: table 'Things' has no" + " field 'GPA'");
    assertThat(engine.optionMismatches(SCHEMA))
        .extracting(CheckEngine.SchemaProblem::message)
        .containsExactly(
            "entity things, check computed:Total+GPA+Note: field 'Note' is of type multilineText,"
                + " not a formula, rollup, lookup or count: it never holds an error value");
  }
}
