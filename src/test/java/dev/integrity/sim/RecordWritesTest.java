package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Airtable's record writes on the simulator, over real HTTP, and the webhook payloads they feed.
 */
class RecordWritesTest {
  static final String BASE = "appWritesTest0001";
  static final String TEACHER_1 = "recTeacher0000001";
  static final String TEACHER_2 = "recTeacher0000002";
  static final String CLASS_1 = "recClass000000001";

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  final TestHttp.ManualTicker ticker = new TestHttp.ManualTicker();
  AirtableSimulator sim;
  TestHttp http;

  static Dataset school() {
    String tt = "tblTeachers000001";
    String tc = "tblClasses0000001";
    List<FieldSchema> teacherFields =
        List.of(
            new FieldSchema("fldTName000000001", "Name", "singleLineText", null, null),
            new FieldSchema("fldTEmail00000001", "Email", "email", null, null),
            new FieldSchema(
                "fldTSubject000001", "Subject", "singleSelect", List.of("Math", "Art"), null),
            new FieldSchema("fldTHired00000001", "Hired", "date", null, null),
            new FieldSchema("fldTScore00000001", "Score", "number", null, null),
            new FieldSchema("fldTUpper00000001", "Upper", "formula", null, null));
    Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
    List<AirtableRecord> teachers =
        List.of(
            new AirtableRecord(
                TEACHER_1,
                t0,
                fields("Name", "Ada", "Email", "ada@school.org", "Subject", "Math", "Score", 5)),
            new AirtableRecord(
                TEACHER_2, t0.plusSeconds(1), fields("Name", "Bo", "Email", "bo@school.org")));
    List<FieldSchema> classFields =
        List.of(
            new FieldSchema("fldCName000000001", "Name", "singleLineText", null, null),
            new FieldSchema("fldCTeacher000001", "Teacher", "multipleRecordLinks", null, tt, true));
    List<AirtableRecord> classes =
        List.of(
            new AirtableRecord(
                CLASS_1, t0, fields("Name", "Algebra", "Teacher", List.of(TEACHER_1))));
    return Dataset.of(
        BASE,
        List.of(
            new SimTable(tt, "Teachers", "fldTName000000001", teacherFields, teachers)
                .withView("Math", "{Subject} = 'Math'"),
            new SimTable(tc, "Classes", "fldCName000000001", classFields, classes)));
  }

  static Map<String, Object> fields(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }

