package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook payloads of the simulator carry cells in Airtable's webhook format (the field model's
 * V2), over real HTTP: an edit of every field type of the all-field-types dataset, read back from
 * the payloads route and compared with the Meta API's description of the same fields.
 */
class EveryFieldTypePayloadTest {
  static final Path ALL_TYPES = Path.of("src/test/resources/datasets/all-field-types");
  static final String EVERYTHING = "Everything: every type";
  static final String COMPANY_1 = "recCompany000001a";
  static final String COMPANY_2 = "recCompany000002a";
  static final String ADA = "recPerson0000001a";

  AirtableSimulator sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  TestHttp start(Dataset dataset) {
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
    return new TestHttp(sim);
  }

  static String createHook(TestHttp http) {
    TestHttp.Answer a =
        http.post("/v0/bases/" + http.sim.dataset().baseId() + "/webhooks", WebhooksTest.SPEC);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return a.json().path("id").asText();
  }

  static JsonNode onlyPayload(TestHttp http, String hook) {
    TestHttp.Answer a =
        http.get("/v0/bases/" + http.sim.dataset().baseId() + "/webhooks/" + hook + "/payloads");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().path("payloads")).hasSize(1);
    return a.json().path("payloads").get(0);
  }

  /** The Meta API's fields of one table, by name. */
  static Map<String, JsonNode> metaFields(TestHttp http, String table) {
    JsonNode meta = http.get("/v0/meta/bases/" + http.sim.dataset().baseId() + "/tables").json();
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode t : meta.path("tables")) {
      if (t.path("name").asText().equals(table)) {
        t.path("fields").forEach(f -> out.put(f.path("name").asText(), f));
      }
    }
    return out;
  }

  static String metaChoiceId(JsonNode field, String name) {
    for (JsonNode c : field.at("/options/choices")) {
      if (c.path("name").asText().equals(name)) {
        return c.path("id").asText();
      }
    }
    throw new AssertionError("no choice " + name + " in " + field);
  }

  static Map<String, Object> collaborator(String id, String name) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", id);
    c.put("email", name.toLowerCase() + "@example.com");
    c.put("name", name);
    return c;
  }

  /** A value of every type for record "one" (V1 shapes); "A email" is cleared. */
  static Map<String, Object> everyType() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("A singleLineText", "text");
    f.put("A email", null);
    f.put("A url", "https://example.org");
    f.put("A multilineText", "two\nlines");
    f.put("A number", 7);
    f.put("A percent", 0.5);
    f.put("A currency", 9.99);
    f.put("A singleSelect", "Closed, for now");
    f.put("A multipleSelects", List.of("yes", "#1"));
    f.put("A singleCollaborator", collaborator("usrAda0000000001", "Ada"));
    f.put(
        "A multipleCollaborators",
        List.of(collaborator("usrAda0000000001", "Ada"), collaborator("usrBob0000000001", "Bob")));
    f.put("A multipleRecordLinks", List.of(COMPANY_1, COMPANY_2));
    f.put("A date", "2026-01-05");
    f.put("A dateTime", "2026-01-05T07:00:00.000Z");
    f.put("A phoneNumber", "+1 415 555 0101");
    f.put(
        "A multipleAttachments",
        List.of(
            Map.of(
                "id", "attAaaaaaaaaaaaa1",
                "url", "https://v5.airtableusercontent.com/plan.pdf",
                "filename", "plan.pdf",
                "size", 1024,
                "type", "application/pdf")));
    f.put("A checkbox", true);
    f.put("A formula", Map.of("error", "#ERROR!"));
    f.put("A createdTime", "2024-01-01T00:00:01.000Z");
    f.put("A rollup", 3);
    f.put("A count", 2);
    f.put("A lookup", List.of("acme@example.com", "acme@example.com"));
    f.put("A autoNumber", 12);
    f.put("A barcode", Map.of("text", "0123456", "type", "upce"));
    f.put("A rating", 4);
    f.put("A richText", "**bold**");
    f.put("A duration", 3600);
    f.put("A lastModifiedTime", "2026-02-01T00:00:00.000Z");
    f.put("A button", Map.of("label", "Open", "url", "https://example.com/open"));
    f.put("A createdBy", collaborator("usrAda0000000001", "Ada"));
    f.put("A lastModifiedBy", collaborator("usrBob0000000001", "Bob"));
    f.put("A externalSyncSource", "Sync A");
    f.put("A aiText", Map.of("state", "generated", "isStale", false, "value", "A summary"));
    f.put("A manualSort", 1.5);
    f.put("A aFieldTypeAirtableAddsLater", Map.of("level", 1));
    return f;
  }

  @Test
  void an_edit_of_every_field_type_arrives_in_the_webhook_cell_format() {
    Dataset all = Dataset.load(ALL_TYPES);
    TestHttp http = start(all);
    String hook = createHook(http);
    Map<String, JsonNode> meta = metaFields(http, EVERYTHING);
    SimTable table = all.table(EVERYTHING).orElseThrow();
    AirtableRecord one = table.records().get(0);

    sim.apply(Edits.begin().update(EVERYTHING, one.id(), everyType()));

    JsonNode change =
        onlyPayload(http, hook)
            .path("changedTablesById")
            .path(table.id())
            .path("changedRecordsById")
            .path(one.id());
    JsonNode current = change.at("/current/cellValuesByFieldId");
    JsonNode previous = change.at("/previous/cellValuesByFieldId");
    JsonNode unchanged = change.at("/unchanged/cellValuesByFieldId");
    var cell =
        new Object() {
          JsonNode of(JsonNode cells, String field) {
            String id = meta.get(field).path("id").asText();
            assertThat(cells.has(id)).as(field + " in " + cells).isTrue();
            return cells.get(id);
          }
        };

    // Selects: objects named by the Meta API's choice ids.
    JsonNode select = cell.of(current, "A singleSelect");
    assertThat(select.path("id").asText())
        .isEqualTo(metaChoiceId(meta.get("A singleSelect"), "Closed, for now"));
    assertThat(select.path("name").asText()).isEqualTo("Closed, for now");
    assertThat(select.path("color").asText()).isNotBlank();
    assertThat(cell.of(previous, "A singleSelect").path("id").asText())
        .isEqualTo(metaChoiceId(meta.get("A singleSelect"), "Open"));
    JsonNode selects = cell.of(current, "A multipleSelects");
    assertThat(selects).hasSize(2);
    assertThat(selects.get(0).path("id").asText())
        .isEqualTo(metaChoiceId(meta.get("A multipleSelects"), "yes"));
    assertThat(selects.get(1).path("name").asText()).isEqualTo("#1");
    assertThat(cell.of(previous, "A multipleSelects").get(0).path("name").asText())
        .isEqualTo("red");
    JsonNode source = cell.of(current, "A externalSyncSource");
    assertThat(source.path("name").asText()).isEqualTo("Sync A");
    assertThat(source.path("id").asText()).startsWith("sel");

    // Links: id and the linked record's primary field value (an email; a formula's text).
    JsonNode links = cell.of(current, "A multipleRecordLinks");
    assertThat(links).hasSize(2);
    assertThat(links.get(0).path("id").asText()).isEqualTo(COMPANY_1);
    assertThat(links.get(0).path("name").asText()).isEqualTo("acme@example.com");
    assertThat(links.get(1).path("id").asText()).isEqualTo(COMPANY_2);
    JsonNode employees = cell.of(unchanged, "Employees");
    assertThat(employees.get(0).path("id").asText()).isEqualTo(ADA);
    assertThat(employees.get(0).path("name").asText()).isEqualTo("Ada");

    // Lookups: grouped by linked record, in link order; unchanged values too.
    JsonNode lookup = cell.of(current, "A lookup");
    assertThat(lookup.path("linkedRecordIds").toString())
        .isEqualTo("[\"" + COMPANY_1 + "\",\"" + COMPANY_2 + "\"]");
    assertThat(lookup.at("/valuesByLinkedRecordId/" + COMPANY_1).toString())
        .isEqualTo("[\"acme@example.com\"]");
    assertThat(lookup.at("/valuesByLinkedRecordId/" + COMPANY_2).toString())
        .isEqualTo("[\"acme@example.com\"]");
    JsonNode lookedUpNames = cell.of(unchanged, "A multipleLookupValues");
    assertThat(lookedUpNames.path("linkedRecordIds").toString()).isEqualTo("[\"" + ADA + "\"]");
    assertThat(lookedUpNames.at("/valuesByLinkedRecordId/" + ADA).toString())
        .isEqualTo("[\"Ada\"]");
    assertThat(cell.of(previous, "A lookup").at("/valuesByLinkedRecordId/" + COMPANY_1)).hasSize(1);

    // Collaborators: as in list-records, plus a permission level.
    for (String field : List.of("A singleCollaborator", "A createdBy", "A lastModifiedBy")) {
      JsonNode c = cell.of(current, field);
      assertThat(c.path("id").asText()).as(field).startsWith("usr");
      assertThat(c.path("email").asText()).as(field).endsWith("@example.com");
      assertThat(c.path("permissionLevel").asText())
          .as(field)
          .isIn("none", "read", "comment", "edit", "create");
    }
    JsonNode people = cell.of(current, "A multipleCollaborators");
    assertThat(people).hasSize(2);
    assertThat(people.get(1).path("name").asText()).isEqualTo("Bob");
    assertThat(people.get(1).path("permissionLevel").asText()).isNotBlank();

    // A cleared cell is null; its previous value is the list-records value.
    assertThat(cell.of(current, "A email").isNull()).isTrue();
    assertThat(cell.of(previous, "A email").asText()).isEqualTo("a@example.com");

    // Everything else as list-records gives it.
    assertThat(cell.of(current, "A singleLineText").asText()).isEqualTo("text");
    assertThat(cell.of(current, "A number").asInt()).isEqualTo(7);
    assertThat(cell.of(current, "A currency").asDouble()).isEqualTo(9.99);
    assertThat(cell.of(current, "A checkbox").asBoolean()).isTrue();
    assertThat(cell.of(current, "A date").asText()).isEqualTo("2026-01-05");
    assertThat(cell.of(current, "A formula").path("error").asText()).isEqualTo("#ERROR!");
    assertThat(cell.of(current, "A rollup").asInt()).isEqualTo(3);
    assertThat(cell.of(current, "A count").asInt()).isEqualTo(2);
    assertThat(cell.of(current, "A barcode").path("text").asText()).isEqualTo("0123456");
    assertThat(cell.of(current, "A button").path("label").asText()).isEqualTo("Open");
    assertThat(cell.of(current, "A multipleAttachments").get(0).path("filename").asText())
        .isEqualTo("plan.pdf");
    assertThat(cell.of(current, "A aiText").path("state").asText()).isEqualTo("generated");
    assertThat(cell.of(current, "A aFieldTypeAirtableAddsLater").path("level").asInt())
        .isEqualTo(1);
    assertThat(cell.of(unchanged, "Title").asText()).isEqualTo("one");
  }

  @Test
  void a_created_record_carries_its_cells_in_the_webhook_format() {
    Dataset all = Dataset.load(ALL_TYPES);
    TestHttp http = start(all);
    String hook = createHook(http);
    Map<String, JsonNode> meta = metaFields(http, EVERYTHING);

    Edits.Result created =
        sim.apply(
            Edits.begin()
                .create(
                    EVERYTHING,
                    Map.of(
                        "Title",
                        "three",
                        "A singleSelect",
                        "Open",
                        "A multipleRecordLinks",
                        List.of(COMPANY_2),
                        "A lookup",
                        List.of("acme@example.com"))));

    JsonNode cells =
        onlyPayload(http, hook)
            .path("changedTablesById")
            .path(all.table(EVERYTHING).orElseThrow().id())
            .path("createdRecordsById")
            .path(created.createdRecordIds().get(0))
            .path("cellValuesByFieldId");
    assertThat(cells.path(meta.get("A singleSelect").path("id").asText()).path("id").asText())
        .isEqualTo(metaChoiceId(meta.get("A singleSelect"), "Open"));
    assertThat(cells.path(meta.get("A multipleRecordLinks").path("id").asText()).toString())
        .isEqualTo("[{\"id\":\"" + COMPANY_2 + "\",\"name\":\"acme@example.com\"}]");
    assertThat(cells.path(meta.get("A lookup").path("id").asText()).toString())
        .isEqualTo(
            "{\"valuesByLinkedRecordId\":{\""
                + COMPANY_2
                + "\":[\"acme@example.com\"]},\"linkedRecordIds\":[\""
                + COMPANY_2
                + "\"]}");
  }

  @Test
  void a_lookup_the_linked_records_do_not_account_for_keeps_its_whole_list_under_one_record() {
    Dataset all = Dataset.load(ALL_TYPES);
    TestHttp http = start(all);
    String hook = createHook(http);
    Map<String, JsonNode> meta = metaFields(http, EVERYTHING);
    String one = all.table(EVERYTHING).orElseThrow().records().get(0).id();

    // Two companies linked, three values stored: which company gave which value is unknown.
    sim.apply(
        Edits.begin()
            .update(
                EVERYTHING,
                one,
                Map.of(
                    "A multipleRecordLinks",
                    List.of(COMPANY_1, COMPANY_2),
                    "A lookup",
                    List.of("x@example.com", "y@example.com", "z@example.com"))));

    JsonNode lookup =
        onlyPayload(http, hook)
            .at("/changedTablesById/" + all.table(EVERYTHING).orElseThrow().id())
            .at("/changedRecordsById/" + one + "/current/cellValuesByFieldId")
            .path(meta.get("A lookup").path("id").asText());
    assertThat(lookup.path("linkedRecordIds").toString()).isEqualTo("[\"" + COMPANY_1 + "\"]");
    assertThat(lookup.at("/valuesByLinkedRecordId/" + COMPANY_1).toString())
        .isEqualTo("[\"x@example.com\",\"y@example.com\",\"z@example.com\"]");
  }

  @Test
  void a_lookup_the_schema_does_not_describe_keeps_its_list_and_its_select_values_by_name() {
    String base = "appLookupUnknown1";
    String tableId = "tblLookupUnknown1";
    FieldSchema name = new FieldSchema("fldName0000000001", "Name", "singleLineText", null, null);
    FieldSchema lookup =
        new FieldSchema("fldLookup00000001", "Seen", "multipleLookupValues", null, null);
    String rec = "recLookupUnknown1";
    Dataset dataset =
        Dataset.of(
            base,
            List.of(
                new SimTable(
                    tableId,
                    "T",
                    name.id(),
                    List.of(name, lookup),
                    List.of(new AirtableRecord(rec, Instant.EPOCH, Map.of("Name", "a"))))));
    TestHttp http = start(dataset);
    String hook = createHook(http);

    sim.apply(Edits.begin().update("T", rec, Map.of("Seen", List.of("Open", "Open"))));

    JsonNode cell =
        onlyPayload(http, hook)
            .at("/changedTablesById/" + tableId + "/changedRecordsById/" + rec)
            .at("/current/cellValuesByFieldId/" + lookup.id());
    assertThat(cell.path("linkedRecordIds")).hasSize(1);
    String group = cell.path("linkedRecordIds").get(0).asText();
    assertThat(group).matches("rec[A-Za-z0-9]{14}");
    assertThat(cell.at("/valuesByLinkedRecordId/" + group).toString())
        .isEqualTo("[\"Open\",\"Open\"]");
  }

  @Test
  void a_link_to_a_record_destroyed_in_the_same_transaction_keeps_its_name_as_previous_value() {
    Dataset all = Dataset.load(ALL_TYPES);
    TestHttp http = start(all);
    String hook = createHook(http);
    Map<String, JsonNode> meta = metaFields(http, EVERYTHING);
    String one = all.table(EVERYTHING).orElseThrow().records().get(0).id();

    sim.apply(
        Edits.begin()
            .update(EVERYTHING, one, Map.of("Employees", List.of()))
            .destroy("People", ADA));

    JsonNode change =
        onlyPayload(http, hook)
            .at("/changedTablesById/" + all.table(EVERYTHING).orElseThrow().id())
            .at("/changedRecordsById/" + one);
    String employees = meta.get("Employees").path("id").asText();
    assertThat(change.at("/current/cellValuesByFieldId").path(employees).isNull()).isTrue();
    assertThat(change.at("/previous/cellValuesByFieldId").path(employees).toString())
        .isEqualTo("[{\"id\":\"" + ADA + "\",\"name\":\"Ada\"}]");
  }
}
