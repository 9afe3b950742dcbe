package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.BaseSchema;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Every type of Airtable's field model, a cell as a webhook payload sends it (V2) and as
 * list-records gives it (V1), from https://airtable.com/developers/web/api/field-model. Values are
 * parsed from JSON with the product's mapper, so they have the Java types the parsers produce.
 */
class WebhookCellsTest {
  static final ObjectMapper MAPPER = JsonMapper.create();

  /** The field types of the field model page, plus {@code lookup} and {@code manualSort}. */
  static final Set<String> FIELD_MODEL_TYPES =
      Set.of(
          "aiText",
          "multipleAttachments",
          "autoNumber",
          "barcode",
          "button",
          "checkbox",
          "singleCollaborator",
          "count",
          "createdBy",
          "createdTime",
          "currency",
          "date",
          "dateTime",
          "duration",
          "email",
          "formula",
          "lastModifiedBy",
          "lastModifiedTime",
          "multipleRecordLinks",
          "multilineText",
          "multipleLookupValues",
          "multipleCollaborators",
          "multipleSelects",
          "number",
          "percent",
          "phoneNumber",
          "rating",
          "richText",
          "rollup",
          "singleLineText",
          "singleSelect",
          "externalSyncSource",
          "url",
          // Not on the field model page, but in schemas the Meta API or older bases give.
          "lookup",
          "manualSort");

  static final String ABSENT = "<absent>";

  /**
   * One row: a field of {@code type} (computing {@code resultType} when not null), the payload
   * value and the list-records value ({@link #ABSENT}: list-records leaves the cell out), as JSON.
   */
  record Row(String type, String resultType, String v2, String v1) {
    BaseSchema.FieldSchema field() {
      return new BaseSchema.FieldSchema(
          "fld" + type,
          "A " + type,
          type,
          List.of(),
          null,
          false,
          resultType == null ? null : new BaseSchema.Computed(resultType, null, null));
    }

    @Override
    public String toString() {
      return type + (resultType == null ? "" : "(" + resultType + ")") + " " + v2;
    }
  }

  static Row row(String type, String v2, String v1) {
    return new Row(type, null, v2, v1);
  }

  static Row row(String type, String resultType, String v2, String v1) {
    return new Row(type, resultType, v2, v1);
  }

  static final String COLLABORATOR_V2 =
      """
      {"id": "usrAAAAAAAAAAAAAA", "email": "ada@example.com", "name": "Ada",
       "permissionLevel": "edit", "profilePicUrl": "https://dl.airtable.com/profilePic.png"}""";
  static final String COLLABORATOR_V1 =
      """
      {"id": "usrAAAAAAAAAAAAAA", "email": "ada@example.com", "name": "Ada"}""";
  static final String ATTACHMENTS =
      """
      [{"id": "attAAAAAAAAAAAAAA", "url": "https://v5.airtableusercontent.com/a.png",
        "filename": "a.png", "size": 1024, "type": "image/png", "width": 16, "height": 16,
        "thumbnails": {"small": {"url": "https://v5.airtableusercontent.com/s.png",
                                 "width": 16, "height": 16}}}]""";

