package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the simulator sends: records (encoded once per dataset, since every full page is a
 * concatenation of them), list pages and the Meta API's schema. Immutable after construction and
 * thread-safe.
 */
final class RecordJson {
  private static final DateTimeFormatter CREATED_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final byte[] PAGE_START = "{\"records\":[".getBytes(StandardCharsets.UTF_8);

  private final ObjectMapper mapper;
  private final Map<String, byte[][]> encoded = new HashMap<>();
  private final byte[] meta;

  RecordJson(Dataset dataset, ObjectMapper mapper) {
    this.mapper = mapper;
    for (SimTable t : dataset.tables()) {
      byte[][] bytes = new byte[t.records().size()][];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = encode(t.records().get(i), t.records().get(i).fields());
      }
      encoded.put(t.id(), bytes);
    }
    this.meta = encodeMeta(dataset);
  }

  static String formatInstant(Instant instant) {
    return CREATED_TIME.format(instant);
  }

  byte[] meta() {
    return meta;
  }

  /**
   * One page: records {@code [from, to)} of the table, only {@code fields} when not null, keyed by
   * field id when {@code byFieldId}; {@code offset} is appended when not null.
   */
  byte[] page(
      SimTable table,
      int from,
      int to,
      List<FieldSchema> fields,
      boolean byFieldId,
      String offset) {
    return page(table, null, from, to, fields, byFieldId, offset);
  }

  /**
   * As {@link #page(SimTable, int, int, List, boolean, String)} over a selection: positions {@code
   * [from, to)} of {@code rows} (record indexes in table order; null = every record).
   */
  byte[] page(
      SimTable table,
      int[] rows,
      int from,
      int to,
      List<FieldSchema> fields,
      boolean byFieldId,
      String offset) {
    var out = new ByteArrayOutputStream(Math.max(64, (to - from) * 256));
    out.writeBytes(PAGE_START);
    byte[][] full = encoded.get(table.id());
    for (int p = from; p < to; p++) {
      if (p > from) {
        out.write(',');
      }
      int i = rows == null ? p : rows[p];
      if (fields == null && !byFieldId) {
        out.writeBytes(full[i]);
      } else {
        out.writeBytes(
            encode(
                table.records().get(i), select(table, table.records().get(i), fields, byFieldId)));
      }
    }
    out.write(']');
    if (offset != null) {
      // Offsets are made of [A-Za-z0-9/] only: nothing to escape.
      out.writeBytes((",\"offset\":\"" + offset + "\"").getBytes(StandardCharsets.US_ASCII));
    }
    out.write('}');
    return out.toByteArray();
  }

  byte[] record(SimTable table, int index) {
    return encoded.get(table.id())[index];
  }

  private static Map<String, Object> select(
      SimTable table, AirtableRecord r, List<FieldSchema> fields, boolean byFieldId) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldSchema f : fields == null ? table.fields() : fields) {
      Object v = r.fields().get(f.name());
      if (v != null) {
        out.put(byFieldId ? f.id() : f.name(), v);
      }
    }
    return out;
  }

  private byte[] encode(AirtableRecord r, Map<String, Object> fields) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", r.id());
    json.put("createdTime", formatInstant(r.createdTime()));
    json.put("fields", fields);
    try {
      return mapper.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new SimulatorException(
          "record " + r.id() + " cannot be encoded as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private byte[] encodeMeta(Dataset dataset) {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode tables = root.putArray("tables");
    for (SimTable t : dataset.tables()) {
      ObjectNode tn = tables.addObject();
      tn.put("id", t.id()).put("name", t.name()).put("primaryFieldId", t.primaryFieldId());
      ArrayNode fields = tn.putArray("fields");
      for (FieldSchema f : t.fields()) {
        ObjectNode fn =
            fields.addObject().put("type", f.type()).put("id", f.id()).put("name", f.name());
        ObjectNode options = options(t, f);
        if (options != null) {
          fn.set("options", options);
        }
      }
      ArrayNode views = tn.putArray("views");
      views
          .addObject()
          .put("id", Ids.derived("viw", t.id() + ":Grid view"))
          .put("name", "Grid view")
          .put("type", "grid");
      for (String view : t.views().keySet()) {
        views
            .addObject()
            .put("id", Ids.derived("viw", t.id() + ":" + view))
            .put("name", view)
            .put("type", "grid");
      }
    }
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new SimulatorException(
          "schema cannot be encoded as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private ObjectNode options(SimTable t, FieldSchema f) {
    ObjectNode o = mapper.createObjectNode();
    switch (f.type()) {
      case "singleSelect", "multipleSelects" -> {
        ArrayNode choices = o.putArray("choices");
        List<String> names = new ArrayList<>(f.choices());
        for (String name : names) {
          choices
              .addObject()
              .put("id", WebhookCellFormat.choiceId(f.id(), name))
              .put("name", name)
              .put("color", WebhookCellFormat.CHOICE_COLOR);
        }
      }
      case "multipleRecordLinks" -> {
        o.put("linkedTableId", f.linkedTableId());
        o.put("isReversed", false);
        o.put("prefersSingleRecordLink", f.prefersSingleRecordLink());
      }
      case "number", "percent" -> o.put("precision", 0);
      case "currency" -> o.put("precision", 2).put("symbol", "$");
      case "rating" -> o.put("icon", "star").put("max", 5).put("color", "yellowBright");
      case "duration" -> o.put("durationFormat", "h:mm");
      case "date" -> o.putObject("dateFormat").put("name", "iso").put("format", "YYYY-MM-DD");
      case "dateTime", "createdTime", "lastModifiedTime" -> {
        o.putObject("dateFormat").put("name", "iso").put("format", "YYYY-MM-DD");
        o.putObject("timeFormat").put("name", "24hour").put("format", "HH:mm");
        o.put("timeZone", "utc");
      }
      case "checkbox" -> o.put("icon", "check").put("color", "greenBright");
      case "multipleAttachments" -> o.put("isReversed", false);
      case "formula", "rollup", "multipleLookupValues", "lookup", "count" -> computed(f, o);
      default -> {
        return null;
      }
    }
    return o;
  }

  /**
   * A computed field's options: what it computes to ({@code result.type}; text when the dataset
   * does not say), and for lookups, rollups and counts the link field they follow and the field
   * they read in the linked table, when the dataset says.
   */
  private void computed(FieldSchema f, ObjectNode o) {
    o.put("isValid", true);
    BaseSchema.Computed c = f.computed();
    if (f.type().equals("formula") || f.type().equals("rollup")) {
      o.putArray("referencedFieldIds");
    }
    if (!f.type().equals("count")) {
      String result = c != null && c.resultType() != null ? c.resultType() : "singleLineText";
      ObjectNode r = o.putObject("result").put("type", result);
      if ((result.equals("singleSelect") || result.equals("multipleSelects"))
          && !f.choices().isEmpty()) {
        String of =
            c != null && c.fieldIdInLinkedTable() != null ? c.fieldIdInLinkedTable() : f.id();
        ArrayNode choices = r.putObject("options").putArray("choices");
        for (String name : f.choices()) {
          choices
              .addObject()
              .put("id", WebhookCellFormat.choiceId(of, name))
              .put("name", name)
              .put("color", WebhookCellFormat.CHOICE_COLOR);
        }
      }
    }
    if (c != null && c.recordLinkFieldId() != null) {
      o.put("recordLinkFieldId", c.recordLinkFieldId());
    }
    if (c != null && c.fieldIdInLinkedTable() != null && !f.type().equals("count")) {
      o.put("fieldIdInLinkedTable", c.fieldIdInLinkedTable());
    }
  }
}
