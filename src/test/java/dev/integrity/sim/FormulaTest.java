package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.model.AirtableRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormulaTest {
  private static AirtableRecord record(String id, Map<String, Object> fields) {
    return new AirtableRecord(id, Instant.EPOCH, fields);
  }

  private static boolean eval(String formula, AirtableRecord r) {
    return Formula.parse(formula, null).matches(r);
  }

  @Test
  void regex_match_on_the_record_id_selects_by_its_fourth_character() {
    AirtableRecord a = record("recA0000000000000", Map.of());
    AirtableRecord z = record("recz0000000000000", Map.of());
    String first = "REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-V]\")";

    assertThat(eval(first, a)).isTrue();
    assertThat(eval(first, z)).isFalse();
    assertThat(eval("NOT(" + first + ")", z)).isTrue();
    assertThat(eval("NOT(" + first + ")", a)).isFalse();
  }

  @Test
  void and_or_and_field_comparisons_combine_as_in_airtable() {
    AirtableRecord active = record("recA0000000000000", Map.of("Status", "Active", "Seats", 12));
    AirtableRecord archived = record("recz0000000000000", Map.of("Status", "Archived"));
    String formula = "AND({Status} = 'Active',REGEX_MATCH(RECORD_ID(),\"^rec[A-Z]\"))";

    assertThat(eval(formula, active)).isTrue();
    assertThat(eval(formula, archived)).isFalse();
    assertThat(eval("OR({Status} = \"Archived\", {Seats} = 12)", active)).isTrue();
    assertThat(eval("{Status} != 'Active'", archived)).isTrue();
    assertThat(eval("{Seats} = 12.0", active)).isTrue();
    assertThat(eval("{Missing} = ''", active)).isTrue();
    assertThat(eval("{Seats}", archived)).isFalse();
    assertThat(eval("TRUE()", archived)).isTrue();
  }

  @Test
  void a_list_cell_compares_as_its_values_joined_with_commas() {
    AirtableRecord r = record("recA0000000000000", Map.of("Tags", List.of("Band", "ESL")));

    assertThat(eval("{Tags} = 'Band, ESL'", r)).isTrue();
    assertThat(eval("REGEX_MATCH({Tags}, 'ESL')", r)).isTrue();
  }

  @Test
  void formulas_it_does_not_know_are_refused_with_a_hint_not_ignored() {
    assertThatThrownBy(() -> Formula.parse("IS_AFTER({Date}, TODAY())", null))
        .isInstanceOf(Formula.InvalidFormulaException.class)
        .hasMessageContaining("unknown function IS_AFTER")
        .hasMessageContaining("refuses other formulas rather than ignore them");
    assertThatThrownBy(() -> Formula.parse("{Seats} > 3", null))
        .hasMessageContaining("unexpected '>'");
    assertThatThrownBy(() -> Formula.parse("AND({A} = 'x'", null))
        .hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> Formula.parse("REGEX_MATCH({A}, {B})", null))
        .hasMessageContaining("must be written as text");
  }

  @Test
  void a_field_the_table_does_not_have_is_an_error_as_in_airtable() {
    assertThatThrownBy(() -> Formula.parse("{Nope} = 'x'", Set.of("Name")))
        .isInstanceOf(Formula.InvalidFormulaException.class)
        .hasMessageContaining("Unknown field names: nope");
    assertThat(Formula.parse("{Name} = 'x'", Set.of("Name"))).hasToString("{Name} = 'x'");
  }
}