  static Stream<Row> rows() {
    return Stream.of(
        // Types whose payload value differs from the list-records value.
        row("singleSelect", "{\"id\": \"selAAAAAAAAAAAAAA\", \"name\": \"Open\"}", "\"Open\""),
        row(
            "singleSelect",
            "{\"id\": \"selAAAAAAAAAAAAAA\", \"name\": \"Open\", \"color\": \"blueLight2\"}",
            "\"Open\""),
        row(
            "multipleSelects",
            "[{\"id\": \"sel1\", \"name\": \"red\", \"color\": \"redLight2\"},"
                + " {\"id\": \"sel2\", \"name\": \"yes\"}]",
            "[\"red\", \"yes\"]"),
        row(
            "multipleRecordLinks",
            "[{\"id\": \"recAAAAAAAAAAAAA1\", \"name\": \"Acme\"},"
                + " {\"id\": \"recAAAAAAAAAAAAA2\", \"name\": \"\"}]",
            "[\"recAAAAAAAAAAAAA1\", \"recAAAAAAAAAAAAA2\"]"),
        row(
            "multipleLookupValues",
            "singleLineText",
            "{\"valuesByLinkedRecordId\": {\"rec2\": [\"b\"], \"rec1\": [\"a\", \"a2\"]},"
                + " \"linkedRecordIds\": [\"rec1\", \"rec2\"]}",
            "[\"a\", \"a2\", \"b\"]"),
        row(
            "multipleLookupValues",
            "singleSelect",
            "{\"valuesByLinkedRecordId\": {\"rec1\": [{\"id\": \"sel1\", \"name\": \"Open\","
                + " \"color\": \"blueLight2\"}], \"rec2\": [{\"id\": \"sel2\", \"name\": \"Done\"}]},"
                + " \"linkedRecordIds\": [\"rec2\", \"rec1\"]}",
            "[\"Done\", \"Open\"]"),
        row(
            "multipleLookupValues",
            "multipleRecordLinks",
            "{\"valuesByLinkedRecordId\": {\"rec1\": [{\"id\": \"recX\", \"name\": \"X\"},"
                + " {\"id\": \"recY\", \"name\": \"Y\"}]}, \"linkedRecordIds\": [\"rec1\"]}",
            "[\"recX\", \"recY\"]"),
        row(
            "multipleLookupValues",
            "singleCollaborator",
            "{\"valuesByLinkedRecordId\": {\"rec1\": ["
                + COLLABORATOR_V2
                + "]},"
                + " \"linkedRecordIds\": [\"rec1\"]}",
            "[" + COLLABORATOR_V1 + "]"),
        row(
            "multipleLookupValues",
            "number",
            "{\"valuesByLinkedRecordId\": {\"rec1\": [3], \"rec2\": [null, 4.5]},"
                + " \"linkedRecordIds\": [\"rec1\", \"rec2\"]}",
            "[3, 4.5]"),
        row(
            "lookup",
            "multipleSelects",
            "{\"valuesByLinkedRecordId\": {\"rec1\": [{\"id\": \"sel1\", \"name\": \"red\"}]},"
                + " \"linkedRecordIds\": [\"rec1\"]}",
            "[\"red\"]"),
        row(
            "externalSyncSource",
            "{\"id\": \"fsdAAAA\", \"name\": \"Sales sync\"}",
            "\"Sales sync\""),
        row("singleCollaborator", COLLABORATOR_V2, COLLABORATOR_V1),
        row("createdBy", COLLABORATOR_V2, COLLABORATOR_V1),
        row("lastModifiedBy", COLLABORATOR_V2, COLLABORATOR_V1),
        row(
            "multipleCollaborators",
            "[" + COLLABORATOR_V2 + ", {\"id\": \"usrBBBBBBBBBBBBBB\", \"name\": \"Bo\"}]",
            "[" + COLLABORATOR_V1 + ", {\"id\": \"usrBBBBBBBBBBBBBB\", \"name\": \"Bo\"}]"),
        // Formula and rollup results, error values included, are the same in both.
        row("formula", "singleLineText", "\"Ada – 2\"", "\"Ada – 2\""),
        row("formula", "number", "42", "42"),
        row("formula", "checkbox", "true", "true"),
        row("formula", "singleLineText", "[\"a\", 2]", "[\"a\", 2]"),
        row("formula", "number", "{\"error\": \"#ERROR!\"}", "{\"error\": \"#ERROR!\"}"),
        row("formula", "number", "{\"specialValue\": \"NaN\"}", "{\"specialValue\": \"NaN\"}"),
        row(
            "formula",
            "number",
            "{\"specialValue\": \"Infinity\"}",
            "{\"specialValue\": \"Infinity\"}"),
        row("formula", null, "\"no result type\"", "\"no result type\""),
        row("rollup", "number", "12.5", "12.5"),
        row("rollup", "singleLineText", "\"a, b\"", "\"a, b\""),
        row("rollup", "checkbox", "true", "true"),
        row("rollup", "number", "{\"error\": \"#ERROR!\"}", "{\"error\": \"#ERROR!\"}"),
        // The same in both formats.
        row("singleLineText", "\"Ada\"", "\"Ada\""),
        row("email", "\"ada@example.com\"", "\"ada@example.com\""),
        row("url", "\"https://example.com\"", "\"https://example.com\""),
        row("multilineText", "\"line 1\\nline 2\"", "\"line 1\\nline 2\""),
        row("richText", "\"**bold**\\n\"", "\"**bold**\\n\""),
        row("phoneNumber", "\"(415) 555-0100\"", "\"(415) 555-0100\""),
        row("number", "7", "7"),
        row("number", "0", "0"),
        row("percent", "0.25", "0.25"),
        row("currency", "12.5", "12.5"),
        row("duration", "3600", "3600"),
        row("rating", "4", "4"),
        row("autoNumber", "17", "17"),
        row("count", "3", "3"),
        row("count", "0", "0"),
        row("date", "\"2022-09-05\"", "\"2022-09-05\""),
        row("dateTime", "\"2022-09-05T07:00:00.000Z\"", "\"2022-09-05T07:00:00.000Z\""),
        row("createdTime", "\"2022-09-05T07:00:00.000Z\"", "\"2022-09-05T07:00:00.000Z\""),
        row("lastModifiedTime", "\"2022-09-05T07:00:00.000Z\"", "\"2022-09-05T07:00:00.000Z\""),
        row("checkbox", "true", "true"),
        row(
            "barcode",
            "{\"text\": \"012345\", \"type\": \"upce\"}",
            "{\"text\": \"012345\", \"type\": \"upce\"}"),
        row("barcode", "{\"text\": \"012345\"}", "{\"text\": \"012345\"}"),
        row(
            "button",
            "{\"label\": \"Open\", \"url\": \"https://example.com\"}",
            "{\"label\": \"Open\", \"url\": \"https://example.com\"}"),
        row("button", "{\"label\": \"Run\", \"url\": null}", "{\"label\": \"Run\", \"url\": null}"),
        row("multipleAttachments", ATTACHMENTS, ATTACHMENTS),
        row(
            "aiText",
            "{\"state\": \"generated\", \"isStale\": false, \"value\": \"A summary\"}",
            "{\"state\": \"generated\", \"isStale\": false, \"value\": \"A summary\"}"),
        row(
            "aiText",
            "{\"state\": \"error\", \"errorType\": \"tooManyTokens\", \"isStale\": false,"
                + " \"value\": null}",
            "{\"state\": \"error\", \"errorType\": \"tooManyTokens\", \"isStale\": false,"
                + " \"value\": null}"),
        row("manualSort", "\"a0\"", "\"a0\""),
        // Empty cells: list-records leaves them out.
        row("singleLineText", "null", ABSENT),
        row("singleLineText", "\"\"", ABSENT),
        row("singleSelect", "null", ABSENT),
        row("multipleSelects", "[]", ABSENT),
        row("multipleRecordLinks", "[]", ABSENT),
        row("multipleRecordLinks", "null", ABSENT),
        row("multipleAttachments", "[]", ABSENT),
        row("singleCollaborator", "null", ABSENT),
        row(
            "multipleLookupValues",
            "singleSelect",
            "{\"valuesByLinkedRecordId\": {}, \"linkedRecordIds\": []}",
            ABSENT),
        row("checkbox", "false", ABSENT),
        row("formula", "checkbox", "false", ABSENT),
        row("number", "null", ABSENT),
        // A type Airtable adds later keeps its value (false and objects included).
        row("aFieldTypeAirtableAddsLater", "{\"some\": \"thing\"}", "{\"some\": \"thing\"}"),
        row("aFieldTypeAirtableAddsLater", "false", "false"),
        row("aFieldTypeAirtableAddsLater", "null", ABSENT));
  }

