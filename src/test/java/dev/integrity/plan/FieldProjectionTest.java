package dev.integrity.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.RuleLanguage;
import dev.integrity.model.BaseSchema;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldProjectionTest {
  private static EntityConfig entity(CheckSpec... checks) {
    return new EntityConfig("classes", "Classes", List.of(checks));
  }

  private static CheckSpec rule(String expr) {
    return new CheckSpec.Rule("r" + Math.abs(expr.hashCode()), expr);
  }

  @Test
  void the_primary_field_then_the_fields_every_check_names_in_order_without_repeats() {
    EntityConfig classes =
        entity(
            new CheckSpec.Required(List.of("Name", "Code")),
            new CheckSpec.Link("Teacher", "teachers", 1, 1),
            new CheckSpec.Allowed("Status", List.of("Active")),
            new CheckSpec.Unique(List.of("Code", "Term"), false),
            rule("r[\"End Date\"] >= r[\"Start Date\"] && r.Capacity > 0"));

    assertThat(FieldProjection.fields(classes, "Title"))
        .containsExactly(
            "Title",
            "Name",
            "Code",
            "Teacher",
            "Status",
            "Term",
            "End Date",
            "Start Date",
            "Capacity");
  }

  @Test
  void
      computed_all_asks_for_the_computed_fields_the_schema_lists_and_similar_for_its_same_fields() {
    BaseSchema schema =
        new BaseSchema(
            "appTEST",
            List.of(
                new BaseSchema.TableSchema(
                    "tblClasses",
                    "Classes",
                    "fldName",
                    List.of(
                        new BaseSchema.FieldSchema(
                            "fldName", "Name", "singleLineText", List.of(), null),
                        new BaseSchema.FieldSchema("fldSeats", "Seats", "count", List.of(), null),
                        new BaseSchema.FieldSchema(
                            "fldNote", "Note", "multilineText", List.of(), null),
                        new BaseSchema.FieldSchema(
                            "fldLoad", "Load", "formula", List.of(), null)))));
    EntityConfig classes =
        entity(
            new CheckSpec.Similar(List.of("Title"), 0.9, List.of("Term")),
            CheckSpec.Computed.ofAll());

    assertThat(FieldProjection.fields(classes, schema))
        .containsExactly("Name", "Title", "Term", "Seats", "Load");
    // Without the schema nobody knows which fields compute: every field.
    assertThat(FieldProjection.fields(classes, "Name")).isNull();
  }

  @Test
  void an_entity_without_checks_asks_for_the_primary_field_alone() {
    assertThat(FieldProjection.fields(entity(), "Name")).containsExactly("Name");
  }

  @Test
  void fields_all_asks_for_every_field() {
    EntityConfig all =
        new EntityConfig(
            "classes",
            "Classes",
            List.of(new CheckSpec.Required(List.of("Name"))),
            null,
            null,
            true);

    assertThat(FieldProjection.fields(all, "Name")).isNull();
    assertThat(FieldProjection.describe(all, null)).contains("fields: all");
  }

  @Test
  void a_rule_that_reads_the_record_as_a_whole_asks_for_every_field() {
    for (String expr :
        List.of(
            "size(r) > 2",
            "r.exists(k, k == 'x')",
            "r.all(k, r[k] != '')",
            "r[\"Na\" + \"me\"] != ''",
            "r == {}",
            "[r].size() == 1")) {
      EntityConfig e = entity(new CheckSpec.Required(List.of("Name")), rule(expr));
      assertThat(FieldProjection.fields(e, "Name")).as(expr).isNull();
      assertThat(FieldProjection.describe(e, null))
          .as(expr)
          .contains("reads the record as a whole");
    }
  }

  @Test
  void constant_keys_presence_tests_and_in_name_single_fields() {
    RuleLanguage.RecordReads reads =
        RuleLanguage.recordReads(
            "has(r.Email) && 'Phone' in r && r['Ext'] != '' && r.id != '' && r[\"id\"] != ''");

    assertThat(reads.wholeRecord()).isFalse();
    assertThat(reads.fields()).containsExactly("Email", "Phone", "Ext");
  }

  @Test
  void a_comprehension_variable_named_r_shadows_the_record() {
    RuleLanguage.RecordReads reads = RuleLanguage.recordReads("r.Tags.exists(r, r == 'Band')");

    assertThat(reads.wholeRecord()).isFalse();
    assertThat(reads.fields()).containsExactly("Tags");
  }

  @Test
  void a_list_field_iterated_is_one_field_not_the_whole_record() {
    RuleLanguage.RecordReads reads =
        RuleLanguage.recordReads("r[\"Tags\"].all(t, t != '') && size(r.Tags) < 5");

    assertThat(reads.wholeRecord()).isFalse();
    assertThat(reads.fields()).containsExactly("Tags");
  }

  @Test
  void the_primary_field_comes_from_the_base_schema() {
    BaseSchema schema =
        new BaseSchema(
            "appX",
            List.of(
                new BaseSchema.TableSchema(
                    "tblC",
                    "Classes",
                    "fldT",
                    List.of(
                        new BaseSchema.FieldSchema("fldN", "Name", "singleLineText", null, null),
                        new BaseSchema.FieldSchema(
                            "fldT", "Title", "singleLineText", null, null)))));

    assertThat(FieldProjection.fields(entity(new CheckSpec.Required(List.of("Name"))), schema))
        .containsExactly("Title", "Name");
    assertThat(FieldProjection.primaryField(schema, "Nope")).isEmpty();
  }
}
