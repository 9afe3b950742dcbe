package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.IntegrityException;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.ConfigException;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CheckEngineTest {

  private static FieldSchema field(String name) {
    return new FieldSchema("fld" + name.replace(" ", ""), name, "singleLineText", List.of(), null);
  }

  private static final BaseSchema SCHEMA =
      new BaseSchema(
          "appTEST",
          List.of(
              new TableSchema(
                  "tblThings",
                  "Things",
                  "fldName",
                  List.of(
                      field("Name"),
                      new FieldSchema(
                          "fldStatus",
                          "Status",
                          "singleSelect",
                          List.of("Active", "Archived"),
                          null),
                      new FieldSchema(
                          "fldTeacher", "Teacher", "multipleRecordLinks", List.of(), "tblOther"),
                      field("Start"))),
              new TableSchema("tblTeachers", "Teachers", "fldN", List.of(field("N")))));

  @Test
  void checks_naming_absent_fields_are_one_problem_per_entity_check_and_field() {
    CheckEngine engine =
        engine(
            new CheckSpec.Required(List.of("Name", "Nmae", "Email")),
            new CheckSpec.Rule("later", "r.End > r.Start && r['End'] != ''"),
            new CheckSpec.Allowed("Status", List.of("Active")));

    List<CheckEngine.SchemaProblem> problems = engine.validateAgainst(SCHEMA);

    assertThat(problems)
        .extracting(p -> p.entity() + " " + p.checkId() + " " + p.field())
        .containsExactly(
            "things required:Name+Nmae+Email Nmae",
            "things required:Name+Nmae+Email Email",
            "things rule:later End");
    assertThat(problems.getFirst().message())
        .isEqualTo(
            "entity things, check required:Name+Nmae+Email: table 'Things' has no field 'Nmae'");
  }

  @Test
  void a_missing_table_is_one_problem_for_its_entity() {
    BaseSchema noTeachers = new BaseSchema("appTEST", List.of(SCHEMA.tables().getFirst()));

    List<CheckEngine.SchemaProblem> problems = engine().validateAgainst(noTeachers);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.entity()).isEqualTo("teachers");
              assertThat(p.checkId()).isNull();
              assertThat(p.message()).contains("has no table 'Teachers'");
            });
  }

  @Test
  void option_mismatches_name_allowed_values_that_are_not_select_choices_and_wrong_link_tables() {
    CheckEngine engine =
        engine(
            new CheckSpec.Allowed("Status", List.of("Active", "Retired")),
            new CheckSpec.Link("Teacher", "teachers", 0, 1));

    List<CheckEngine.SchemaProblem> problems = engine.optionMismatches(SCHEMA);

    assertThat(problems)
        .extracting(CheckEngine.SchemaProblem::message)
        .containsExactly(
            "entity things, check allowed:Status: allowed value 'Retired' is not an option of"
                + " field 'Status' (options: Active, Archived)",
            "entity things, check link:Teacher: field 'Teacher' links to table tblOther, not to"
                + " teachers's table 'Teachers'");
  }

  @Test
  void an_unknown_entity_is_refused_naming_the_known_ones() {
    assertThatThrownBy(() -> engine().evaluate("thngs", List.of(), Map.of(), i -> {}))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("thngs")
        .hasMessageContaining("things");
  }

  @Test
  void a_link_to_an_entity_missing_from_a_config_built_in_code_is_refused_at_compile() {
    assertThatThrownBy(() -> engine(new CheckSpec.Link("T", "rooms", 0, 1)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rooms");
  }

  @Test
  void issues_stream_into_the_sink_as_records_are_checked() {
    CheckEngine engine = engine(new CheckSpec.Required(List.of("Name")));
    List<String> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                engine.evaluate(
                    "things",
                    List.of(rec("rec1"), rec("rec2"), rec("rec3")),
                    Map.of(),
                    issue -> {
                      seen.add(issue.recordId());
                      if (seen.size() == 2) {
                        throw new IllegalStateException("store is down");
                      }
                    }))
        .hasMessage("store is down");
    assertThat(seen).containsExactly("rec1", "rec2");
  }

  @Test
  void an_interrupted_thread_stops_the_evaluation_and_keeps_its_flag() {
    CheckEngine engine = engine(new CheckSpec.Required(List.of("Name")));
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> engine.evaluate("things", List.of(rec("a")), Map.of(), i -> {}))
          .isInstanceOf(EvaluationInterruptedException.class)
          .hasMessageContaining("'things'");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void concurrent_evaluations_of_one_engine_give_the_same_issues_as_a_single_one()
      throws Exception {
    CheckEngine engine =
        engine(
            new CheckSpec.Unique(List.of("Email"), true),
            new CheckSpec.Rule("pos", "r.N > 0"),
            new CheckSpec.Pattern("Email", "@"));
    List<AirtableRecord> records =
        IntStream.range(0, 2_000)
            .mapToObj(i -> rec("rec" + i, "Email", "u" + (i % 1500) + "@x.io", "N", (long) (i % 7)))
            .toList();
    List<Issue> expected = new ArrayList<>();
    engine.evaluate("things", records, Map.of(), expected::add);

    ExecutorService pool =
        Executors.newFixedThreadPool(4, Thread.ofPlatform().name("eval-", 0).factory());
    try {
      List<Future<List<Issue>>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  List<Issue> issues = new ArrayList<>();
                  engine.evaluate("things", records, Map.of(), issues::add);
                  return issues;
                }));
      }
      for (Future<List<Issue>> f : futures) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(expected).hasSize(1000 + 2_000 / 7 + 1);
  }
}
