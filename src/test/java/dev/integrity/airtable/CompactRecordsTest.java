package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.model.AirtableRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 18: fetched records keep only the fields asked for, compactly, read as plain maps. */
class CompactRecordsTest {
  private static final String PAGE =
      """
      {"records": [
        {"id": "recA0000000000001", "createdTime": "2024-01-01T00:00:00.000Z",
         "fields": {"Name": "Ada", "Grade": 10, "Score": 9.5, "Active": true,
                    "Class": ["recC0000000000001"], "Tags": ["Band", "Choir"],
                    "Photo": [{"id": "att1", "url": "https://x/a.png"}],
                    "Notes": "nobody checks this", "Big": 12345678901}},
        {"id": "recA0000000000002", "createdTime": "2024-01-01T00:00:01.000Z",
         "fields": {"Name": "Bob", "Class": ["recC0000000000001"], "Status": "Enrolled"}}
      ]}
      """;

  private final AirtableJson json = new AirtableJson();
  private final ObjectMapper mapper = new ObjectMapper();

  /** What a plain Jackson decoding of each record's fields gives: the values before issue 18. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> plain() throws Exception {
    List<Map<String, Object>> out = new java.util.ArrayList<>();
    for (var record : mapper.readTree(PAGE).get("records")) {
      out.add(mapper.convertValue(record.get("fields"), LinkedHashMap.class));
    }
    return out;
  }

  @Test
  void every_field_is_kept_with_the_values_a_plain_decoding_gives_when_none_was_named()
      throws Exception {
    List<AirtableRecord> records = json.page(PAGE, json.decoder(List.of())).records();

    assertThat(records).extracting(AirtableRecord::fields).containsExactlyElementsOf(plain());
    Map<String, Object> ada = records.get(0).fields();
    assertThat(ada.get("Grade")).isInstanceOf(Integer.class).isEqualTo(10);
    assertThat(ada.get("Big")).isInstanceOf(Long.class);
    assertThat(ada.get("Score")).isInstanceOf(Double.class);
    assertThat(ada.get("Photo")).isEqualTo(List.of(Map.of("id", "att1", "url", "https://x/a.png")));
    // The second record named a field the first did not: the first is unchanged by it.
    assertThat(ada).doesNotContainKey("Status").hasSize(9);
    assertThat(records.get(1).fields())
        .containsExactly(
            Map.entry("Name", "Bob"),
            Map.entry("Class", List.of("recC0000000000001")),
            Map.entry("Status", "Enrolled"));
  }

  @Test
  void only_the_fields_asked_for_are_kept_in_the_order_asked() throws Exception {
    List<AirtableRecord> records =
        json.page(PAGE, json.decoder(List.of("Name", "Class", "Status"))).records();

    assertThat(records.get(0).fields())
        .containsExactly(Map.entry("Name", "Ada"), Map.entry("Class", List.of("recC0000000000001")))
        .doesNotContainKeys("Notes", "Grade", "Status");
    assertThat(records.get(0).fields().get("Notes")).isNull();
    assertThat(records.get(1).fields())
        .isEqualTo(
            Map.of("Name", "Bob", "Class", List.of("recC0000000000001"), "Status", "Enrolled"));
  }

  @Test
  void records_of_one_iteration_share_a_repeated_link_and_their_fields_cannot_change()
      throws Exception {
    RecordDecoder decoder = json.decoder(List.of("Name", "Class"));
    List<AirtableRecord> records = json.page(PAGE, decoder).records();
    List<AirtableRecord> again = json.page(PAGE, decoder).records();

    assertThat(records.get(1).fields().get("Class")).isSameAs(records.get(0).fields().get("Class"));
    assertThat(again.get(0).fields().get("Name")).isSameAs(records.get(0).fields().get("Name"));
    Map<String, Object> fields = records.get(0).fields();
    assertThatThrownBy(() -> fields.put("Name", "Eve"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> fields.entrySet().iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
