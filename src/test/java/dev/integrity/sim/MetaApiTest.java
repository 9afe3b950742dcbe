package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Meta API of the simulator describes fields as Airtable does: types, options, links. */
class MetaApiTest {
  private static final Path ALL_TYPES = Path.of("src/test/resources/datasets/all-field-types");

  @TempDir Path dir;

  private static Map<String, JsonNode> fieldsByName(JsonNode meta, String table) {
    Map<String, JsonNode> fields = new HashMap<>();
    for (JsonNode t : meta.get("tables")) {
      if (t.get("name").asText().equals(table)) {
        t.get("fields").forEach(f -> fields.put(f.get("name").asText(), f));
      }
    }
    return fields;
  }

  @Test
  void every_field_type_is_served_with_its_name_and_airtable_shaped_options() {
    Dataset all = Dataset.load(ALL_TYPES);
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(all).rateLimitPerSecond(0).build().start()) {
      JsonNode meta = new TestHttp(sim).get("/v0/meta/bases/" + all.baseId() + "/tables").json();
      Map<String, JsonNode> f = fieldsByName(meta, "Everything: every type");

      for (String type : new String[] {"multipleLookupValues", "rollup", "button", "aiText"}) {
        assertThat(f.get("A " + type).get("type").asText()).isEqualTo(type);
      }
      assertThat(f.get("A aFieldTypeAirtableAddsLater").has("options")).isFalse();
      JsonNode link = f.get("A multipleRecordLinks").get("options");
      assertThat(link.get("linkedTableId").asText())
          .isEqualTo(all.table("Companies").orElseThrow().id());
      assertThat(link.get("prefersSingleRecordLink").asBoolean()).isTrue();
      assertThat(f.get("Employees").at("/options/prefersSingleRecordLink").asBoolean()).isFalse();
      assertThat(f.get("A singleSelect").at("/options/choices/1/name").asText())
          .isEqualTo("Closed, for now");
      assertThat(f.get("A currency").at("/options/symbol").asText()).isEqualTo("$");
      assertThat(f.get("A formula").at("/options/result/type").asText())
          .isEqualTo("singleLineText");
      assertThat(f.get("A dateTime").at("/options/timeZone").asText()).isEqualTo("utc");
    }
  }

  @Test
  void the_demo_links_prefer_a_single_record_and_a_written_dataset_keeps_that() {
    Dataset demo = Dataset.demo();
    FieldSchema teacher = demo.table("Classes").orElseThrow().field("Teacher").orElseThrow();
    assertThat(teacher.prefersSingleRecordLink()).isTrue();

    Dataset all = Dataset.load(ALL_TYPES);
    all.writeTo(dir);
    Dataset again = Dataset.load(dir);
    assertThat(again.schema()).isEqualTo(all.schema());
    assertThat(
            again
                .table("Everything: every type")
                .orElseThrow()
                .field("A multipleRecordLinks")
                .orElseThrow()
                .prefersSingleRecordLink())
        .isTrue();
  }

  @Test
  void computed_fields_say_what_they_compute_and_which_link_they_follow() {
    Dataset all = Dataset.load(ALL_TYPES);
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(all).rateLimitPerSecond(0).build().start()) {
      JsonNode meta = new TestHttp(sim).get("/v0/meta/bases/" + all.baseId() + "/tables").json();
      Map<String, JsonNode> f = fieldsByName(meta, "Everything: every type");
      Map<String, JsonNode> companies = fieldsByName(meta, "Companies");
      Map<String, JsonNode> people = fieldsByName(meta, "People");
      String link = f.get("A multipleRecordLinks").get("id").asText();
      String company = companies.get("Company").get("id").asText();

      JsonNode rollup = f.get("A rollup").get("options");
      assertThat(rollup.at("/result/type").asText()).isEqualTo("number");
      assertThat(rollup.get("recordLinkFieldId").asText()).isEqualTo(link);
      assertThat(rollup.get("fieldIdInLinkedTable").asText()).isEqualTo(company);
      JsonNode lookup = f.get("A lookup").get("options");
      assertThat(lookup.at("/result/type").asText())
          .as("a lookup computes values of the looked-up field's type")
          .isEqualTo("email");
      assertThat(lookup.get("recordLinkFieldId").asText()).isEqualTo(link);
      assertThat(lookup.get("fieldIdInLinkedTable").asText()).isEqualTo(company);
      JsonNode names = f.get("A multipleLookupValues").get("options");
      assertThat(names.get("recordLinkFieldId").asText())
          .isEqualTo(f.get("Employees").get("id").asText());
      assertThat(names.get("fieldIdInLinkedTable").asText())
          .isEqualTo(people.get("Name").get("id").asText());
      assertThat(names.at("/result/type").asText()).isEqualTo("singleLineText");
      assertThat(f.get("A count").at("/options/recordLinkFieldId").asText()).isEqualTo(link);
      assertThat(f.get("A count").at("/options/result").isMissingNode()).isTrue();
      // Undeclared: single line text, and no link.
      assertThat(f.get("A formula").at("/options/result/type").asText())
          .isEqualTo("singleLineText");
      assertThat(f.get("A formula").at("/options/recordLinkFieldId").isMissingNode()).isTrue();

      // What the client reads back is what the dataset declares.
      FieldSchema declared =
          all.table("Everything: every type").orElseThrow().field("A rollup").orElseThrow();
      assertThat(declared.computed()).isEqualTo(new BaseSchema.Computed("number", link, company));
    }
  }

  @Test
  void a_lookup_of_a_select_describes_the_choices_with_the_ids_payloads_use() {
    FieldSchema status =
        new FieldSchema(
            "fldStatus00000001", "Status", "singleSelect", List.of("Active", "Away"), null);
    FieldSchema name = new FieldSchema("fldName0000000001", "Name", "singleLineText", null, null);
    FieldSchema owner =
        new FieldSchema(
            "fldOwner000000001", "Owner", "multipleRecordLinks", null, "tblOwners00000001");
    FieldSchema ownerStatus =
        new FieldSchema(
            "fldOwnerStatus001",
            "Owner status",
            "multipleLookupValues",
            null,
            null,
            false,
            new BaseSchema.Computed("singleSelect", owner.id(), status.id()));
    Dataset dataset =
        Dataset.of(
            "appLookupSelect01",
            List.of(
                new SimTable(
                    "tblOwners00000001", "Owners", name.id(), List.of(name, status), List.of()),
                new SimTable(
                    "tblItems000000001",
                    "Items",
                    name.id(),
                    List.of(name, owner, ownerStatus),
                    List.of())));
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start()) {
      JsonNode meta =
          new TestHttp(sim).get("/v0/meta/bases/" + dataset.baseId() + "/tables").json();
      JsonNode result = fieldsByName(meta, "Items").get("Owner status").at("/options/result");
      assertThat(result.get("type").asText()).isEqualTo("singleSelect");
      assertThat(result.at("/options/choices/1/name").asText()).isEqualTo("Away");
      assertThat(result.at("/options/choices/1/id").asText())
          .isEqualTo(
              fieldsByName(meta, "Owners").get("Status").at("/options/choices/1/id").asText());
    }
  }
}
