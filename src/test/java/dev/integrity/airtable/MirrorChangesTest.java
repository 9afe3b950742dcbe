package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Ticker;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.testing.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook payloads shaped as Airtable documents them (webhooks API "Webhooks payload", cell values
 * per https://airtable.com/developers/web/api/field-model), read by {@link AirtableWebhooks} from a
 * server and mapped by {@link MirrorChanges}: the mirror gets the values list-records gives, and
 * the payloads a mirror cannot follow ask for a full scan that says why.
 */
class MirrorChangesTest {
  static final String HOOK = "achTESTHOOK000001";

  /**
   * A Meta API answer: the Tasks table with selects, a link, a lookup, collaborators, a formula.
   */
  static final String SCHEMA =
      """
      {"tables": [
        {"id": "tblTasks000000001", "name": "Tasks", "primaryFieldId": "fldName0000000001",
         "fields": [
          {"id": "fldName0000000001", "name": "Name", "type": "singleLineText"},
          {"id": "fldStatus00000001", "name": "Status", "type": "singleSelect",
           "options": {"choices": [{"id": "selOpen", "name": "Open", "color": "blueLight2"},
                                   {"id": "selDone", "name": "Done", "color": "greenLight2"}]}},
          {"id": "fldTags0000000001", "name": "Tags", "type": "multipleSelects",
           "options": {"choices": [{"id": "selRed", "name": "red", "color": "redLight2"},
                                   {"id": "selYes", "name": "yes", "color": "greenLight2"}]}},
          {"id": "fldClient00000001", "name": "Client", "type": "multipleRecordLinks",
           "options": {"linkedTableId": "tblClients0000001", "isReversed": false,
                       "prefersSingleRecordLink": false, "inverseLinkFieldId": "fldTasks000000001"}},
          {"id": "fldClientStatus01", "name": "Client status", "type": "multipleLookupValues",
           "options": {"isValid": true, "recordLinkFieldId": "fldClient00000001",
                       "fieldIdInLinkedTable": "fldCStatus0000001",
                       "result": {"type": "singleSelect", "options": {"choices": [
                         {"id": "selActive", "name": "Active", "color": "greenLight2"}]}}}},
          {"id": "fldOwner000000001", "name": "Owner", "type": "singleCollaborator"},
          {"id": "fldHelpers0000001", "name": "Helpers", "type": "multipleCollaborators"},
          {"id": "fldDone0000000001", "name": "Done", "type": "checkbox",
           "options": {"icon": "check", "color": "greenBright"}},
          {"id": "fldNotes000000001", "name": "Notes", "type": "multilineText"},
          {"id": "fldTotal000000001", "name": "Total", "type": "formula",
           "options": {"isValid": true, "formula": "1/0", "referencedFieldIds": [],
                       "result": {"type": "number", "options": {"precision": 0}}}}
         ]},
        {"id": "tblClients0000001", "name": "Clients", "primaryFieldId": "fldCName000000001",
         "fields": [
          {"id": "fldCName000000001", "name": "Name", "type": "singleLineText"},
          {"id": "fldCStatus0000001", "name": "Status", "type": "singleSelect",
           "options": {"choices": [{"id": "selActive", "name": "Active"}]}}
         ]}
      ]}""";

  static final String OWNER_V2 =
      """
      {"id": "usrAAAAAAAAAAAAAA", "email": "ada@example.com", "name": "Ada",
       "permissionLevel": "create", "profilePicUrl": "https://dl.airtable.com/ada.png"}""";

  /** recA as list-records gives it. */
  static final String LIST_PAGE =
      """
      {"records": [{"id": "recTaskA000000001", "createdTime": "2022-09-05T07:00:00.000Z",
        "fields": {
          "Name": "Launch",
          "Status": "Open",
          "Tags": ["red", "yes"],
          "Client": ["recClient00000001"],
          "Client status": ["Active"],
          "Owner": {"id": "usrAAAAAAAAAAAAAA", "email": "ada@example.com", "name": "Ada"},
          "Helpers": [{"id": "usrBBBBBBBBBBBBBB", "email": "bo@example.com", "name": "Bo"}],
          "Done": true,
          "Total": {"error": "#ERROR!"}
        }}]}""";

  /** recB created with the same cells as recA, as a webhook payload sends them. */
  static final String CREATED_PAYLOAD =
      """
      {"timestamp": "2022-09-05T07:00:00.000Z", "baseTransactionNumber": 4,
       "actionMetadata": {"source": "client",
                          "sourceMetadata": {"user": {"id": "usrAAAAAAAAAAAAAA",
                                                      "email": "ada@example.com",
                                                      "permissionLevel": "create"}}},
       "payloadFormat": "v0",
       "changedTablesById": {"tblTasks000000001": {"createdRecordsById": {"recTaskB000000001": {
         "createdTime": "2022-09-05T07:00:00.000Z",
         "cellValuesByFieldId": {
           "fldName0000000001": "Launch",
           "fldStatus00000001": {"id": "selOpen", "name": "Open", "color": "blueLight2"},
           "fldTags0000000001": [{"id": "selRed", "name": "red", "color": "redLight2"},
                                 {"id": "selYes", "name": "yes", "color": "greenLight2"}],
           "fldClient00000001": [{"id": "recClient00000001", "name": "Acme"}],
           "fldClientStatus01": {"valuesByLinkedRecordId": {"recClient00000001": [
                                   {"id": "selActive", "name": "Active", "color": "greenLight2"}]},
                                 "linkedRecordIds": ["recClient00000001"]},
           "fldOwner000000001": %s,
           "fldHelpers0000001": [{"id": "usrBBBBBBBBBBBBBB", "email": "bo@example.com",
                                  "name": "Bo", "permissionLevel": "edit"}],
           "fldDone0000000001": true,
           "fldNotes000000001": null,
           "fldTotal000000001": {"error": "#ERROR!"}
         }}}}}}"""
          .formatted(OWNER_V2);

  /** recA changed without its unchanged cells: a select changed, cells cleared. */
  static final String CHANGED_PAYLOAD =
      """
      {"timestamp": "2022-09-05T08:00:00.000Z", "baseTransactionNumber": 5,
       "actionMetadata": {"source": "client", "sourceMetadata": {}},
       "payloadFormat": "v0",
       "changedTablesById": {"tblTasks000000001": {"changedRecordsById": {"recTaskA000000001": {
         "current": {"cellValuesByFieldId": {
           "fldStatus00000001": {"id": "selDone", "name": "Done", "color": "greenLight2"},
           "fldTags0000000001": null,
           "fldClient00000001": [],
           "fldDone0000000001": false,
           "fldName0000000001": ""}},
         "previous": {"cellValuesByFieldId": {
           "fldStatus00000001": {"id": "selOpen", "name": "Open", "color": "blueLight2"},
           "fldTags0000000001": [{"id": "selRed", "name": "red"}],
           "fldClient00000001": [{"id": "recClient00000001", "name": "Acme"}],
           "fldDone0000000001": true,
           "fldName0000000001": "Launch"}}
       }}}}}""";

  /** recC changed with its unchanged cells (includeCellValuesInFieldIds: all). */
  static final String CHANGED_WITH_UNCHANGED_PAYLOAD =
      """
      {"timestamp": "2022-09-05T09:00:00.000Z", "baseTransactionNumber": 6,
       "actionMetadata": {"source": "client", "sourceMetadata": {}},
       "payloadFormat": "v0",
       "changedTablesById": {"tblTasks000000001": {"changedRecordsById": {"recTaskC000000001": {
         "current": {"cellValuesByFieldId": {
           "fldStatus00000001": {"id": "selDone", "name": "Done"},
           "fldOwner000000001": null}},
         "previous": {"cellValuesByFieldId": {
           "fldStatus00000001": {"id": "selOpen", "name": "Open"},
           "fldOwner000000001": %s}},
         "unchanged": {"cellValuesByFieldId": {
           "fldName0000000001": "Follow-up",
           "fldClient00000001": [{"id": "recClient00000002", "name": "Bolt"}],
           "fldClientStatus01": {"valuesByLinkedRecordId": {"recClient00000002": []},
                                 "linkedRecordIds": ["recClient00000002"]},
           "fldDone0000000001": false,
           "fldTotal000000001": {"specialValue": "NaN"}}}
       }}}}}"""
          .formatted(OWNER_V2);

  static final String ERROR_PAYLOAD =
      """
      {"timestamp": "2022-09-05T10:00:00.000Z", "baseTransactionNumber": 7,
       "payloadFormat": "v0", "error": true, "code": "INVALID_FILTERS"}""";

  final MockWebServer server = new MockWebServer();
  final MutableClock clock = new MutableClock(Instant.parse("2022-09-06T00:00:00Z"));
  AirtableClient client;
  AirtableWebhooks webhooks;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = new AirtableClient(settings(server).build(), Ticker.system(), AirtableListener.none());
    webhooks = new AirtableWebhooks(client, clock);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static String page(long cursor, String... payloads) {
    return "{\"payloads\": ["
        + String.join(",", payloads)
        + "], \"cursor\": "
        + (cursor + payloads.length)
        + ", \"mightHaveMore\": false}";
  }

  BaseSchema schema() {
    server.enqueue(ok(SCHEMA));
    return client.fetchSchema(BASE, FetchControl.create());
  }

  List<WebhookPayload> payloads(long cursor, String... payloads) {
    server.enqueue(ok(page(cursor, payloads)));
    WebhookOutcome<AirtableWebhooks.Payloads> read =
        webhooks.payloads(BASE, HOOK, cursor, FetchControl.create());
    assertThat(read).isInstanceOf(WebhookOutcome.Ok.class);
    return ((WebhookOutcome.Ok<AirtableWebhooks.Payloads>) read).value().payloads();
  }

  static Map<String, MirrorChanges.Scope> tasks(BaseSchema schema) {
    Set<String> all =
        Set.copyOf(
            schema.table("Tasks").orElseThrow().fields().stream()
                .map(BaseSchema.FieldSchema::name)
                .toList());
    return Map.of("tasks", new MirrorChanges.Scope("Tasks", all));
  }

  static Map<String, MirrorChanges.RecordChange> changes(MirrorChanges.Result result) {
    assertThat(result).isInstanceOf(MirrorChanges.Result.Changes.class);
    return ((MirrorChanges.Result.Changes) result).byEntity().get("tasks");
  }

  static String reason(MirrorChanges.Result result) {
    assertThat(result).isInstanceOf(MirrorChanges.Result.FullScanNeeded.class);
    return ((MirrorChanges.Result.FullScanNeeded) result).reason();
  }

  @Test
  void a_created_record_reaches_the_mirror_with_the_cells_list_records_gives_for_the_same_data() {
    BaseSchema schema = schema();
    server.enqueue(ok(LIST_PAGE));
    AirtableRecord listed =
        client
            .listRecords(BASE, "Tasks", ListOptions.all(), FetchControl.create(), e -> {})
            .records()
            .get(0);

    Map<String, MirrorChanges.RecordChange> changes =
        changes(MirrorChanges.map(payloads(1, CREATED_PAYLOAD), schema, tasks(schema)));

    // Same cells by both roads: selects as names, links as ids, the lookup flat, collaborators
    // without permissionLevel/profilePicUrl, the formula error as it is, the null cell absent.
    assertThat(changes)
        .containsExactly(
            Map.entry("recTaskB000000001", new MirrorChanges.RecordChange.Put(listed.fields())));
    assertThat(listed.fields())
        .containsEntry("Status", "Open")
        .containsEntry("Client status", List.of("Active"))
        .doesNotContainKey("Notes");
  }

  @Test
  void a_changed_select_and_cleared_cells_patch_the_mirror_with_names_and_removals() {
    BaseSchema schema = schema();
    Map<String, MirrorChanges.RecordChange> changes =
        changes(MirrorChanges.map(payloads(1, CHANGED_PAYLOAD), schema, tasks(schema)));

    Map<String, Object> patch = new HashMap<>();
    patch.put("Status", "Done");
    patch.put("Tags", null); // null: cleared
    patch.put("Client", null); // an empty link list: list-records leaves it out
    patch.put("Done", null); // unchecked
    patch.put("Name", null); // an empty string
    assertThat(changes)
        .containsExactly(
            Map.entry("recTaskA000000001", new MirrorChanges.RecordChange.Patch(patch)));
  }

  @Test
  void a_changed_record_with_its_unchanged_cells_is_put_whole_in_the_list_records_format() {
    BaseSchema schema = schema();
    Map<String, MirrorChanges.RecordChange> changes =
        changes(
            MirrorChanges.map(payloads(1, CHANGED_WITH_UNCHANGED_PAYLOAD), schema, tasks(schema)));

    Map<String, Object> put = new LinkedHashMap<>();
    put.put("Name", "Follow-up");
    put.put("Client", List.of("recClient00000002"));
    put.put("Total", Map.of("specialValue", "NaN"));
    put.put("Status", "Done");
    assertThat(changes)
        .containsExactly(Map.entry("recTaskC000000001", new MirrorChanges.RecordChange.Put(put)));
  }

  @Test
  void a_created_record_then_patched_folds_into_one_put_in_the_list_records_format() {
    BaseSchema schema = schema();
    String createdA = CREATED_PAYLOAD.replace("recTaskB000000001", "recTaskA000000001");
    Map<String, MirrorChanges.RecordChange> changes =
        changes(MirrorChanges.map(payloads(1, createdA, CHANGED_PAYLOAD), schema, tasks(schema)));

    assertThat(changes).containsOnlyKeys("recTaskA000000001");
    var put = (MirrorChanges.RecordChange.Put) changes.get("recTaskA000000001");
    assertThat(put.fields())
        .containsEntry("Status", "Done")
        .containsEntry("Client status", List.of("Active"))
        .doesNotContainKeys("Tags", "Client", "Done", "Name");
  }

  @Test
  void an_error_payload_is_parsed_and_makes_the_run_a_full_scan_naming_its_cursor_and_code() {
    BaseSchema schema = schema();
    List<WebhookPayload> read = payloads(11, CHANGED_PAYLOAD, ERROR_PAYLOAD);

    assertThat(read).extracting(WebhookPayload::cursor).containsExactly(11L, 12L);
    assertThat(read.get(0).error()).isFalse();
    assertThat(read.get(0).errorCode()).isNull();
    assertThat(read.get(1).error()).isTrue();
    assertThat(read.get(1).errorCode()).isEqualTo("INVALID_FILTERS");
    assertThat(read.get(1).changedTablesById()).isEmpty();

    assertThat(reason(MirrorChanges.map(read, schema, tasks(schema))))
        .startsWith("payload 12: Airtable sent an error payload INVALID_FILTERS");
  }

  @Test
  void an_error_payload_without_a_code_or_with_a_code_added_later_still_needs_a_full_scan() {
    BaseSchema schema = schema();
    List<WebhookPayload> read =
        payloads(
            3,
            "{\"timestamp\": \"2022-09-05T10:00:00.000Z\", \"baseTransactionNumber\": 8,"
                + " \"payloadFormat\": \"v0\", \"error\": true}");
    assertThat(reason(MirrorChanges.map(read, schema, tasks(schema))))
        .startsWith("payload 3: Airtable sent an error payload without a code");

    List<WebhookPayload> internal =
        payloads(4, ERROR_PAYLOAD.replace("INVALID_FILTERS", "INTERNAL_ERROR"));
    assertThat(reason(MirrorChanges.map(internal, schema, tasks(schema))))
        .startsWith("payload 4: Airtable sent an error payload INTERNAL_ERROR");
  }

  @Test
  void a_destroyed_table_that_an_entity_reads_needs_a_full_scan_and_another_does_not() {
    BaseSchema schema = schema();
    String destroyed =
        """
        {"timestamp": "2022-09-05T10:00:00.000Z", "baseTransactionNumber": 9,
         "payloadFormat": "v0", "destroyedTableIds": ["%s"]}""";
    assertThat(
            reason(
                MirrorChanges.map(
                    payloads(5, destroyed.formatted("tblTasks000000001")), schema, tasks(schema))))
        .isEqualTo("payload 5: table tblTasks000000001 was destroyed");
    assertThat(
            MirrorChanges.map(
                payloads(5, destroyed.formatted("tblOther000000001")), schema, tasks(schema)))
        .isEqualTo(new MirrorChanges.Result.Changes(Map.of()));
  }

  @Test
  void a_checked_field_retyped_renamed_or_destroyed_needs_a_full_scan_that_says_which() {
    BaseSchema schema = schema();
    String fieldChange =
        """
        {"timestamp": "2022-09-05T10:00:00.000Z", "baseTransactionNumber": 9, "payloadFormat": "v0",
         "changedTablesById": {"tblTasks000000001": %s}}""";
    String retyped =
        """
        {"changedFieldsById": {"fldStatus00000001": {
           "current": {"type": "singleLineText"}, "previous": {"type": "singleSelect"}}}}""";
    String renamed =
        """
        {"changedFieldsById": {"fldStatus00000001": {
           "current": {"name": "State"}, "previous": {"name": "Status"}}}}""";
    String gone = "{\"destroyedFieldIds\": [\"fldStatus00000001\"]}";
    String taken =
        """
        {"createdFieldsById": {"fldNew00000000001": {"name": "Status", "type": "number"}}}""";

    assertThat(
            reason(
                MirrorChanges.map(
                    payloads(6, fieldChange.formatted(retyped)), schema, tasks(schema))))
        .isEqualTo(
            "payload 6, table tblTasks000000001: checked field Status (fldStatus00000001) was"
                + " changed");
    assertThat(
            reason(
                MirrorChanges.map(
                    payloads(6, fieldChange.formatted(renamed)), schema, tasks(schema))))
        .isEqualTo(
            "payload 6, table tblTasks000000001: checked field Status (fldStatus00000001) was"
                + " renamed to State");
    assertThat(
            reason(
                MirrorChanges.map(payloads(6, fieldChange.formatted(gone)), schema, tasks(schema))))
        .isEqualTo("payload 6, table tblTasks000000001: checked field Status was destroyed");
    assertThat(
            reason(
                MirrorChanges.map(
                    payloads(6, fieldChange.formatted(taken)), schema, tasks(schema))))
        .contains("created with checked name Status");
  }

  @Test
  void a_field_a_payload_creates_is_known_to_later_payloads_and_an_unchecked_one_changes_nothing() {
    BaseSchema schema = schema();
    Set<String> some = Set.of("Name", "Status");
    Map<String, MirrorChanges.Scope> scopes =
        Map.of("tasks", new MirrorChanges.Scope("Tasks", some));
    String created =
        """
        {"timestamp": "2022-09-05T10:00:00.000Z", "baseTransactionNumber": 10, "payloadFormat": "v0",
         "changedTablesById": {"tblTasks000000001": {"createdFieldsById": {
           "fldStage000000001": {"name": "Stage", "type": "singleSelect"}}}}}""";
    String value =
        """
        {"timestamp": "2022-09-05T10:01:00.000Z", "baseTransactionNumber": 11, "payloadFormat": "v0",
         "changedTablesById": {"tblTasks000000001": {"changedRecordsById": {"recTaskA000000001": {
           "current": {"cellValuesByFieldId": {
             "fldStage000000001": {"id": "selWon", "name": "Won"},
             "fldStatus00000001": {"id": "selDone", "name": "Done"}}},
           "previous": {"cellValuesByFieldId": {"fldStage000000001": null}}}}}}}""";

    assertThat(changes(MirrorChanges.map(payloads(7, created, value), schema, scopes)))
        .containsExactly(
            Map.entry(
                "recTaskA000000001",
                new MirrorChanges.RecordChange.Patch(Map.of("Status", "Done"))));
    // Without the creation, the same value is of a field the mirror's schema does not know.
    assertThat(reason(MirrorChanges.map(payloads(8, value), schema, scopes)))
        .contains("field fldStage000000001 is not in the mirror's schema");
  }

  @Test
  void an_answer_whose_cursor_jumps_past_its_payloads_is_a_cursor_too_old_outcome() {
    server.enqueue(
        ok("{\"payloads\": [" + CHANGED_PAYLOAD + "], \"cursor\": 40, \"mightHaveMore\": false}"));
    WebhookOutcome<AirtableWebhooks.Payloads> read =
        webhooks.payloads(BASE, HOOK, 11, FetchControl.create());
    assertThat(read).isInstanceOf(WebhookOutcome.CursorTooOld.class);
    assertThat(read.reason()).contains("from cursor 11", "skipped to cursor 40", "7 days");
  }
}