  static Object json(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @ParameterizedTest
  @MethodSource("rows")
  void a_payload_cell_becomes_the_list_records_cell_and_a_list_records_cell_stays_as_it_is(
      Row row) {
    WebhookCells cells = new WebhookCells();
    Object expected = row.v1().equals(ABSENT) ? null : json(row.v1());

    assertThat(cells.toListRecords(row.field(), json(row.v2()))).isEqualTo(expected);
    if (expected != null) {
      assertThat(cells.toListRecords(row.field(), json(row.v1())))
          .as("a list-records value passes through unchanged")
          .isEqualTo(expected);
    }
  }

  @Test
  void the_table_has_a_row_for_every_type_of_the_field_model_and_the_converter_knows_them_all() {
    Set<String> rowTypes = new HashSet<>();
    rows().forEach(r -> rowTypes.add(r.type()));
    assertThat(rowTypes).containsAll(FIELD_MODEL_TYPES);
    assertThat(WebhookCells.KNOWN_TYPES).containsExactlyInAnyOrderElementsOf(FIELD_MODEL_TYPES);
  }

  @Test
  void a_select_converts_without_its_choices_in_the_schema_as_for_a_field_a_payload_created() {
    // A field created by an earlier payload is known only by name and type.
    BaseSchema.FieldSchema created =
        new BaseSchema.FieldSchema("fldNEW", "Stage", "singleSelect", List.of(), null);
    assertThat(
            new WebhookCells()
                .toListRecords(
                    created, json("{\"id\": \"selX\", \"name\": \"Won\", \"color\": \"x\"}")))
        .isEqualTo("Won");
  }

  @Test
  void a_lookup_without_a_result_type_flattens_and_keeps_its_inner_values() {
    BaseSchema.FieldSchema lookup =
        new BaseSchema.FieldSchema("fldL", "Looked up", "multipleLookupValues", List.of(), null);
    assertThat(
            new WebhookCells()
                .toListRecords(
                    lookup,
                    json(
                        "{\"valuesByLinkedRecordId\": {\"rec1\": [\"a\"], \"rec2\": [1]},"
                            + " \"linkedRecordIds\": [\"rec2\", \"rec1\"]}")))
        .isEqualTo(List.of(1, "a"));
  }

  @Test
  void an_unknown_type_is_logged_once_naming_the_type_and_field_but_never_the_value() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(WebhookCells.class);
    appender.start();
    logger.addAppender(appender);
    try {
      WebhookCells cells = new WebhookCells();
      BaseSchema.FieldSchema field =
          new BaseSchema.FieldSchema("fldNEWTYPE", "Gizmo", "hologram", List.of(), null);
      cells.toListRecords(field, "secret value 1");
      cells.toListRecords(field, "secret value 2");
      cells.toListRecords(
          new BaseSchema.FieldSchema("fldOTHER", "Other", "hologram", List.of(), null), "x");
      cells.toListRecords(
          new BaseSchema.FieldSchema("fldSOUND", "Sound", "audioClip", List.of(), null), "y");

      assertThat(appender.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .hasSize(2)
          .allSatisfy(m -> assertThat(m).doesNotContain("secret value", "\"x\"", "'y'"));
      assertThat(appender.list.get(0).getFormattedMessage())
          .contains("hologram", "Gizmo", "fldNEWTYPE");
      assertThat(appender.list.get(1).getFormattedMessage()).contains("audioClip", "Sound");
      // A new converter (the next MirrorChanges.map call) says it again.
      new WebhookCells().toListRecords(field, "z");
      assertThat(appender.list).hasSize(3);
    } finally {
      logger.detachAppender(appender);
    }
  }
}
