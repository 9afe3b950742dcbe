package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Listing through filterByFormula, views and fields[] against the demo base over HTTP. */
class FilterAndViewTest {
  private static AirtableSimulator sim;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    sim = AirtableSimulator.builder().dataset(Dataset.demo()).rateLimitPerSecond(0).build().start();
    http = new TestHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Every record id a listing returns, following offsets. */
  private static List<String> ids(String table, String query) {
    List<String> ids = new ArrayList<>();
    String offset = null;
    do {
      String sep = query.isEmpty() ? "?" : "?" + query + "&";
      var a = http.get(http.listPath(table) + sep + (offset == null ? "" : "offset=" + q(offset)));
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      JsonNode page = a.json();
      page.get("records").forEach(r -> ids.add(r.get("id").asText()));
      offset = page.has("offset") ? page.get("offset").asText() : null;
    } while (offset != null);
    return ids;
  }

  private static long count(String table, String status) {
    return sim.dataset().table(table).orElseThrow().records().stream()
        .filter(r -> status.equals(r.fields().get("Status")))
        .count();
  }

  @Test
  void partitions_on_the_record_id_list_every_record_of_a_table_exactly_once() {
    String first = "REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Z]\")";
    String second = "REGEX_MATCH(RECORD_ID(),\"^rec[a-m]\")";
    String rest = "NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Za-m]\"))";

    List<String> all = new ArrayList<>();
    for (String f : List.of(first, second, rest)) {
      all.addAll(ids("Students", "filterByFormula=" + q(f)));
    }

    Set<String> expected = new HashSet<>();
    sim.dataset().table("Students").orElseThrow().records().forEach(r -> expected.add(r.id()));
    assertThat(all).hasSize(expected.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(all)).isEqualTo(expected);
  }

  @Test
  void a_user_filter_and_a_partition_combine_with_and() {
    String active = "{Status} = 'Active'";
    List<String> a =
        ids(
            "Classes",
            "filterByFormula="
                + q("AND(" + active + ",REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Z]\"))"));
    List<String> b =
        ids(
            "Classes",
            "filterByFormula="
                + q("AND(" + active + ",NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Z]\")))"));

    assertThat(a.size() + b.size()).isEqualTo(count("Classes", "Active")).isPositive();
    assertThat(a).doesNotContainAnyElementsOf(b);
  }

  @Test
  void the_view_active_lists_only_the_records_it_selects() {
    List<String> classes = ids("Classes", "view=Active");
    List<String> enrollments = ids("Enrollments", "view=Active");

    assertThat(classes).hasSize((int) count("Classes", "Active"));
    assertThat(classes.size())
        .isLessThan(sim.dataset().table("Classes").orElseThrow().records().size());
    assertThat(enrollments).hasSize((int) count("Enrollments", "Enrolled"));
  }

  @Test
  void a_view_and_a_filter_together_select_records_both_accept() {
    String formula = "REGEX_MATCH(RECORD_ID(),\"^rec[a-z]\")";
    List<String> both = ids("Classes", "view=Active&filterByFormula=" + q(formula));

    long expected =
        sim.dataset().table("Classes").orElseThrow().records().stream()
            .filter(r -> "Active".equals(r.fields().get("Status")))
            .filter(r -> Character.isLowerCase(r.id().charAt(3)))
            .count();
    assertThat(both).hasSize((int) expected);
  }

  @Test
  void an_unknown_formula_is_answered_422_invalid_filter_by_formula() {
    var a =
        http.get(http.listPath("Classes") + "?filterByFormula=" + q("IS_AFTER({Start}, TODAY())"));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.json().get("error").get("type").asText()).isEqualTo("INVALID_FILTER_BY_FORMULA");
    assertThat(a.json().get("error").get("message").asText()).contains("IS_AFTER");
  }

  @Test
  void a_formula_naming_an_unknown_field_is_answered_422() {
    var a = http.get(http.listPath("Classes") + "?filterByFormula=" + q("{Nope} = 'x'"));

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.json().get("error").get("type").asText()).isEqualTo("INVALID_FILTER_BY_FORMULA");
  }

  @Test
  void an_unknown_view_is_answered_422_view_name_not_found() {
    var a = http.get(http.listPath("Classes") + "?view=Nope");

    assertThat(a.status()).isEqualTo(422);
    assertThat(a.json().get("error").get("type").asText()).isEqualTo("VIEW_NAME_NOT_FOUND");
    assertThat(a.json().get("error").get("message").asText()).contains("Nope");
  }

  @Test
  void the_post_variant_takes_view_and_formula_in_its_body() {
    var a =
        http.post(
            http.listPath("Classes") + "/listRecords",
            "{\"view\":\"Active\",\"filterByFormula\":\"REGEX_MATCH(RECORD_ID(),\\\"^rec[a-z]\\\")\"}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    a.json().get("records").forEach(r -> assertThat(r.get("id").asText().charAt(3)).isLowerCase());
  }

  @Test
  void the_meta_api_lists_the_named_views() {
    JsonNode tables = http.get("/v0/meta/bases/" + sim.dataset().baseId() + "/tables").json();
    List<String> views = new ArrayList<>();
    for (JsonNode t : tables.get("tables")) {
      if (t.get("name").asText().equals("Classes")) {
        t.get("views").forEach(v -> views.add(v.get("name").asText()));
      }
    }
    assertThat(views).containsExactly("Grid view", "Active");
  }

  @Test
  void fields_narrow_the_records_and_the_request_log_counts_the_bytes_answered() {
    sim.clearRequests();
    http.get(http.listPath("Students"));
    http.get(http.listPath("Students") + "?fields%5B%5D=Name");

    List<RequestLog> log = sim.requests();
    assertThat(log).hasSize(2);
    long full = log.get(0).bodyBytes();
    long narrow = log.get(1).bodyBytes();
    assertThat(narrow).isPositive().isLessThan(full);
    JsonNode record =
        http.get(http.listPath("Students") + "?fields%5B%5D=Name").json().get("records").get(0);
    assertThat(record.get("fields").properties())
        .extracting(e -> e.getKey())
        .containsExactly("Name");
  }
}
