package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code computed} and {@code similar} checks as the config file writes them. */
class ValueChecksConfigTest {
  private static final Path FILE = Path.of("integrity.yml");

  private static String config(String checks) {
    return """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
          students:
            table: Students
            checks:
        """
        + checks.indent(6);
  }

  private static List<CheckSpec> checks(String checks) {
    return ConfigLoader.parse(config(checks), FILE, Map.of()).entities().get("students").checks();
  }

  private static List<String> problems(String checks) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(config(checks), FILE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems().stream().map(p -> p.line() + " " + p.path() + ": " + p.message()).toList();
  }

  @Test
  void computed_names_its_fields_or_all_and_gets_its_id_from_them() {
    List<CheckSpec> checks =
        checks(
            """
            - computed: [GPA, Total]
            - computed: all
              severity: warn
            - computed: [all]
              id: the-field-called-all
            """);

    assertThat(checks)
        .containsExactly(
            new CheckSpec.Computed(
                List.of("GPA", "Total"), false, null, null, checks.get(0).location()),
            new CheckSpec.Computed(List.of(), true, null, Severity.WARN, checks.get(1).location()),
            new CheckSpec.Computed(
                List.of("all"), false, "the-field-called-all", null, checks.get(2).location()));
    assertThat(checks)
        .extracting(CheckSpec::id)
        .containsExactly("computed:GPA+Total", "computed:all", "the-field-called-all");
    assertThat(checks.get(1).fields()).isEmpty();
  }

  @Test
  void similar_takes_fields_a_threshold_defaulting_to_0_9_and_same_fields() {
    List<CheckSpec> checks =
        checks(
            """
            - similar: {fields: [First Name, Last Name], threshold: 0.85, same: [Birth Date]}
            - similar: [Name]
            """);

    CheckSpec.Similar names = (CheckSpec.Similar) checks.get(0);
    assertThat(names.compared()).containsExactly("First Name", "Last Name");
    assertThat(names.threshold()).isEqualTo(0.85);
    assertThat(names.same()).containsExactly("Birth Date");
    assertThat(names.id()).isEqualTo("similar:First Name+Last Name");
    // The schema check sees every field it reads, the same ones too.
    assertThat(names.fields()).containsExactly("First Name", "Last Name", "Birth Date");
    CheckSpec.Similar plain = (CheckSpec.Similar) checks.get(1);
    assertThat(plain.threshold()).isEqualTo(0.9);
    assertThat(plain.same()).isEmpty();
    assertThat(plain.id()).isEqualTo("similar:Name");
  }

  @Test
  void a_threshold_outside_0_to_1_or_not_a_number_is_refused_with_its_line() {
    assertThat(problems("- similar: {fields: [Name], threshold: 1.5}"))
        .singleElement()
        .asString()
        .contains("entities.students.checks[0].similar.threshold")
        .contains("threshold must be a number from 0 to 1 (a similarity score), got '1.5'");
    assertThat(problems("- similar: {fields: [Name], threshold: -0.1}"))
        .singleElement()
        .asString()
        .contains("got '-0.1'");
    assertThat(problems("- similar: {fields: [Name], threshold: high}"))
        .singleElement()
        .asString()
        .contains("got 'high'");
  }

  @Test
  void similar_without_fields_an_unknown_option_or_a_field_both_compared_and_same_is_refused() {
    assertThat(problems("- similar: {threshold: 0.9}"))
        .singleElement()
        .asString()
        .contains("missing option 'fields'");
    assertThat(problems("- similar: {fields: [Name], treshold: 0.9}"))
        .singleElement()
        .asString()
        .contains("unknown option 'treshold' for a similar check");
    assertThat(problems("- similar: {fields: [Name, Birth Date], same: [Birth Date]}"))
        .singleElement()
        .asString()
        .contains("field 'Birth Date' is both compared (fields) and required equal (same)");
    assertThat(problems("- similar: {fields: [Name, Name]}"))
        .singleElement()
        .asString()
        .contains("a field is named twice");
  }

  @Test
  void computed_without_fields_or_with_an_empty_name_is_refused() {
    assertThat(problems("- computed: []"))
        .singleElement()
        .asString()
        .contains("name at least one field");
    assertThat(problems("- computed: {fields: [GPA, \"\"]}"))
        .singleElement()
        .asString()
        .contains("no empty field names");
  }
}
