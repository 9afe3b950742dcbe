package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.Computed;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.testing.MutableClock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's webhook payloads carry cells in the webhook format of Airtable's field model
 * ("Cell format V2 (webhooks)", airtable.com/developers/web/api/field-model), over real HTTP, while
 * list-records answers the same cells in its own format; and a broken webhook serves an error
 * payload as the list-webhook-payloads reference shows it.
 */
class WebhookCellFormatTest {
  static final String OWNERS = "tblOwnersForCells";
  static final String ITEMS = "tblItemsForCells0";
  static final String OWNER_ID = "recOwner000000001";

  final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  AirtableSimulator sim;
  TestHttp http;
  String hook;

  @BeforeEach
  void start() {
    List<FieldSchema> owners =
        List.of(
            new FieldSchema("fldOwnerName00001", "Name", "singleLineText", null, null),
            new FieldSchema(
                "fldOwnerStatus001", "Status", "singleSelect", List.of("Active", "Away"), null));
    List<FieldSchema> items =
        List.of(
            new FieldSchema("fldItemTitle00001", "Title", "singleLineText", null, null),
            new FieldSchema(
                "fldItemStatus0001", "Status", "singleSelect", List.of("Open", "Closed"), null),
            new FieldSchema(
                "fldItemTags000001", "Tags", "multipleSelects", List.of("red", "green"), null),
            new FieldSchema("fldItemOwner00001", "Owner", "multipleRecordLinks", null, OWNERS),
            new FieldSchema(
                "fldItemOwnerName1",
                "Owner name",
                "multipleLookupValues",
                null,
                null,
                false,
                new Computed("singleLineText", "fldItemOwner00001", "fldOwnerName00001")),
            new FieldSchema(
                "fldItemOwnerStat1",
                "Owner status",
                "multipleLookupValues",
                List.of("Active", "Away"),
                null,
                false,
                new Computed("singleSelect", "fldItemOwner00001", "fldOwnerStatus001")),
            new FieldSchema("fldItemPerson0001", "Person", "singleCollaborator", null, null),
            new FieldSchema("fldItemPeople0001", "People", "multipleCollaborators", null, null),
            new FieldSchema("fldItemSource0001", "Source", "externalSyncSource", null, null),
            new FieldSchema("fldItemDone000001", "Done", "checkbox", null, null),
            new FieldSchema("fldItemAmount0001", "Amount", "number", null, null));
    Dataset dataset =
        Dataset.of(
            "appCellFormats001",
            List.of(
                new SimTable(
                    OWNERS,
                    "Owners",
                    "fldOwnerName00001",
                    owners,
                    List.of(
                        new AirtableRecord(
                            OWNER_ID, Instant.EPOCH, Map.of("Name", "Ada", "Status", "Active")))),
                new SimTable(ITEMS, "Items", "fldItemTitle00001", items, List.of())));
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).clock(clock).build();
    sim.start();
    http = new TestHttp(sim);
    TestHttp.Answer created =
        http.post("/v0/bases/" + sim.dataset().baseId() + "/webhooks", WebhooksTest.SPEC);
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    hook = created.json().path("id").asText();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private JsonNode payloads() {
    TestHttp.Answer a =
        http.get(
            "/v0/bases/" + sim.dataset().baseId() + "/webhooks/" + hook + "/payloads?cursor=1");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json().path("payloads");
  }

  /** The Meta API's id of choice {@code name} of field {@code fieldId} of {@code table}. */
  private String choiceId(String table, String fieldId, String name) {
    JsonNode tables =
        http.get("/v0/meta/bases/" + sim.dataset().baseId() + "/tables").json().path("tables");
    for (JsonNode t : tables) {
      for (JsonNode f : t.path("fields")) {
        if (t.path("id").asText().equals(table) && f.path("id").asText().equals(fieldId)) {
          for (JsonNode c : f.path("options").path("choices")) {
            if (c.path("name").asText().equals(name)) {
              return c.path("id").asText();
            }
          }
        }
      }
    }
    throw new AssertionError("no choice " + name + " of " + fieldId);
  }

