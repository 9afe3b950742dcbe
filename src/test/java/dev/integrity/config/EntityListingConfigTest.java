package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The entity options that shape how a table is listed: {@code view}, {@code filter}, {@code
 * fields}.
 */
class EntityListingConfigTest {
  private static final Path FILE = Path.of("integrity.yml");

  private static String config(String entities) {
    return """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
        """
        + entities;
  }

  private static List<ConfigProblem> problems(String yaml) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems();
  }

  @Test
  void view_filter_and_fields_all_are_read_from_the_entity() {
    IntegrityConfig config =
        ConfigLoader.parse(
            config(
                """
                  students:
                    table: Students
                    view: Active
                    filter: "{Status} = 'Enrolled'"
                    fields: all
                    checks:
                      - required: [Name]
                """),
            FILE,
            Map.of());

    EntityConfig students = config.entity("students");
    assertThat(students.view()).isEqualTo("Active");
    assertThat(students.filter()).isEqualTo("{Status} = 'Enrolled'");
    assertThat(students.allFields()).isTrue();
  }

  @Test
  void an_entity_without_them_has_no_view_no_filter_and_is_projected() {
    IntegrityConfig config =
        ConfigLoader.parse(config("  students: {table: Students}\n"), FILE, Map.of());

    EntityConfig students = config.entity("students");
    assertThat(students.view()).isNull();
    assertThat(students.filter()).isNull();
    assertThat(students.allFields()).isFalse();
  }

  @Test
  void the_filter_may_come_from_the_environment() {
    IntegrityConfig config =
        ConfigLoader.parse(
            config("  students: {table: Students, filter: \"${ONLY}\"}\n"),
            FILE,
            Map.of("ONLY", "{Year} = 2026"));

    assertThat(config.entity("students").filter()).isEqualTo("{Year} = 2026");
  }

  @Test
  void fields_other_than_all_is_refused_with_file_line_and_field() {
    List<ConfigProblem> problems =
        problems(
            config(
                """
                  students:
                    table: Students
                    fields: [Name, Email]
                  classes:
                    table: Classes
                    fields: some
                """));

    assertThat(problems)
        .extracting(p -> p.file() + " " + p.line() + ":" + p.column() + " " + p.path())
        .containsExactly(
            "integrity.yml 7:13 entities.students.fields",
            "integrity.yml 10:13 entities.classes.fields");
    assertThat(problems.get(0).message()).contains("expected a single value");
    assertThat(problems.get(1).message()).contains("only 'all'").contains("'some'");
  }

  @Test
  void a_view_that_is_not_a_single_value_is_refused_where_it_is_written() {
    List<ConfigProblem> problems =
        problems(config("  students:\n    table: Students\n    view: {name: Active}\n"));

    assertThat(problems)
        .extracting(p -> p.line() + ":" + p.column() + " " + p.path())
        .containsExactly("7:11 entities.students.view");
  }

  @Test
  void an_unknown_entity_key_names_the_new_ones_among_the_expected() {
    List<ConfigProblem> problems =
        problems(config("  students:\n    table: Students\n    views: Active\n"));

    assertThat(problems).hasSize(1);
    assertThat(problems.getFirst().path()).isEqualTo("entities.students.views");
    assertThat(problems.getFirst().message())
        .contains("view")
        .contains("filter")
        .contains("fields");
  }
}
