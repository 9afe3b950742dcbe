package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.nio.file.Path;
import java.util.HashMap;
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
}
