package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.Computed;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON the simulator sends: records (encoded once per dataset, since every full page is a
 * concatenation of them), list pages and the Meta API's schema. Immutable after construction and
 * thread-safe.
 */
final class RecordJson {
  private static final DateTimeFormatter CREATED_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** What a computed field's values are when the dataset does not say. */
  static final String DEFAULT_RESULT_TYPE = "singleLineText";

  private static final byte[] PAGE_START = "{\"records\":[".getBytes(StandardCharsets.UTF_8);

  private final ObjectMapper mapper;
  private final Map<String, byte[][]> encoded = new HashMap<>();
  private final byte[] meta;

  /** The records encoded, by table id, as the same lists the dataset holds. */
  private final Map<String, List<AirtableRecord>> sources = new HashMap<>();

  RecordJson(Dataset dataset, ObjectMapper mapper) {
    this(dataset, mapper, null);
  }

  /**
   * As {@link #RecordJson(Dataset, ObjectMapper)}, reusing the bytes {@code previous} (null: none)
   * encoded for the very same record objects: after an edit most records are the ones already
   * encoded (records are immutable), and encoding every record of a large base again made each
   * write cost tens of milliseconds.
   */
  RecordJson(Dataset dataset, ObjectMapper mapper, RecordJson previous) {
    this.mapper = mapper;
    for (SimTable t : dataset.tables()) {
      Map<AirtableRecord, byte[]> known = previous == null ? null : previous.byRecord(t.id());
      byte[][] bytes = new byte[t.records().size()][];
      for (int i = 0; i < bytes.length; i++) {
        AirtableRecord r = t.records().get(i);
        byte[] done = known == null ? null : known.get(r);
        bytes[i] = done != null ? done : encode(r, r.fields());
      }
      encoded.put(t.id(), bytes);
      sources.put(t.id(), t.records());
    }
    this.meta = encodeMeta(dataset);
  }

  /** This table's encodings by record object (identity), null when the table is unknown. */
  private Map<AirtableRecord, byte[]> byRecord(String tableId) {
    List<AirtableRecord> records = sources.get(tableId);
    if (records == null) {
      return null;
    }
    byte[][] bytes = encoded.get(tableId);
    Map<AirtableRecord, byte[]> out = new java.util.IdentityHashMap<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      out.put(records.get(i), bytes[i]);
    }
    return out;
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
        ObjectNode options = options(dataset, f);
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

  /** A field's {@code options} as the Meta API gives them, or null for a type without any. */
  private ObjectNode options(Dataset dataset, FieldSchema f) {
    ObjectNode o = mapper.createObjectNode();
    Computed c = f.computed();
    switch (f.type()) {
      case "singleSelect", "multipleSelects", "externalSyncSource" -> {
        ArrayNode choices = o.putArray("choices");
        for (String name : f.choices()) {
          choices
              .addObject()
              .put("id", Ids.choice(f.id(), name))
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
      case "formula" -> {
        o.put("isValid", true).putArray("referencedFieldIds");
        o.set("result", result(dataset, f));
      }
      case "rollup" -> {
        o.put("isValid", true).putArray("referencedFieldIds");
        links(o, c);
        o.set("result", result(dataset, f));
      }
      case "multipleLookupValues", "lookup" -> {
        o.put("isValid", true);
        links(o, c);
        o.set("result", result(dataset, f));
      }
      case "count" -> {
        o.put("isValid", true);
        if (c != null && c.recordLinkFieldId() != null) {
          o.put("recordLinkFieldId", c.recordLinkFieldId());
        }
      }
      default -> {
        return null;
      }
    }
    return o;
  }

  /** The link a lookup or rollup follows and the field it reads there, when the dataset says. */
  private static void links(ObjectNode o, Computed c) {
    if (c != null && c.recordLinkFieldId() != null) {
      o.put("recordLinkFieldId", c.recordLinkFieldId());
    }
    if (c != null && c.fieldIdInLinkedTable() != null) {
      o.put("fieldIdInLinkedTable", c.fieldIdInLinkedTable());
    }
  }

  /**
   * {@code options.result}: the declared result type (single line text when the dataset does not
   * say); for a lookup, also the looked-up field's options (its choices, for instance) when the
   * dataset names that field, as Airtable describes a lookup's values.
   */
  private ObjectNode result(Dataset dataset, FieldSchema f) {
    Computed c = f.computed();
    ObjectNode result = mapper.createObjectNode();
    result.put("type", c != null && c.resultType() != null ? c.resultType() : DEFAULT_RESULT_TYPE);
    FieldSchema looked = lookedUp(dataset, f);
    // A looked-up computed field is described by its type alone: no chain of options to follow.
    if (looked != null
        && !Set.of("multipleLookupValues", "lookup", "rollup", "formula", "count")
            .contains(looked.type())) {
      ObjectNode options = options(dataset, looked);
      if (options != null) {
        result.set("options", options);
      }
    } else if (looked == null
        && Set.of("multipleLookupValues", "lookup").contains(f.type())
        && Set.of("singleSelect", "multipleSelects").contains(result.get("type").asText())
        && !f.choices().isEmpty()) {
      // The looked-up field is not at hand: the lookup's own choices, with the ids payloads use.
      String of = c.fieldIdInLinkedTable() != null ? c.fieldIdInLinkedTable() : f.id();
      ArrayNode choices = result.putObject("options").putArray("choices");
      for (String name : f.choices()) {
        choices
            .addObject()
            .put("id", Ids.choice(of, name))
            .put("name", name)
            .put("color", WebhookCellFormat.CHOICE_COLOR);
      }
    }
    return result;
  }

  /** The field a lookup reads in its linked table, or null when unknown. */
  private static FieldSchema lookedUp(Dataset dataset, FieldSchema f) {
    Computed c = f.computed();
    if (!Set.of("multipleLookupValues", "lookup").contains(f.type())
        || c == null
        || c.recordLinkFieldId() == null
        || c.fieldIdInLinkedTable() == null) {
      return null;
    }
    for (SimTable t : dataset.tables()) {
      for (FieldSchema link : t.fields()) {
        if (link.id().equals(c.recordLinkFieldId()) && link.linkedTableId() != null) {
          return dataset
              .table(link.linkedTableId())
              .flatMap(
                  linked ->
                      linked.fields().stream()
                          .filter(x -> x.id().equals(c.fieldIdInLinkedTable()))
                          .findFirst())
              .orElse(null);
        }
      }
    }
    return null;
  }
}
