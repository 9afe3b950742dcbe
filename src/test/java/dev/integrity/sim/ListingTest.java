package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.AirtableRecord;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ListingTest {
  private static AirtableSimulator sim;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    Dataset data = Dataset.synthetic(Map.of("Big Table", 250, "Small", 3));
    sim = AirtableSimulator.builder().dataset(data).rateLimitPerSecond(0).build().start();
    http = new TestHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static String bigPath() {
    return http.listPath(
        URLEncoder.encode("Big Table", StandardCharsets.UTF_8).replace("+", "%20"));
  }

  @Test
  void following_offsets_lists_every_record_once_in_pages_of_at_most_100() {
    List<String> ids = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    Set<String> offsets = new HashSet<>();
    String offset = null;
    do {
      var a =
          http.get(
              bigPath()
                  + (offset == null
                      ? ""
                      : "?offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8)));
      assertThat(a.status()).isEqualTo(200);
      JsonNode page = a.json();
      page.get("records").forEach(r -> ids.add(r.get("id").asText()));
      pageSizes.add(page.get("records").size());
      offset = page.has("offset") ? page.get("offset").asText() : null;
      if (offset != null) {
        assertThat(offsets.add(offset)).isTrue();
        assertThat(offset).matches("itr[A-Za-z0-9]{14}/rec[A-Za-z0-9]{14}");
      }
    } while (offset != null);
    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(ids)
        .containsExactlyElementsOf(
            sim.dataset().table("Big Table").orElseThrow().records().stream()
                .map(AirtableRecord::id)
                .toList());
  }

  @Test
  void page_size_above_100_is_capped_and_smaller_sizes_are_honoured() {
    assertThat(http.get(bigPath() + "?pageSize=500").json().get("records")).hasSize(100);
    assertThat(http.get(bigPath() + "?pageSize=7").json().get("records")).hasSize(7);
  }

  @Test
  void the_table_can_be_named_by_id() {
    String id = sim.dataset().table("Small").orElseThrow().id();
    var page = http.get(http.listPath(id)).json();
    assertThat(page.get("records")).hasSize(3);
    assertThat(page.has("offset")).isFalse();
  }

  @Test
  void records_carry_id_created_time_and_fields() {
    JsonNode r = http.get(http.listPath("Small")).json().get("records").get(0);
    AirtableRecord expected = sim.dataset().table("Small").orElseThrow().records().get(0);
    assertThat(r.get("id").asText()).isEqualTo(expected.id());
    assertThat(r.get("createdTime").asText()).isEqualTo("2024-01-01T00:00:01.000Z");
    assertThat(r.get("fields").get("Name").asText()).isEqualTo("Row 1");
    assertThat(r.get("fields").get("Number").asInt()).isEqualTo(1);
  }

  @Test
  void fields_parameter_limits_the_fields_returned() {
    JsonNode r =
        http.get(http.listPath("Small") + "?fields%5B%5D=Number").json().get("records").get(0);
    assertThat(r.get("fields").fieldNames()).toIterable().containsExactly("Number");
    JsonNode r2 =
        http.get(http.listPath("Small") + "?fields[]=Name&fields[]=Number")
            .json()
            .get("records")
            .get(0);
    assertThat(r2.get("fields").fieldNames()).toIterable().containsExactly("Name", "Number");
  }

  @Test
  void fields_can_be_returned_by_field_id() {
    SimTable small = sim.dataset().table("Small").orElseThrow();
    JsonNode r =
        http.get(http.listPath("Small") + "?returnFieldsByFieldId=true")
            .json()
            .get("records")
            .get(0);
    assertThat(r.get("fields").fieldNames())
        .toIterable()
        .containsExactly(small.fields().get(0).id(), small.fields().get(1).id());
  }

  @Test
  void the_default_view_and_a_filter_by_formula_are_honoured_and_sort_is_accepted() {
    var a =
        http.get(
            http.listPath("Small")
                + "?view=Grid%20view&filterByFormula=%7BName%7D%3D%27Row%202%27&sort%5B0%5D%5Bfield%5D=Name");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("records")).hasSize(1);
    assertThat(a.json().get("records").get(0).get("fields").get("Name").asText())
        .isEqualTo("Row 2");
  }

  @Test
  void max_records_ends_the_listing_early() {
    JsonNode first = http.get(bigPath() + "?maxRecords=150").json();
    assertThat(first.get("records")).hasSize(100);
    String offset = first.get("offset").asText();
    JsonNode second =
        http.get(
                bigPath()
                    + "?maxRecords=150&offset="
                    + URLEncoder.encode(offset, StandardCharsets.UTF_8))
            .json();
    assertThat(second.get("records")).hasSize(50);
    assertThat(second.has("offset")).isFalse();
  }

  @Test
  void post_list_records_takes_the_same_parameters_in_a_json_body() {
    JsonNode first =
        http.post(bigPath() + "/listRecords", "{\"pageSize\": 60, \"fields\": [\"Name\"]}").json();
    assertThat(first.get("records")).hasSize(60);
    assertThat(first.get("records").get(0).get("fields").fieldNames())
        .toIterable()
        .containsExactly("Name");
    JsonNode second =
        http.post(
                bigPath() + "/listRecords",
                "{\"pageSize\": 60, \"offset\": \"" + first.get("offset").asText() + "\"}")
            .json();
    assertThat(second.get("records").get(0).get("fields").get("Name").asText()).isEqualTo("Row 61");
  }

  @Test
  void one_record_can_be_fetched_by_id() {
    AirtableRecord r = sim.dataset().table("Small").orElseThrow().records().get(1);
    var a = http.get(http.listPath("Small") + "/" + r.id());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("fields").get("Name").asText()).isEqualTo("Row 2");
    assertThat(http.get(http.listPath("Small") + "/recXXXXXXXXXXXXXX").status()).isEqualTo(404);
  }

  @Test
  void meta_api_describes_tables_fields_and_options() {
    try (var demoSim = AirtableSimulator.builder().rateLimitPerSecond(0).build().start()) {
      JsonNode tables =
          new TestHttp(demoSim)
              .get("/v0/meta/bases/" + Dataset.demoBaseId() + "/tables")
              .json()
              .get("tables");
      assertThat(tables).hasSize(4);
      Map<String, JsonNode> byName = new java.util.HashMap<>();
      tables.forEach(t -> byName.put(t.get("name").asText(), t));
      JsonNode classes = byName.get("Classes");
      assertThat(classes.get("id").asText()).matches("tbl[A-Za-z0-9]{14}");
      assertThat(classes.get("primaryFieldId").asText())
          .isEqualTo(classes.get("fields").get(0).get("id").asText());
      for (JsonNode t : tables) {
        for (JsonNode f : t.get("fields")) {
          assertThat(f.get("id").asText()).matches("fld[A-Za-z0-9]{14}");
          assertThat(f.get("name").asText()).isNotBlank();
          assertThat(f.get("type").asText()).isNotBlank();
        }
      }
      JsonNode teacher = field(classes, "Teacher");
      assertThat(teacher.get("type").asText()).isEqualTo("multipleRecordLinks");
      assertThat(teacher.at("/options/linkedTableId").asText())
          .isEqualTo(byName.get("Teachers").get("id").asText());
      JsonNode status = field(classes, "Status");
      assertThat(status.at("/options/choices"))
          .extracting(c -> c.get("name").asText())
          .containsExactly("Active", "Archived");
      JsonNode tags = field(byName.get("Students"), "Tags");
      assertThat(tags.get("type").asText()).isEqualTo("multipleSelects");
      assertThat(tags.at("/options/choices").size()).isEqualTo(DemoSchool.TAGS.size());
    }
  }

  @Test
  void demo_records_omit_empty_fields_on_the_wire() {
    try (var demoSim = AirtableSimulator.builder().rateLimitPerSecond(0).build().start()) {
      var client = new TestHttp(demoSim);
      String offset = null;
      int withoutEmail = 0;
      do {
        JsonNode page =
            client
                .get(
                    client.listPath("Teachers")
                        + (offset == null
                            ? ""
                            : "?offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8)))
                .json();
        for (JsonNode r : page.get("records")) {
          r.get("fields")
              .forEach(
                  v ->
                      assertThat(
                              v.isNull()
                                  || (v.isTextual() && v.asText().isEmpty())
                                  || (v.isArray() && v.isEmpty()))
                          .isFalse());
          if (!r.get("fields").has("Email")) {
            withoutEmail++;
          }
        }
        offset = page.has("offset") ? page.get("offset").asText() : null;
      } while (offset != null);
      assertThat(withoutEmail).isPositive();
    }
  }

  private static JsonNode field(JsonNode table, String name) {
    for (JsonNode f : table.get("fields")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no field " + name);
  }
}
