package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.TOKEN;
import static dev.integrity.airtable.Fixtures.error;
import static dev.integrity.airtable.Fixtures.json;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Ticker;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListRecordsTest {
  private final MockWebServer server = new MockWebServer();
  private AirtableClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = new AirtableClient(settings(server).build(), Ticker.system(), AirtableListener.none());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("a request reached the server").isNotNull();
    return request;
  }

  @Test
  void three_pages_are_followed_by_offset_and_decoded_in_order() throws Exception {
    server.enqueue(ok(page("itr1/recB", "recA", "recB")));
    server.enqueue(ok(page("itr2/recD", "recC", "recD")));
    server.enqueue(ok(page(null, "recE")));
    List<PageEvent> events = new CopyOnWriteArrayList<>();

    TableFetch fetch =
        client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), events::add);

    assertThat(fetch.records())
        .extracting(AirtableRecord::id)
        .containsExactly("recA", "recB", "recC", "recD", "recE");
    assertThat(fetch.pages()).isEqualTo(3);
    assertThat(fetch.restarts()).isZero();
    assertThat(fetch.table()).isEqualTo("Classes");
    assertThat(events).extracting(PageEvent::page).containsExactly(1, 2, 3);
    assertThat(events).extracting(PageEvent::recordsSoFar).containsExactly(2, 4, 5);
    assertThat(events).allSatisfy(e -> assertThat(e.baseId()).isEqualTo(BASE));

    RecordedRequest first = take();
    assertThat(first.getMethod()).isEqualTo("GET");
    assertThat(first.getUrl().encodedPath()).isEqualTo("/v0/" + BASE + "/Classes");
    assertThat(first.getUrl().queryParameter("pageSize")).isEqualTo("100");
    assertThat(first.getUrl().queryParameter("offset")).isNull();
    assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("itr1/recB");
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("itr2/recD");
  }

  @Test
  void fields_are_decoded_to_plain_java_values() {
    String body =
        json(
            Map.of(
                "records",
                List.of(
                    Map.of(
                        "id",
                        "recX",
                        "createdTime",
                        "2024-05-01T10:15:30.000Z",
                        "fields",
                        Map.of(
                            "Name",
                            "Algebra",
                            "Capacity",
                            25,
                            "Rate",
                            12.5,
                            "Active",
                            true,
                            "Teacher",
                            List.of("recT1", "recT2"),
                            "Owner",
                            Map.of("email", "a@b.c"))))));
    server.enqueue(ok(body));

    AirtableRecord record =
        client
            .listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {})
            .records()
            .getFirst();

    assertThat(record.createdTime()).isEqualTo(Instant.parse("2024-05-01T10:15:30Z"));
    assertThat(record.fields())
        .containsEntry("Name", "Algebra")
        .containsEntry("Capacity", 25)
        .containsEntry("Rate", 12.5)
        .containsEntry("Active", true)
        .containsEntry("Teacher", List.of("recT1", "recT2"))
        .containsEntry("Owner", Map.of("email", "a@b.c"));
  }

  @Test
  void fields_view_and_formula_are_sent_as_encoded_query_parameters() throws Exception {
    server.enqueue(ok(page(null, "recA")));
    String formula = "AND({Status}='Active', {Capacity} > 10, FIND(\"&\", {Name}))";
    ListOptions options = new ListOptions(List.of("Name", "E-mail & Phone"), "Grid view", formula);

    client.listRecords(BASE, "Classes / 2024", options, FetchControl.create(), e -> {});

    RecordedRequest request = take();
    assertThat(request.getUrl().pathSegments()).containsExactly("v0", BASE, "Classes / 2024");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v0/" + BASE + "/Classes%20%2F%202024");
    assertThat(request.getUrl().queryParameterValues("fields[]"))
        .containsExactly("Name", "E-mail & Phone");
    assertThat(request.getUrl().queryParameter("view")).isEqualTo("Grid view");
    assertThat(request.getUrl().queryParameter("filterByFormula")).isEqualTo(formula);
    assertThat(request.getTarget()).contains("fields%5B%5D=Name").doesNotContain("& Phone");
  }

  @Test
  void a_formula_too_long_for_the_url_switches_to_post_list_records() throws Exception {
    server.enqueue(ok(page("itr1/recA", "recA")));
    server.enqueue(ok(page(null, "recB")));
    String formula = "OR(" + "{Code}='ABC-123',".repeat(1_100) + "FALSE())";
    assertThat(formula.length()).isGreaterThan(AirtableClient.MAX_URL_LENGTH);

    TableFetch fetch =
        client.listRecords(
            BASE,
            "Classes",
            new ListOptions(List.of("Code"), "Grid view", formula),
            FetchControl.create(),
            e -> {});

    assertThat(fetch.records()).extracting(AirtableRecord::id).containsExactly("recA", "recB");
    ObjectMapper mapper = new ObjectMapper();
    RecordedRequest first = take();
    assertThat(first.getMethod()).isEqualTo("POST");
    assertThat(first.getUrl().encodedPath()).isEqualTo("/v0/" + BASE + "/Classes/listRecords");
    assertThat(first.getUrl().querySize()).isZero();
    assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = mapper.readTree(first.getBody().utf8());
    assertThat(body.get("filterByFormula").asText()).isEqualTo(formula);
    assertThat(body.get("pageSize").asInt()).isEqualTo(100);
    assertThat(body.get("view").asText()).isEqualTo("Grid view");
    assertThat(body.get("fields").get(0).asText()).isEqualTo("Code");
    assertThat(body.has("offset")).isFalse();
    JsonNode second = mapper.readTree(take().getBody().utf8());
    assertThat(second.get("offset").asText()).isEqualTo("itr1/recA");
  }

  @Test
  void a_formula_that_fits_the_url_stays_a_get() throws Exception {
    server.enqueue(ok(page(null, "recA")));
    String formula = "OR(" + "{Code}='ABC-123',".repeat(500) + "FALSE())";

    client.listRecords(
        BASE, "Classes", new ListOptions(null, null, formula), FetchControl.create(), e -> {});

    RecordedRequest request = take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().queryParameter("filterByFormula")).isEqualTo(formula);
  }

  @Test
  void an_expired_offset_restarts_the_table_from_page_one_discarding_what_was_collected()
      throws Exception {
    server.enqueue(ok(page("itr1/recB", "recA", "recB")));
    server.enqueue(
        error(
            422,
            "LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
            "The iterator is no longer available. Start again."));
    server.enqueue(ok(page("itr9/recB", "recA", "recB")));
    server.enqueue(ok(page(null, "recC")));
    List<PageEvent> events = new CopyOnWriteArrayList<>();

    TableFetch fetch =
        client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), events::add);

    assertThat(fetch.records())
        .extracting(AirtableRecord::id)
        .containsExactly("recA", "recB", "recC");
    assertThat(fetch.restarts()).isEqualTo(1);
    assertThat(fetch.pages()).isEqualTo(2);
    assertThat(events).extracting(PageEvent::page).containsExactly(1, 1, 2);
    take();
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("itr1/recB");
    assertThat(take().getUrl().queryParameter("offset")).isNull();
    assertThat(take().getUrl().queryParameter("offset")).isEqualTo("itr9/recB");
  }

  @Test
  void offsets_that_keep_expiring_end_in_a_request_error_after_the_allowed_restarts() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(ok(page("itr/recA", "recA")));
      server.enqueue(error(422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "Iterator expired"));
    }

    assertThatThrownBy(
            () ->
                client.listRecords(
                    BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {}))
        .isInstanceOfSatisfying(
            AirtableRequestException.class,
            e -> {
              assertThat(e.errorType()).isEqualTo("LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
              assertThat(e.page()).isEqualTo(2);
              assertThat(e.table()).isEqualTo("Classes");
            })
        .hasMessageContaining("after 2 restarts")
        .hasMessageContaining("table 'Classes' of base " + BASE + ", page 2");
    assertThat(server.getRequestCount()).isEqualTo(6);
  }

  @Test
  void the_schema_is_read_from_the_meta_api() throws Exception {
    String body =
        json(
            Map.of(
                "tables",
                List.of(
                    Map.of(
                        "id", "tblCLASSES000001",
                        "name", "Classes",
                        "primaryFieldId", "fldNAME00000001",
                        "fields",
                            List.of(
                                Map.of(
                                    "id",
                                    "fldNAME00000001",
                                    "name",
                                    "Name",
                                    "type",
                                    "singleLineText"),
                                Map.of(
                                    "id", "fldSTATUS000001",
                                    "name", "Status",
                                    "type", "singleSelect",
                                    "options",
                                        Map.of(
                                            "choices",
                                            List.of(
                                                Map.of("id", "sel1", "name", "Active"),
                                                Map.of("id", "sel2", "name", "Archived")))),
                                Map.of(
                                    "id", "fldTEACHER00001",
                                    "name", "Teacher",
                                    "type", "multipleRecordLinks",
                                    "options", Map.of("linkedTableId", "tblTEACHERS00001")))))));
    server.enqueue(ok(body));

    BaseSchema schema = client.fetchSchema(BASE, FetchControl.create());

    RecordedRequest request = take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v0/meta/bases/" + BASE + "/tables");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    assertThat(schema.baseId()).isEqualTo(BASE);
    BaseSchema.TableSchema classes = schema.table("Classes").orElseThrow();
    assertThat(classes.id()).isEqualTo("tblCLASSES000001");
    assertThat(classes.primaryFieldId()).isEqualTo("fldNAME00000001");
    assertThat(classes.field("Status").orElseThrow().choices())
        .containsExactly("Active", "Archived");
    assertThat(classes.field("Teacher").orElseThrow().linkedTableId())
        .isEqualTo("tblTEACHERS00001");
    assertThat(classes.field("Name").orElseThrow().type()).isEqualTo("singleLineText");
  }

  @Test
  void every_attempt_is_reported_to_the_listener_with_method_and_status() {
    List<RequestEvent> requests = new CopyOnWriteArrayList<>();
    AirtableListener listener =
        new AirtableListener() {
          @Override
          public void onRequest(RequestEvent e) {
            requests.add(e);
          }
        };
    try (AirtableClient observed =
        new AirtableClient(settings(server).maxRetries(1).build(), Ticker.system(), listener)) {
      server.enqueue(Fixtures.status(503, "{}"));
      server.enqueue(ok(page(null, "recA")));

      observed.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {});
    }

    assertThat(requests).extracting(RequestEvent::status).containsExactly(503, 200);
    assertThat(requests).extracting(RequestEvent::method).containsOnly("GET");
    assertThat(requests).extracting(RequestEvent::table).containsOnly("Classes");
    assertThat(requests).allSatisfy(e -> assertThat(e.latency()).isPositive());
  }
}