  private static Map<String, Object> item() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("Title", "First");
    f.put("Status", "Open");
    f.put("Tags", List.of("red", "green"));
    f.put("Owner", List.of(OWNER_ID));
    f.put("Owner name", List.of("Ada"));
    f.put("Owner status", List.of("Active"));
    f.put("Person", Map.of("id", "usrAda00000000001", "email", "ada@example.com", "name", "Ada"));
    f.put("People", List.of(Map.of("id", "usrBob00000000001", "name", "Bob")));
    f.put("Source", "Sync A");
    f.put("Done", true);
    f.put("Amount", 12);
    return f;
  }

  @Test
  void a_created_record_arrives_in_the_webhook_cell_format_field_type_by_field_type() {
    String id = sim.apply(Edits.begin().create("Items", item())).createdRecordIds().get(0);

    JsonNode cells =
        payloads()
            .get(0)
            .path("changedTablesById")
            .path(ITEMS)
            .path("createdRecordsById")
            .path(id)
            .path("cellValuesByFieldId");

    JsonNode status = cells.path("fldItemStatus0001");
    assertThat(status.path("name").asText()).isEqualTo("Open");
    assertThat(status.path("id").asText())
        .isEqualTo(choiceId(ITEMS, "fldItemStatus0001", "Open"))
        .startsWith("sel");
    assertThat(status.path("color").asText()).isNotEmpty();
    assertThat(cells.path("fldItemTags000001")).hasSize(2);
    assertThat(cells.path("fldItemTags000001").get(1).path("name").asText()).isEqualTo("green");
    assertThat(cells.path("fldItemTags000001").get(1).path("id").asText())
        .isEqualTo(choiceId(ITEMS, "fldItemTags000001", "green"));
    JsonNode link = cells.path("fldItemOwner00001").get(0);
    assertThat(link.path("id").asText()).isEqualTo(OWNER_ID);
    assertThat(link.path("name").asText()).isEqualTo("Ada");
    JsonNode lookup = cells.path("fldItemOwnerName1");
    assertThat(lookup.path("linkedRecordIds").get(0).asText()).isEqualTo(OWNER_ID);
    assertThat(lookup.path("valuesByLinkedRecordId").path(OWNER_ID).get(0).asText())
        .isEqualTo("Ada");
    JsonNode statusLookup =
        cells.path("fldItemOwnerStat1").path("valuesByLinkedRecordId").path(OWNER_ID).get(0);
    assertThat(statusLookup.path("name").asText()).isEqualTo("Active");
    assertThat(statusLookup.path("id").asText())
        .isEqualTo(choiceId(OWNERS, "fldOwnerStatus001", "Active"));
    assertThat(cells.path("fldItemPerson0001").path("permissionLevel").asText()).isNotEmpty();
    assertThat(cells.path("fldItemPerson0001").path("email").asText()).isEqualTo("ada@example.com");
    assertThat(cells.path("fldItemPeople0001").get(0).path("permissionLevel").asText())
        .isNotEmpty();
    assertThat(cells.path("fldItemSource0001").path("name").asText()).isEqualTo("Sync A");
    assertThat(cells.path("fldItemDone000001").asBoolean()).isTrue();
    assertThat(cells.path("fldItemAmount0001").asInt()).isEqualTo(12);

    // list-records answers the same cells in its own format.
    JsonNode listed = http.get(http.listPath("Items")).json().path("records").get(0).path("fields");
    assertThat(listed.path("Status").asText()).isEqualTo("Open");
    assertThat(listed.path("Owner").get(0).asText()).isEqualTo(OWNER_ID);
    assertThat(listed.path("Owner status").get(0).asText()).isEqualTo("Active");
    assertThat(listed.path("Person").has("permissionLevel")).isFalse();
  }

  @Test
  void changed_and_cleared_cells_are_in_the_webhook_format_and_a_cleared_one_is_null() {
    String id = sim.apply(Edits.begin().create("Items", item())).createdRecordIds().get(0);
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("Status", "Closed");
    change.put("Tags", null);
    sim.apply(Edits.begin().update("Items", id, change));

    JsonNode record =
        payloads().get(1).path("changedTablesById").path(ITEMS).path("changedRecordsById").path(id);

    JsonNode current = record.path("current").path("cellValuesByFieldId");
    assertThat(current.path("fldItemStatus0001").path("name").asText()).isEqualTo("Closed");
    assertThat(current.has("fldItemTags000001")).isTrue();
    assertThat(current.path("fldItemTags000001").isNull()).isTrue();
    JsonNode previous = record.path("previous").path("cellValuesByFieldId");
    assertThat(previous.path("fldItemStatus0001").path("name").asText()).isEqualTo("Open");
    assertThat(previous.path("fldItemTags000001").get(0).path("name").asText()).isEqualTo("red");
    JsonNode unchanged = record.path("unchanged").path("cellValuesByFieldId");
    assertThat(unchanged.path("fldItemOwner00001").get(0).path("name").asText()).isEqualTo("Ada");
  }

  @Test
  void a_lookup_written_unlike_its_linked_records_still_joins_back_to_its_list() {
    Map<String, Object> f = item();
    f.put("Owner name", List.of("Ada", "Lovelace"));
    String id = sim.apply(Edits.begin().create("Items", f)).createdRecordIds().get(0);

    JsonNode lookup =
        payloads()
            .get(0)
            .path("changedTablesById")
            .path(ITEMS)
            .path("createdRecordsById")
            .path(id)
            .path("cellValuesByFieldId")
            .path("fldItemOwnerName1");

    assertThat(lookup.path("linkedRecordIds")).hasSize(1);
    assertThat(lookup.path("valuesByLinkedRecordId").path(OWNER_ID)).hasSize(2);
  }

  @Test
  void a_broken_webhook_serves_an_error_payload_with_its_code_and_no_changes() {
    sim.apply(Edits.begin().create("Items", item()));
    sim.webhookError("INVALID_FILTERS");

    JsonNode error = payloads().get(1);

    assertThat(error.path("error").asBoolean()).isTrue();
    assertThat(error.path("code").asText()).isEqualTo("INVALID_FILTERS");
    assertThat(error.path("payloadFormat").asText()).isEqualTo("v0");
    assertThat(error.path("baseTransactionNumber").asLong()).isEqualTo(1);
    assertThat(error.has("timestamp")).isTrue();
    assertThat(error.has("changedTablesById")).isFalse();
  }
}
