package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Airtable's record writes on the simulated base, as the Web API documents them: create ({@code
 * POST /v0/{base}/{table}}, {@code {"records": [{"fields"}]}} or one {@code {"fields"}}), update
 * ({@code PATCH}, and {@code PUT}, which clears the fields it does not name, on {@code
 * /v0/{base}/{table}} with {@code {"records": [{"id", "fields"}]}} or on {@code …/{recordId}} with
 * {@code {"fields"}}) and delete ({@code DELETE /v0/{base}/{table}?records[]=…} or {@code
 * …/{recordId}}). At most {@value #MAX_RECORDS_PER_REQUEST} records a request; fields by name or
 * id; {@code typecast} and {@code returnFieldsByFieldId} in the body. Each request is one
 * transaction: validated whole against the base as it is, then applied like {@link
 * AirtableSimulator#apply}, so every webhook of the base gets one payload for it. Thread-safe (the
 * base's lock orders writes).
 */
final class RecordWrites {
  static final int MAX_RECORDS_PER_REQUEST = 10;

  /** The field types whose values Airtable computes or stamps: a write to them is refused. */
  private static final Set<String> READ_ONLY_TYPES =
      Set.of(
          "formula",
          "rollup",
          "multipleLookupValues",
          "lookup",
          "count",
          "createdTime",
          "lastModifiedTime",
          "autoNumber",
          "createdBy",
          "lastModifiedBy",
          "button",
          "externalSyncSource");

  private static final Set<String> TEXT_TYPES =
      Set.of("singleLineText", "multilineText", "richText", "email", "url", "phoneNumber");

  private static final Set<String> NUMBER_TYPES =
      Set.of("number", "percent", "currency", "rating", "duration");

  /** Which write a request is. */
  enum Kind {
    CREATE,
    UPDATE,
    /** {@code PUT}: an update that clears every writable field the request does not name. */
    REPLACE,
    DELETE
  }

  /** Writes the error bodies of the static checks; configured once, then only read. */
  private static final ObjectMapper ERRORS = JsonMapper.create();

  private final SimWebhooks base;
  private final ObjectMapper mapper;

  RecordWrites(SimWebhooks base, ObjectMapper mapper) {
    this.base = base;
    this.mapper = mapper;
  }

  /** A request answered with an Airtable error instead; the base is left unchanged. */
  private static final class Refusal extends RuntimeException {
    final transient Reply reply;

    Refusal(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }

  /** One record a request writes: its id (null for a new one) and its values by field name. */
  private record Target(String id, Map<String, Object> fields) {}

  /**
   * Answers a write to {@code table} (already known to exist), on one record when {@code recordId}
   * is not null.
   */
  Reply answer(HttpRequest req, Kind kind, String table, String recordId) {
    try {
      return switch (kind) {
        case CREATE -> create(req, table);
        case UPDATE, REPLACE -> update(req, table, recordId, kind == Kind.REPLACE);
        case DELETE -> delete(req, table, recordId);
      };
    } catch (Refusal r) {
      return r.reply;
    } catch (SimulatorException e) {
      // Validation above covers what LiveBase refuses; this is a last guard, named as it is.
      return error(422, "INVALID_REQUEST_UNKNOWN", e.getMessage());
    }
  }

  private Reply create(HttpRequest req, String table) {
    JsonNode body = body(req);
    boolean typecast = body.path("typecast").asBoolean(false);
    boolean byId = body.path("returnFieldsByFieldId").asBoolean(false);
    boolean single = !body.has("records");
    List<JsonNode> items = single ? List.of(body) : records(body.get("records"));
    SimWebhooks.Written w =
        base.write(
            now -> {
              SimTable t = now.table(table).orElseThrow();
              Edits edits = Edits.begin();
              for (JsonNode item : items) {
                edits.create(t.id(), fields(now, t, item, typecast, false));
              }
              return edits;
            });
    List<String> ids = w.result().createdRecordIds();
    return single
        ? Reply.json(200, write(recordJson(w.after(), table, ids.get(0), byId)))
        : Reply.json(200, write(records(w.after(), table, ids, byId)));
  }

  private Reply update(HttpRequest req, String table, String recordId, boolean replace) {
    JsonNode body = body(req);
    boolean typecast = body.path("typecast").asBoolean(false);
    boolean byId = body.path("returnFieldsByFieldId").asBoolean(false);
    List<JsonNode> items;
    if (recordId != null) {
      items = List.of(body);
    } else {
      if (!body.has("records")) {
        throw new Refusal(
            error(
                422,
                "INVALID_REQUEST_MISSING_FIELDS",
                "Could not find field \"records\" in the request body"));
      }
      if (body.path("performUpsert").isObject()) {
        throw new Refusal(
            error(
                422,
                "INVALID_REQUEST_UNKNOWN",
                "the simulator does not implement performUpsert; update by record id"));
      }
      items = records(body.get("records"));
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode item : items) {
      if (recordId != null) {
        ids.add(recordId);
      } else if (item.path("id").isTextual()) {
        ids.add(item.get("id").asText());
      } else {
        throw new Refusal(
            error(422, "INVALID_RECORDS", "Each record to update needs an \"id\" (a record id)"));
      }
    }
    SimWebhooks.Written w =
        base.write(
            now -> {
              SimTable t = now.table(table).orElseThrow();
              Set<String> present = recordIds(t);
              Edits edits = Edits.begin();
              for (int i = 0; i < items.size(); i++) {
                String id = ids.get(i);
                if (!present.contains(id)) {
                  throw new Refusal(recordNotFound(id));
                }
                edits.update(t.id(), id, fields(now, t, items.get(i), typecast, replace));
              }
              return edits;
            });
    return recordId != null
        ? Reply.json(200, write(recordJson(w.after(), table, recordId, byId)))
        : Reply.json(200, write(records(w.after(), table, ids, byId)));
  }

  private Reply delete(HttpRequest req, String table, String recordId) {
    List<String> ids = new ArrayList<>();
    if (recordId != null) {
      ids.add(recordId);
    } else {
      if (req.query() != null) {
        for (String pair : req.query().split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            String key = HttpRequest.decodeQuery(pair.substring(0, eq));
            if (key.equals("records[]") || key.equals("records")) {
              ids.add(HttpRequest.decodeQuery(pair.substring(eq + 1)));
            }
          }
        }
      }
      if (ids.isEmpty()) {
        throw new Refusal(
            error(
                422,
                "INVALID_REQUEST_MISSING_FIELDS",
                "Could not find field \"records\" in the request: name the records to delete as"
                    + " records[]=recXXXXXXXXXXXXXX"));
      }
      tooMany(ids.size());
    }
    base.write(
        now -> {
          SimTable t = now.table(table).orElseThrow();
          Set<String> present = recordIds(t);
          Edits edits = Edits.begin();
          for (String id : new LinkedHashSet<>(ids)) {
            if (!present.contains(id)) {
              throw new Refusal(recordNotFound(id));
            }
            edits.destroy(t.id(), id);
          }
          return edits;
        });
    if (recordId != null) {
      return Reply.json(200, write(deleted(recordId)));
    }
    ObjectNode out = mapper.createObjectNode();
    ArrayNode list = out.putArray("records");
    ids.forEach(id -> list.add(deleted(id)));
    return Reply.json(200, write(out));
  }

  // ------------------------------------------------------------------------------ request body

  private JsonNode body(HttpRequest req) {
    JsonNode body;
    try {
      body = req.body().length == 0 ? null : mapper.readTree(req.body());
    } catch (IOException e) {
      throw new Refusal(
          error(400, "INVALID_REQUEST_BODY", "Could not parse the request body as JSON"));
    }
    if (body == null || !body.isObject()) {
      throw new Refusal(
          error(422, "INVALID_REQUEST_UNKNOWN", "The request body must be a JSON object"));
    }
    return body;
  }

  private List<JsonNode> records(JsonNode records) {
    if (records == null || !records.isArray() || records.isEmpty()) {
      throw new Refusal(
          error(422, "INVALID_RECORDS", "\"records\" must be an array of 1 to 10 records"));
    }
    tooMany(records.size());
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode r : records) {
      if (!r.isObject()) {
        throw new Refusal(error(422, "INVALID_RECORDS", "Each record must be a JSON object"));
      }
      out.add(r);
    }
    return out;
  }

  private void tooMany(int n) {
    if (n > MAX_RECORDS_PER_REQUEST) {
      throw new Refusal(
          error(
              422,
              "INVALID_RECORDS",
              "A request may write at most "
                  + MAX_RECORDS_PER_REQUEST
                  + " records; this one has "
                  + n));
    }
  }

  /**
   * The values one record of the request writes, by field name, validated against the field types;
   * with {@code replace}, every other writable field is cleared (null).
   */
  private Map<String, Object> fields(
      Dataset now, SimTable t, JsonNode item, boolean typecast, boolean replace) {
    JsonNode fields = item.get("fields");
    if (fields == null || !fields.isObject()) {
      throw new Refusal(
          error(
              422,
              "INVALID_REQUEST_MISSING_FIELDS",
              "Could not find field \"fields\" in the request body"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : fields.properties()) {
      FieldSchema f =
          t.field(e.getKey())
              .orElseThrow(
                  () ->
                      new Refusal(
                          error(
                              422,
                              "UNKNOWN_FIELD_NAME",
                              "Unknown field name: \"" + e.getKey() + "\"")));
      out.put(f.name(), value(now, f, e.getValue(), typecast));
    }
    if (replace) {
      for (FieldSchema f : t.fields()) {
        if (!out.containsKey(f.name()) && !READ_ONLY_TYPES.contains(f.type())) {
          out.put(f.name(), null);
        }
      }
    }
    return out;
  }

  /** A cell value as the field takes it, as list-records will give it back; null clears. */
  private Object value(Dataset now, FieldSchema f, JsonNode v, boolean typecast) {
    if (READ_ONLY_TYPES.contains(f.type()) || f.isComputed()) {
      throw new Refusal(
          error(
              422,
              "INVALID_VALUE_FOR_COLUMN",
              "Field \"" + f.name() + "\" cannot accept a value because the field is computed"));
    }
    if (v.isNull()) {
      return null;
    }
    String type = f.type();
    if (TEXT_TYPES.contains(type)) {
      if (v.isTextual()) {
        return v.asText();
      }
      if (typecast && (v.isNumber() || v.isBoolean())) {
        return v.asText();
      }
      throw invalidValue(f);
    }
    if (NUMBER_TYPES.contains(type)) {
      if (v.isNumber()) {
        return number(v.decimalValue());
      }
      if (typecast && v.isTextual()) {
        try {
          return number(new BigDecimal(v.asText().trim()));
        } catch (NumberFormatException e) {
          throw invalidValue(f);
        }
      }
      throw invalidValue(f);
    }
    return switch (type) {
      case "checkbox" -> {
        if (v.isBoolean()) {
          yield v.asBoolean();
        }
        if (typecast) {
          yield v.asBoolean() || v.asText().equalsIgnoreCase("true") || v.asText().equals("1");
        }
        throw invalidValue(f);
      }
      case "date" -> {
        if (!v.isTextual()) {
          throw invalidValue(f);
        }
        yield date(f, v.asText());
      }
      case "dateTime" -> {
        if (!v.isTextual()) {
          throw invalidValue(f);
        }
        yield RecordJson.formatInstant(instant(f, v.asText()));
      }
      case "singleSelect" -> {
        if (!v.isTextual()) {
          throw invalidValue(f);
        }
        yield choice(f, v.asText(), typecast);
      }
      case "multipleSelects" -> {
        List<Object> out = new ArrayList<>();
        if (typecast && v.isTextual()) {
          out.add(choice(f, v.asText(), true));
        } else if (v.isArray()) {
          for (JsonNode c : v) {
            if (!c.isTextual()) {
              throw invalidValue(f);
            }
            out.add(choice(f, c.asText(), typecast));
          }
        } else {
          throw invalidValue(f);
        }
        yield out;
      }
      case "multipleRecordLinks" -> {
        List<Object> out = new ArrayList<>();
        List<JsonNode> ids = new ArrayList<>();
        if (typecast && v.isTextual()) {
          ids.add(v);
        } else if (v.isArray()) {
          v.forEach(ids::add);
        } else {
          throw invalidValue(f);
        }
        Set<String> targets =
            f.linkedTableId() == null
                ? null
                : now.table(f.linkedTableId()).map(RecordWrites::recordIds).orElse(null);
        for (JsonNode id : ids) {
          if (!id.isTextual()) {
            throw invalidValue(f);
          }
          if (targets != null && !targets.contains(id.asText())) {
            throw new Refusal(
                error(
                    422,
                    "ROW_DOES_NOT_EXIST",
                    "Record ID " + id.asText() + " does not exist (field \"" + f.name() + "\")"));
          }
          out.add(id.asText());
        }
        yield out;
      }
      // Attachments, collaborators, barcodes and the rest: stored as sent.
      default -> mapper.convertValue(v, Object.class);
    };
  }

  /** An integral number as Integer or Long, like a parsed list-records page; else a Double. */
  private static Object number(BigDecimal d) {
    try {
      long l = d.longValueExact();
      return l == (int) l ? (Object) (int) l : (Object) l;
    } catch (ArithmeticException e) {
      return d.doubleValue();
    }
  }

  private static String date(FieldSchema f, String text) {
    try {
      return LocalDate.parse(text).toString();
    } catch (DateTimeParseException e) {
      // A full timestamp is accepted and kept as its date, as Airtable does.
      return instant(f, text).atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }
  }

  private static Instant instant(FieldSchema f, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw invalidValue(f);
    }
  }

  private static String choice(FieldSchema f, String name, boolean typecast) {
    // A dataset that declares no choices for a select accepts any (it cannot say which exist).
    if (typecast || f.choices().isEmpty() || f.choices().contains(name)) {
      return name;
    }
    throw new Refusal(
        error(
            ERRORS,
            422,
            "INVALID_MULTIPLE_CHOICE_OPTIONS",
            "Insufficient permissions to create new select option \"\"" + name + "\"\""));
  }

  private static Refusal invalidValue(FieldSchema f) {
    return new Refusal(
        error(
            ERRORS,
            422,
            "INVALID_VALUE_FOR_COLUMN",
            "Field \"" + f.name() + "\" cannot accept the provided value"));
  }

  private static Set<String> recordIds(SimTable t) {
    Set<String> ids = new java.util.HashSet<>();
    t.records().forEach(r -> ids.add(r.id()));
    return ids;
  }

  // -------------------------------------------------------------------------------- responses

  private ObjectNode records(Dataset after, String table, List<String> ids, boolean byId) {
    ObjectNode out = mapper.createObjectNode();
    ArrayNode list = out.putArray("records");
    Map<String, AirtableRecord> byRecordId = new HashMap<>();
    SimTable t = after.table(table).orElseThrow();
    t.records().forEach(r -> byRecordId.put(r.id(), r));
    for (String id : ids) {
      list.add(recordJson(t, byRecordId.get(id), byId));
    }
    return out;
  }

  private ObjectNode recordJson(Dataset after, String table, String id, boolean byId) {
    SimTable t = after.table(table).orElseThrow();
    for (AirtableRecord r : t.records()) {
      if (r.id().equals(id)) {
        return recordJson(t, r, byId);
      }
    }
    throw new IllegalStateException("record " + id + " was just written and is gone");
  }

  /** A record as list-records gives it: id, createdTime and its non-empty fields. */
  private ObjectNode recordJson(SimTable t, AirtableRecord r, boolean byId) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", r.id());
    o.put("createdTime", RecordJson.formatInstant(r.createdTime()));
    ObjectNode fields = o.putObject("fields");
    if (byId) {
      for (FieldSchema f : t.fields()) {
        Object v = r.fields().get(f.name());
        if (v != null) {
          fields.set(f.id(), mapper.valueToTree(v));
        }
      }
    } else {
      r.fields().forEach((k, v) -> fields.set(k, mapper.valueToTree(v)));
    }
    return o;
  }

  private ObjectNode deleted(String id) {
    ObjectNode o = mapper.createObjectNode();
    o.put("id", id);
    o.put("deleted", true);
    return o;
  }

  private static Reply recordNotFound(String id) {
    return error(
        ERRORS,
        404,
        "MODEL_ID_NOT_FOUND",
        "Could not find a record with id " + id + " in this table");
  }

  private Reply error(int status, String type, String message) {
    return error(mapper, status, type, message);
  }

  private static Reply error(ObjectMapper mapper, int status, String type, String message) {
    ObjectNode root = mapper.createObjectNode();
    root.putObject("error").put("type", type).put("message", message);
    try {
      return Reply.json(status, mapper.writeValueAsBytes(root));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
