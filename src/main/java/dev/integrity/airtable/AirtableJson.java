package dev.integrity.airtable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the JSON of Airtable's Web API. Stateless apart from a configured, thread-safe
 * {@link ObjectMapper}; thread-safe.
 */
final class AirtableJson {
  private final ObjectMapper mapper = JsonMapper.create();

  /** One page of a list-records answer. */
  record Page(List<AirtableRecord> records, String offset) {}

  /** Airtable's error, from either envelope; both parts may be null. */
  record ApiError(String type, String message) {}

  /** Raised for a body that is not the expected JSON; the caller adds where it happened. */
  static final class MalformedException extends Exception {
    private final boolean unreadable;

    MalformedException(String message, Throwable cause) {
      this(message, cause, false);
    }

    private MalformedException(String message, Throwable cause, boolean unreadable) {
      super(message, cause);
      this.unreadable = unreadable;
    }

    /**
     * True when the body is not JSON at all or ends too soon (a page cut short, a proxy's error
     * page): the kind of damage a retry can undo. False for well-formed JSON of the wrong shape.
     */
    boolean unreadable() {
      return unreadable;
    }
  }

  /** A page, every field of its records kept, each page decoded on its own. */
  Page page(String body) throws MalformedException {
    return page(body, decoder(List.of()));
  }

  /** The decoder of one iteration's pages: the fields asked for ({@code fields[]}), or all. */
  RecordDecoder decoder(List<String> fields) {
    return new RecordDecoder(mapper, fields);
  }

  /** A page whose records' fields {@code decoder} keeps (compactly; see {@link RecordDecoder}). */
  Page page(String body, RecordDecoder decoder) throws MalformedException {
    JsonNode root = tree(body);
    JsonNode records = root.get("records");
    if (!(records instanceof ArrayNode array)) {
      throw new MalformedException("no \"records\" array", null);
    }
    List<AirtableRecord> out = new ArrayList<>(array.size());
    for (JsonNode node : array) {
      out.add(record(node, decoder));
    }
    JsonNode offset = root.get("offset");
    String next = offset == null || offset.isNull() ? null : offset.asText();
    return new Page(out, next == null || next.isEmpty() ? null : next);
  }

  private AirtableRecord record(JsonNode node, RecordDecoder decoder) throws MalformedException {
    JsonNode id = node.get("id");
    if (id == null || !id.isTextual()) {
      throw new MalformedException("a record without an \"id\"", null);
    }
    Instant created = null;
    JsonNode createdTime = node.get("createdTime");
    if (createdTime != null && createdTime.isTextual()) {
      try {
        created = Instant.parse(createdTime.asText());
      } catch (DateTimeParseException e) {
        throw new MalformedException("record " + id.asText() + " has an unreadable createdTime", e);
      }
    }
    JsonNode fields = node.get("fields");
    Map<String, Object> values = Map.of();
    if (fields instanceof ObjectNode object) {
      values = decoder.fields(object);
    } else if (fields != null && !fields.isNull()) {
      throw new MalformedException("record " + id.asText() + " has non-object \"fields\"", null);
    }
    return new AirtableRecord(id.asText(), created, values);
  }

  BaseSchema schema(String baseId, String body) throws MalformedException {
    JsonNode tables = tree(body).get("tables");
    if (!(tables instanceof ArrayNode array)) {
      throw new MalformedException("no \"tables\" array", null);
    }
    List<BaseSchema.TableSchema> out = new ArrayList<>();
    for (JsonNode table : array) {
      List<BaseSchema.FieldSchema> fields = new ArrayList<>();
      for (JsonNode field : table.path("fields")) {
        JsonNode options = field.path("options");
        List<String> choices = new ArrayList<>();
        for (JsonNode choice : options.path("choices")) {
          choices.add(choice.path("name").asText());
        }
        fields.add(
            new BaseSchema.FieldSchema(
                text(field, "id"),
                text(field, "name"),
                text(field, "type"),
                choices,
                options.hasNonNull("linkedTableId") ? options.get("linkedTableId").asText() : null,
                options.path("prefersSingleRecordLink").asBoolean(false),
                computed(options)));
      }
      out.add(
          new BaseSchema.TableSchema(
              text(table, "id"), text(table, "name"), text(table, "primaryFieldId"), fields));
    }
    return new BaseSchema(baseId, out);
  }

  /** What a computed field's options say it computes, or null for a field with none of them. */
  private static BaseSchema.Computed computed(JsonNode options) {
    JsonNode result = options.path("result");
    String resultType = result.hasNonNull("type") ? result.get("type").asText() : null;
    String link = text(options, "recordLinkFieldId");
    String linked = text(options, "fieldIdInLinkedTable");
    if (resultType == null && link == null && linked == null) {
      return null;
    }
    return new BaseSchema.Computed(resultType, link, linked);
  }

  /**
   * Reads {@code {"error":{"type":..,"message":..}}} or {@code {"error":"NOT_FOUND"}}; anything
   * else (including non-JSON) yields null so the caller can quote the body.
   */
  ApiError error(String body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      return null;
    }
    JsonNode error = root == null ? null : root.get("error");
    if ((error == null || error.isNull()) && root != null && root.path("errors").isArray()) {
      // The 429 answer uses a third shape:
      // {"errors":[{"error":"RATE_LIMIT_REACHED","message":..}]}.
      JsonNode first = root.path("errors").path(0);
      String type = first.hasNonNull("error") ? first.get("error").asText() : null;
      String message = first.hasNonNull("message") ? first.get("message").asText() : null;
      return type == null && message == null ? null : new ApiError(type, message);
    }
    if (error == null || error.isNull()) {
      return null;
    }
    if (error.isTextual()) {
      return new ApiError(error.asText(), null);
    }
    if (error.isObject()) {
      String type = error.hasNonNull("type") ? error.get("type").asText() : null;
      String message = error.hasNonNull("message") ? error.get("message").asText() : null;
      return new ApiError(type, message);
    }
    return null;
  }

  String listRecordsBody(ListOptions options, int pageSize, String offset) {
    ObjectNode body = mapper.createObjectNode();
    body.put("pageSize", pageSize);
    if (offset != null) {
      body.put("offset", offset);
    }
    if (!options.fields().isEmpty()) {
      ArrayNode fields = body.putArray("fields");
      options.fields().forEach(fields::add);
    }
    if (options.view() != null) {
      body.put("view", options.view());
    }
    if (options.filterByFormula() != null) {
      body.put("filterByFormula", options.filterByFormula());
    }
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  private JsonNode tree(String body) throws MalformedException {
    try {
      JsonNode root = mapper.readTree(body);
      if (root == null || root.isMissingNode()) {
        // An empty body: nothing came, as when a response is cut off before its first byte.
        throw new MalformedException("an empty body", null, true);
      }
      if (!root.isObject()) {
        throw new MalformedException("not a JSON object", null);
      }
      return root;
    } catch (JsonProcessingException e) {
      // getOriginalMessage leaves out the location and source excerpt Jackson may append.
      throw new MalformedException("invalid JSON: " + e.getOriginalMessage(), e, true);
    }
  }

  private static String text(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value.asText();
  }
}