  @BeforeEach
  void start() {
    sim =
        AirtableSimulator.builder()
            .dataset(school())
            .rateLimitPerSecond(5)
            .clock(clock)
            .ticker(ticker)
            .build()
            .start();
    http = new TestHttp(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  String path(String rest) {
    return "/v0/" + BASE + "/" + rest;
  }

  /** One request, then a second of the ticker, so a test's writes stay under the rate limit. */
  TestHttp.Answer send(String method, String pathAndQuery, String json) {
    RequestBody body =
        json == null ? null : RequestBody.create(json, MediaType.get("application/json"));
    TestHttp.Answer a = http.call(http.request(pathAndQuery).method(method, body).build());
    ticker.advance(Duration.ofSeconds(1));
    return a;
  }

  String webhook() {
    TestHttp.Answer a = send("POST", "/v0/bases/" + BASE + "/webhooks", WebhooksTest.SPEC);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json().get("id").asText();
  }

  List<JsonNode> payloads(String hook) {
    TestHttp.Answer a = send("GET", "/v0/bases/" + BASE + "/webhooks/" + hook + "/payloads", null);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    a.json().get("payloads").forEach(out::add);
    return out;
  }

  JsonNode listed(String table, String recordId) {
    TestHttp.Answer a = send("GET", path(table), null);
    assertThat(a.status()).isEqualTo(200);
    for (JsonNode r : a.json().get("records")) {
      if (r.get("id").asText().equals(recordId)) {
        return r;
      }
    }
    return null;
  }

  @Test
  void created_records_are_answered_in_airtables_shape_listed_after_and_sent_as_one_payload() {
    String hook = webhook();

    TestHttp.Answer a =
        send(
            "POST",
            path("Teachers"),
            "{\"records\":[{\"fields\":{\"Name\":\"Cy\",\"Email\":\"cy@school.org\","
                + "\"Subject\":\"Art\",\"Hired\":\"2024-09-01\",\"Score\":7}},"
                + "{\"fields\":{\"Name\":\"Di\"}}]}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonNode records = a.json().get("records");
    assertThat(records).hasSize(2);
    JsonNode cy = records.get(0);
    assertThat(cy.get("id").asText()).matches("rec[A-Za-z0-9]{14}");
    assertThat(cy.get("createdTime").asText()).isEqualTo("2026-03-01T00:00:00.000Z");
    assertThat(cy.get("fields").get("Subject").asText()).isEqualTo("Art");
    assertThat(cy.get("fields").get("Score").asInt()).isEqualTo(7);
    assertThat(listed("Teachers", cy.get("id").asText()).get("fields")).isEqualTo(cy.get("fields"));

    List<JsonNode> p = payloads(hook);
    assertThat(p).hasSize(1);
    JsonNode created =
        p.get(0)
            .at("/changedTablesById/tblTeachers000001/createdRecordsById")
            .get(cy.get("id").asText());
    assertThat(created.at("/cellValuesByFieldId/fldTName000000001").asText()).isEqualTo("Cy");
    assertThat(created.at("/cellValuesByFieldId/fldTSubject000001/name").asText()).isEqualTo("Art");
    assertThat(p.get(0).at("/changedTablesById/tblTeachers000001/createdRecordsById").size())
        .isEqualTo(2);
  }

  @Test
  void a_single_fields_body_creates_one_record_answered_as_that_record() {
    TestHttp.Answer a = send("POST", path("tblTeachers000001"), "{\"fields\":{\"Name\":\"Ed\"}}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().has("records")).isFalse();
    assertThat(a.json().get("fields").get("Name").asText()).isEqualTo("Ed");
    assertThat(listed("Teachers", a.json().get("id").asText())).isNotNull();
  }

  @Test
  void patch_changes_only_the_named_fields_and_the_payload_has_current_and_previous_values() {
    String hook = webhook();

    TestHttp.Answer many =
        send(
            "PATCH",
            path("Teachers"),
            "{\"records\":[{\"id\":\""
                + TEACHER_1
                + "\",\"fields\":{\"Email\":\"ada@new.org\"}},{\"id\":\""
                + TEACHER_2
                + "\",\"fields\":{\"Score\":3}}]}");
    TestHttp.Answer one =
        send(
            "PATCH",
            path("Classes/" + CLASS_1),
            "{\"fields\":{\"Teacher\":[\"" + TEACHER_2 + "\"]}}");

    assertThat(many.status()).as(many.body()).isEqualTo(200);
    assertThat(many.json().at("/records/0/fields/Email").asText()).isEqualTo("ada@new.org");
    assertThat(many.json().at("/records/0/fields/Name").asText()).isEqualTo("Ada");
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().at("/fields/Teacher/0").asText()).isEqualTo(TEACHER_2);
    JsonNode ada = listed("Teachers", TEACHER_1).get("fields");
    assertThat(ada.get("Email").asText()).isEqualTo("ada@new.org");
    assertThat(ada.get("Subject").asText()).isEqualTo("Math");

    List<JsonNode> p = payloads(hook);
    assertThat(p).as("one payload per request").hasSize(2);
    JsonNode changed =
        p.get(0).at("/changedTablesById/tblTeachers000001/changedRecordsById/" + TEACHER_1);
    assertThat(changed.at("/current/cellValuesByFieldId/fldTEmail00000001").asText())
        .isEqualTo("ada@new.org");
    assertThat(changed.at("/previous/cellValuesByFieldId/fldTEmail00000001").asText())
        .isEqualTo("ada@school.org");
    assertThat(
            p.get(1)
                .at(
                    "/changedTablesById/tblClasses0000001/changedRecordsById/"
                        + CLASS_1
                        + "/current/cellValuesByFieldId/fldCTeacher000001/0/id")
                .asText())
        .isEqualTo(TEACHER_2);
  }

  @Test
  void a_named_view_selects_by_the_written_values_after_a_write() {
    TestHttp.Answer a =
        send("PATCH", path("Teachers/" + TEACHER_2), "{\"fields\":{\"Subject\":\"Math\"}}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    TestHttp.Answer math = send("GET", path("Teachers") + "?view=Math", null);
    assertThat(math.status()).as(math.body()).isEqualTo(200);
    assertThat(math.json().get("records"))
        .extracting(r -> r.get("id").asText())
        .containsExactly(TEACHER_1, TEACHER_2);
  }

  @Test
  void put_clears_every_field_it_does_not_name_and_null_clears_a_field() {
    TestHttp.Answer put =
        send("PUT", path("Teachers/" + TEACHER_1), "{\"fields\":{\"Name\":\"Ada L.\"}}");
    TestHttp.Answer cleared =
        send(
            "PATCH",
            path("Teachers"),
            "{\"records\":[{\"id\":\"" + TEACHER_2 + "\",\"fields\":{\"Email\":null}}]}");

    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(listed("Teachers", TEACHER_1).get("fields").properties())
        .extracting(Map.Entry::getKey)
        .containsExactly("Name");
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
    assertThat(listed("Teachers", TEACHER_2).get("fields").has("Email")).isFalse();
  }

  @Test
  void deleted_records_are_answered_as_deleted_gone_from_reads_and_destroyed_in_the_payload() {
    String hook = webhook();

    TestHttp.Answer many =
        send(
            "DELETE",
            path("Teachers") + "?records[]=" + TEACHER_1 + "&records%5B%5D=" + TEACHER_2,
            null);
    TestHttp.Answer one = send("DELETE", path("Classes/" + CLASS_1), null);

    assertThat(many.status()).as(many.body()).isEqualTo(200);
    assertThat(many.json().get("records"))
        .extracting(r -> r.get("id").asText() + " " + r.get("deleted").asBoolean())
        .containsExactly(TEACHER_1 + " true", TEACHER_2 + " true");
    assertThat(one.json().get("id").asText()).isEqualTo(CLASS_1);
    assertThat(one.json().get("deleted").asBoolean()).isTrue();
    assertThat(send("GET", path("Teachers/" + TEACHER_1), null).status()).isEqualTo(404);
    assertThat(listed("Classes", CLASS_1)).isNull();
    List<JsonNode> p = payloads(hook);
    assertThat(p).hasSize(2);
    assertThat(p.get(0).at("/changedTablesById/tblTeachers000001/destroyedRecordIds"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(TEACHER_1, TEACHER_2);
  }

  @Test
  void bad_writes_get_airtables_errors_and_change_nothing_nor_record_a_payload() {
    String hook = webhook();
    StringBuilder eleven = new StringBuilder("{\"records\":[");
    for (int i = 0; i < 11; i++) {
      eleven.append(i == 0 ? "" : ",").append("{\"fields\":{\"Name\":\"N").append(i).append("\"}}");
    }
    eleven.append("]}");

    assertError(send("POST", path("Teachers"), eleven.toString()), 422, "INVALID_RECORDS");
    assertError(
        send("POST", path("Teachers"), "{\"fields\":{\"Nope\":\"x\"}}"), 422, "UNKNOWN_FIELD_NAME");
    assertError(
        send("POST", path("Teachers"), "{\"fields\":{\"Score\":\"many\"}}"),
        422,
        "INVALID_VALUE_FOR_COLUMN");
    assertError(
        send("POST", path("Teachers"), "{\"fields\":{\"Upper\":\"ADA\"}}"),
        422,
        "INVALID_VALUE_FOR_COLUMN");
    assertError(
        send("POST", path("Teachers"), "{\"fields\":{\"Subject\":\"Drama\"}}"),
        422,
        "INVALID_MULTIPLE_CHOICE_OPTIONS");
    assertError(
        send("POST", path("Classes"), "{\"fields\":{\"Teacher\":[\"recNoSuchTeacher1\"]}}"),
        422,
        "ROW_DOES_NOT_EXIST");
    // A transaction is whole: the good first record is not written either.
    assertError(
        send(
            "PATCH",
            path("Teachers"),
            "{\"records\":[{\"id\":\""
                + TEACHER_1
                + "\",\"fields\":{\"Name\":\"X\"}},{\"id\":\"recNoSuchRecord01\",\"fields\":{}}]}"),
        404,
        "MODEL_ID_NOT_FOUND");
    assertError(
        send("DELETE", path("Teachers/recNoSuchRecord01"), null), 404, "MODEL_ID_NOT_FOUND");
    assertError(send("POST", path("Teachers"), "{\"records\":"), 400, "INVALID_REQUEST_BODY");
    assertError(send("POST", path("Teachers"), "{}"), 422, "INVALID_REQUEST_MISSING_FIELDS");
    assertError(send("POST", path("Nowhere"), "{\"fields\":{}}"), 404, "TABLE_NOT_FOUND");

    assertThat(sim.currentDataset()).isEqualTo(sim.dataset());
    assertThat(payloads(hook)).isEmpty();
  }

  @Test
  void typecast_converts_values_and_takes_a_new_select_option() {
    TestHttp.Answer a =
        send(
            "POST",
            path("Teachers"),
            "{\"typecast\":true,\"fields\":{\"Subject\":\"Drama\",\"Score\":\"12\",\"Name\":42}}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().get("fields").get("Subject").asText()).isEqualTo("Drama");
    assertThat(a.json().get("fields").get("Score").isNumber()).isTrue();
    assertThat(a.json().get("fields").get("Name").asText()).isEqualTo("42");
  }

  @Test
  void writes_count_against_the_bases_rate_limit() {
    for (int i = 0; i < 5; i++) {
      TestHttp.Answer a =
          http.call(
              http.request(path("Teachers/" + TEACHER_1))
                  .patch(
                      RequestBody.create(
                          "{\"fields\":{\"Score\":" + i + "}}", MediaType.get("application/json")))
                  .build());
      assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    TestHttp.Answer sixth = http.get(path("Teachers"));

    assertThat(sixth.status()).isEqualTo(429);
  }

  static void assertError(TestHttp.Answer a, int status, String type) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.json().at("/error/type").asText()).as(a.body()).isEqualTo(type);
    assertThat(a.json().at("/error/message").asText()).isNotBlank();
  }
}
