package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator's webhooks API, fed by edits, over real HTTP. */
class WebhooksTest {
  static final String SPEC =
      "{\"specification\":{\"options\":{\"filters\":{\"dataTypes\":[\"tableData\",\"tableFields\"]},"
          + "\"includes\":{\"includeCellValuesInFieldIds\":\"all\","
          + "\"includePreviousCellValues\":true}}}}";

  final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
  final List<AirtableSimulator> sims = new ArrayList<>();

  AirtableSimulator start(Set<String> scopes) {
    AirtableSimulator sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Alpha", 5, "Beta", 5)))
            .rateLimitPerSecond(0)
            .clock(clock)
            .scopes(scopes)
            .build()
            .start();
    sims.add(sim);
    return sim;
  }

  @AfterEach
  void stop() {
    sims.forEach(AirtableSimulator::close);
  }

  String hooks(AirtableSimulator sim) {
    return "/v0/bases/" + sim.dataset().baseId() + "/webhooks";
  }

  String create(TestHttp http) {
    TestHttp.Answer a = http.post(hooks(http.sim), SPEC);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().path("macSecretBase64").asText()).isNotEmpty();
    return a.json().path("id").asText();
  }

  JsonNode payloads(TestHttp http, String id, long cursor, int limit) {
    TestHttp.Answer a =
        http.get(hooks(http.sim) + "/" + id + "/payloads?cursor=" + cursor + "&limit=" + limit);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json();
  }

  static String fieldId(AirtableSimulator sim, String table, String field) {
    return sim.currentDataset().table(table).orElseThrow().field(field).map(FieldSchema::id).get();
  }

  static String tableId(AirtableSimulator sim, String table) {
    return sim.currentDataset().table(table).orElseThrow().id();
  }

  @Test
  void creations_changes_and_destructions_across_tables_arrive_as_one_payload_by_field_id() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String alphaRec = sim.dataset().table("Alpha").orElseThrow().records().get(0).id();
    String betaRec = sim.dataset().table("Beta").orElseThrow().records().get(1).id();
    Map<String, Object> cleared = new LinkedHashMap<>();
    cleared.put("Number", null);
    cleared.put("Name", "Renamed row");

    Edits.Result result =
        sim.apply(
            Edits.begin()
                .create("Alpha", Map.of("Name", "New row", "Number", 42))
                .update("Alpha", alphaRec, cleared)
                .destroy("Beta", betaRec));

    JsonNode page = payloads(http, id, 1, 50);
    assertThat(page.path("cursor").asLong()).isEqualTo(2);
    assertThat(page.path("mightHaveMore").asBoolean()).isFalse();
    assertThat(page.path("payloads")).hasSize(1);
    JsonNode p = page.path("payloads").get(0);
    assertThat(p.path("baseTransactionNumber").asLong()).isEqualTo(result.transactionNumber());
    assertThat(p.path("timestamp").asText()).isEqualTo("2025-03-01T00:00:00.000Z");
    String name = fieldId(sim, "Alpha", "Name");
    String number = fieldId(sim, "Alpha", "Number");
    JsonNode alpha = p.path("changedTablesById").path(tableId(sim, "Alpha"));
    String newRec = result.createdRecordIds().get(0);
    JsonNode created = alpha.path("createdRecordsById").path(newRec).path("cellValuesByFieldId");
    assertThat(created.path(name).asText()).isEqualTo("New row");
    assertThat(created.path(number).asInt()).isEqualTo(42);
    JsonNode changed = alpha.path("changedRecordsById").path(alphaRec);
    assertThat(changed.path("current").path("cellValuesByFieldId").path(name).asText())
        .isEqualTo("Renamed row");
    assertThat(changed.path("current").path("cellValuesByFieldId").has(number)).isTrue();
    assertThat(changed.path("current").path("cellValuesByFieldId").path(number).isNull()).isTrue();
    assertThat(changed.path("previous").path("cellValuesByFieldId").path(number).asInt())
        .isEqualTo(1);
    JsonNode beta = p.path("changedTablesById").path(tableId(sim, "Beta"));
    assertThat(beta.path("destroyedRecordIds").get(0).asText()).isEqualTo(betaRec);

    // The listing answers the edited data too.
    JsonNode listed = http.get(http.listPath("Alpha")).json().path("records");
    assertThat(listed).hasSize(6);
    assertThat(listed.get(0).path("fields").path("Name").asText()).isEqualTo("Renamed row");
    assertThat(listed.get(0).path("fields").has("Number")).isFalse();
    assertThat(http.get(http.listPath("Beta")).json().path("records")).hasSize(4);
  }

  @Test
  void unchanged_values_come_with_a_change_when_the_webhook_includes_all_cell_values() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Alpha").orElseThrow().records().get(2).id();
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 99)));
    JsonNode change =
        payloads(http, id, 1, 50)
            .path("payloads")
            .get(0)
            .path("changedTablesById")
            .path(tableId(sim, "Alpha"))
            .path("changedRecordsById")
            .path(rec);
    assertThat(
            change
                .path("unchanged")
                .path("cellValuesByFieldId")
                .path(fieldId(sim, "Alpha", "Name"))
                .asText())
        .isEqualTo("Row 3");
  }

  @Test
  void field_schema_changes_arrive_as_created_and_changed_fields() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String number = fieldId(sim, "Alpha", "Number");
    sim.apply(
        Edits.begin()
            .renameField("Alpha", "Number", "Count")
            .createField("Alpha", "Notes", "multilineText"));
    JsonNode alpha =
        payloads(http, id, 1, 50)
            .path("payloads")
            .get(0)
            .path("changedTablesById")
            .path(tableId(sim, "Alpha"));
    assertThat(alpha.path("changedFieldsById").path(number).path("current").path("name").asText())
        .isEqualTo("Count");
    assertThat(alpha.path("changedFieldsById").path(number).path("previous").path("name").asText())
        .isEqualTo("Number");
    String notes = fieldId(sim, "Alpha", "Notes");
    assertThat(alpha.path("createdFieldsById").path(notes).path("type").asText())
        .isEqualTo("multilineText");
    assertThat(
            http.get(http.listPath("Alpha"))
                .json()
                .path("records")
                .get(0)
                .path("fields")
                .path("Count")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void payloads_are_paged_by_limit_and_say_when_more_might_follow() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Beta").orElseThrow().records().get(0).id();
    for (int i = 0; i < 5; i++) {
      sim.apply(Edits.begin().update("Beta", rec, Map.of("Number", 100 + i)));
    }
    JsonNode first = payloads(http, id, 1, 2);
    assertThat(first.path("payloads")).hasSize(2);
    assertThat(first.path("mightHaveMore").asBoolean()).isTrue();
    assertThat(first.path("cursor").asLong()).isEqualTo(3);
    JsonNode second = payloads(http, id, 3, 2);
    assertThat(second.path("mightHaveMore").asBoolean()).isTrue();
    JsonNode third = payloads(http, id, second.path("cursor").asLong(), 2);
    assertThat(third.path("payloads")).hasSize(1);
    assertThat(third.path("mightHaveMore").asBoolean()).isFalse();
    assertThat(third.path("cursor").asLong()).isEqualTo(6);
    assertThat(payloads(http, id, 6, 2).path("payloads")).isEmpty();
  }

  @Test
  void a_webhook_expires_after_seven_days_unless_refreshed_and_is_gone_a_week_later() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Alpha").orElseThrow().records().get(0).id();

    clock.advance(Duration.ofDays(6));
    TestHttp.Answer refreshed = http.post(hooks(sim) + "/" + id + "/refresh", "");
    assertThat(refreshed.status()).isEqualTo(200);
    assertThat(refreshed.json().path("expirationTime").asText())
        .isEqualTo("2025-03-14T00:00:00.000Z");

    clock.advance(Duration.ofDays(7));
    JsonNode hook = http.get(hooks(sim)).json().path("webhooks").get(0);
    assertThat(hook.path("isHookEnabled").asBoolean()).isFalse();
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 7)));
    assertThat(payloads(http, id, 1, 50).path("payloads")).isEmpty();
    assertThat(http.post(hooks(sim) + "/" + id + "/refresh", "").status()).isEqualTo(422);

    clock.advance(Duration.ofDays(7));
    assertThat(http.get(hooks(sim)).json().path("webhooks")).isEmpty();
    assertThat(http.get(hooks(sim) + "/" + id + "/payloads").status()).isEqualTo(404);
  }

  @Test
  void payloads_older_than_the_retention_are_dropped_and_the_cursor_jumps_past_them() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Alpha").orElseThrow().records().get(0).id();
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 7)));
    clock.advance(Duration.ofDays(6));
    payloads(http, id, 2, 50); // keeps the webhook alive, reads nothing
    clock.advance(Duration.ofDays(2));
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 8)));

    JsonNode page = payloads(http, id, 1, 50);
    assertThat(page.path("payloads")).hasSize(1);
    assertThat(page.path("cursor").asLong() - 1).isGreaterThan(page.path("payloads").size());
  }

  @Test
  void a_base_takes_at_most_ten_webhooks() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    for (int i = 0; i < 10; i++) {
      create(http);
    }
    TestHttp.Answer eleventh = http.post(hooks(sim), SPEC);
    assertThat(eleventh.status()).isEqualTo(422);
    assertThat(eleventh.json().path("error").path("type").asText()).isEqualTo("TOO_MANY_WEBHOOKS");
    String first = http.get(hooks(sim)).json().path("webhooks").get(0).path("id").asText();
    assertThat(http.call(http.request(hooks(sim) + "/" + first).delete().build()).status())
        .isEqualTo(200);
    create(http);
  }

  @Test
  void a_token_without_webhook_manage_is_refused_on_every_route() {
    AirtableSimulator sim = start(Set.of("data.records:read", "schema.bases:read"));
    TestHttp http = new TestHttp(sim);
    TestHttp.Answer a = http.post(hooks(sim), SPEC);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.json().path("error").path("type").asText())
        .isEqualTo("INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND");
    assertThat(http.get(hooks(sim)).status()).isEqualTo(403);
    // Listing records needs no webhook scope.
    assertThat(http.get(http.listPath("Alpha")).status()).isEqualTo(200);
  }

  @Test
  void the_admin_route_applies_edits_as_one_transaction_without_a_token() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Beta").orElseThrow().records().get(0).id();
    Request request =
        new Request.Builder()
            .url(sim.baseUrl() + "/_sim/bases/" + sim.dataset().baseId() + "/edits")
            .post(
                okhttp3.RequestBody.create(
                    "{\"create\":[{\"table\":\"Alpha\",\"fields\":{\"Name\":\"X\"}}],"
                        + "\"update\":[{\"table\":\"Beta\",\"id\":\""
                        + rec
                        + "\",\"fields\":{\"Number\":5}}]}",
                    okhttp3.MediaType.get("application/json")))
            .build();
    TestHttp.Answer a = http.call(request);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().path("createdRecordIds")).hasSize(1);
    JsonNode tables = payloads(http, id, 1, 50).path("payloads").get(0).path("changedTablesById");
    assertThat(tables.has(tableId(sim, "Alpha"))).isTrue();
    assertThat(tables.has(tableId(sim, "Beta"))).isTrue();

    TestHttp.Answer bad =
        http.call(
            request
                .newBuilder()
                .post(
                    okhttp3.RequestBody.create(
                        "{\"destroy\":[{\"table\":\"Alpha\",\"id\":\"recNope\"}]}",
                        okhttp3.MediaType.get("application/json")))
                .build());
    assertThat(bad.status()).isEqualTo(422);
    assertThat(bad.json().path("error").path("message").asText()).contains("recNope");
  }

  @Test
  void an_error_payload_is_listed_among_the_payloads_as_airtable_documents_it() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    String rec = sim.dataset().table("Alpha").orElseThrow().records().get(0).id();
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 7)));
    clock.advance(Duration.ofMinutes(1));

    for (String code : List.of("INVALID_FILTERS", "INVALID_HOOK", "INTERNAL_ERROR")) {
      assertThat(sim.webhookError(code)).isEqualTo(1);
    }
    sim.apply(Edits.begin().update("Alpha", rec, Map.of("Number", 8)));

    JsonNode page = payloads(http, id, 2, 50);
    assertThat(page.path("cursor").asLong()).isEqualTo(6);
    JsonNode payloads = page.path("payloads");
    assertThat(payloads).hasSize(4);
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      JsonNode error = payloads.get(i);
      assertThat(error.path("error").isBoolean()).isTrue();
      assertThat(error.path("error").asBoolean()).isTrue();
      assertThat(error.path("timestamp").asText()).isEqualTo("2025-03-01T00:01:00.000Z");
      assertThat(error.path("baseTransactionNumber").asLong()).isEqualTo(1);
      assertThat(error.path("payloadFormat").asText()).isEqualTo("v0");
      assertThat(error.has("changedTablesById")).isFalse();
      List<String> keys = new ArrayList<>();
      error.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .containsExactlyInAnyOrder(
              "timestamp", "baseTransactionNumber", "error", "code", "payloadFormat");
      codes.add(error.path("code").asText());
    }
    assertThat(codes).containsExactly("INVALID_FILTERS", "INVALID_HOOK", "INTERNAL_ERROR");
    // The webhook goes on recording changes after an error payload.
    assertThat(payloads.get(3).path("baseTransactionNumber").asLong()).isEqualTo(2);
    assertThat(payloads.get(3).has("changedTablesById")).isTrue();
  }

  @Test
  void a_disabled_webhook_records_no_error_payload() {
    AirtableSimulator sim = start(AirtableSimulator.ALL_SCOPES);
    TestHttp http = new TestHttp(sim);
    String id = create(http);
    clock.advance(SimWebhooks.LIFETIME.plusMinutes(1));

    assertThat(sim.webhookError("INVALID_HOOK")).isZero();
    assertThat(payloads(http, id, 1, 50).path("payloads")).isEmpty();
  }
}
