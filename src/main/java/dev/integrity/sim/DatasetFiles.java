package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/** Reads and writes the directory format of {@link Dataset#load(Path)}. Stateless. */
final class DatasetFiles {
  static final String BASE_FILE = "base.json";

  private DatasetFiles() {}

  /** A table file as read, before link targets (which may name later tables) are resolved. */
  private record RawTable(
      Path file,
      String id,
      String name,
      String primaryField,
      List<RawField> fields,
      List<AirtableRecord> records,
      Map<String, String> views) {}

  private record RawField(
      String id,
      String name,
      String type,
      List<String> choices,
      String linkedTable,
      boolean prefersSingleRecordLink,
      BaseSchema.Computed computed) {}

  static Dataset load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new SimulatorException(
          "dataset directory " + dir + " does not exist or is not a directory");
    }
    var mapper = JsonMapper.create();
    String baseId = Ids.derived("app", "dir:" + dir.toAbsolutePath().normalize().getFileName());
    Path baseFile = dir.resolve(BASE_FILE);
    if (Files.exists(baseFile)) {
      JsonNode base = read(mapper, baseFile);
      if (base.hasNonNull("id")) {
        baseId = text(base, "id", baseFile);
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> p.getFileName().toString().endsWith(".json"))
              .filter(p -> !p.getFileName().toString().equals(BASE_FILE))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new SimulatorException(
          "cannot list dataset directory " + dir + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new SimulatorException("dataset directory " + dir + " holds no table (*.json) files");
    }
    List<RawTable> raw = new ArrayList<>();
    for (Path file : files) {
      raw.add(readTable(mapper, file, baseId));
    }
    Map<String, String> tableIdsByNameOrId = new HashMap<>();
    for (RawTable t : raw) {
      tableIdsByNameOrId.put(t.name(), t.id());
      tableIdsByNameOrId.put(t.id(), t.id());
    }
    List<SimTable> tables = new ArrayList<>();
    for (RawTable t : raw) {
      List<FieldSchema> fields = new ArrayList<>();
      String primaryId = null;
      for (RawField f : t.fields()) {
        String linked = null;
        if (f.linkedTable() != null) {
          linked = tableIdsByNameOrId.get(f.linkedTable());
          if (linked == null) {
            throw new SimulatorException(
                t.file() + ": field " + f.name() + " links to unknown table " + f.linkedTable());
          }
        }
        fields.add(
            new FieldSchema(
                f.id(),
                f.name(),
                f.type(),
                f.choices(),
                linked,
                f.prefersSingleRecordLink(),
                f.computed()));
        if (f.name().equals(t.primaryField()) || f.id().equals(t.primaryField())) {
          primaryId = f.id();
        }
      }
      if (primaryId == null) {
        throw new SimulatorException(
            t.file() + ": primary field " + t.primaryField() + " is not one of the table's fields");
      }
      tables.add(new SimTable(t.id(), t.name(), primaryId, fields, t.records(), t.views()));
    }
    try {
      return Dataset.of(baseId, tables);
    } catch (SimulatorException e) {
      throw new SimulatorException("dataset " + dir + ": " + e.getMessage(), e);
    }
  }

  private static RawTable readTable(ObjectMapper mapper, Path file, String baseId) {
    JsonNode root = read(mapper, file);
    if (!root.isObject()) {
      throw new SimulatorException(file + ": expected a JSON object with name, fields and records");
    }
    String name = root.hasNonNull("name") ? text(root, "name", file) : stem(file);
    String tableId =
        root.hasNonNull("id") ? text(root, "id", file) : Ids.derived("tbl", baseId + ":" + name);
    JsonNode recordsNode = root.path("records");
    if (!recordsNode.isMissingNode() && !recordsNode.isArray()) {
      throw new SimulatorException(file + ": \"records\" must be an array");
    }
    var random = new Random(tableId.hashCode());
    Set<String> usedIds = new HashSet<>();
    List<AirtableRecord> records = new ArrayList<>();
    Instant defaultCreated = Instant.parse("2024-01-01T00:00:00Z");
    int index = 0;
    for (JsonNode r : recordsNode) {
      index++;
      String where = file + ": record " + index;
      if (!r.isObject() || !r.path("fields").isObject()) {
        throw new SimulatorException(
            where + ": expected {\"id\", \"createdTime\", \"fields\": {...}}");
      }
      String id = r.hasNonNull("id") ? text(r, "id", file) : null;
      while (id == null || !usedIds.add(id)) {
        if (id != null && r.hasNonNull("id")) {
          throw new SimulatorException(where + ": record id " + id + " appears twice");
        }
        id = Ids.random("rec", random);
      }
      Instant created = defaultCreated.plusSeconds(index);
      if (r.hasNonNull("createdTime")) {
        try {
          created = Instant.parse(r.get("createdTime").asText());
        } catch (DateTimeParseException e) {
          throw new SimulatorException(
              where + ": createdTime " + r.get("createdTime") + " is not an ISO-8601 instant", e);
        }
      }
      Map<String, Object> values = new LinkedHashMap<>();
      var it = r.get("fields").fields();
      while (it.hasNext()) {
        var e = it.next();
        values.put(e.getKey(), toJava(e.getValue()));
      }
      records.add(new AirtableRecord(id, created, values));
    }
    List<RawField> fields = new ArrayList<>();
    JsonNode fieldsNode = root.path("fields");
    if (fieldsNode.isArray()) {
      for (JsonNode f : fieldsNode) {
        fields.add(readField(f, file, tableId));
      }
    } else if (fieldsNode.isMissingNode()) {
      fields.addAll(inferFields(records, tableId));
    } else {
      throw new SimulatorException(file + ": \"fields\" must be an array");
    }
    if (fields.isEmpty()) {
      throw new SimulatorException(
          file + ": the table has no fields (declare \"fields\" or give records)");
    }
    String primary =
        root.hasNonNull("primaryFieldId")
            ? text(root, "primaryFieldId", file)
            : root.hasNonNull("primaryField")
                ? text(root, "primaryField", file)
                : fields.get(0).name();
    // "views": {"Active": "{Status} = 'Active'"}: named views, served as filters of the table.
    Map<String, String> views = new java.util.LinkedHashMap<>();
    JsonNode viewsNode = root.path("views");
    if (viewsNode.isObject()) {
      for (var e : viewsNode.properties()) {
        if (!e.getValue().isTextual()) {
          throw new SimulatorException(
              file + ": view " + e.getKey() + " must be a formula (text), got " + e.getValue());
        }
        views.put(e.getKey(), e.getValue().asText());
      }
    } else if (!viewsNode.isMissingNode()) {
      throw new SimulatorException(file + ": \"views\" must be an object of name: formula");
    }
    return new RawTable(file, tableId, name, primary, fields, records, views);
  }

  private static RawField readField(JsonNode f, Path file, String tableId) {
    if (!f.isObject() || !f.hasNonNull("name")) {
      throw new SimulatorException(file + ": every field needs at least a \"name\": " + f);
    }
    String name = text(f, "name", file);
    String id = f.hasNonNull("id") ? text(f, "id", file) : Ids.derived("fld", tableId + ":" + name);
    String type = f.hasNonNull("type") ? text(f, "type", file) : "singleLineText";
    JsonNode options = f.path("options");
    List<String> choices = new ArrayList<>();
    JsonNode choicesNode = f.has("choices") ? f.get("choices") : options.path("choices");
    for (JsonNode c : choicesNode) {
      choices.add(c.isObject() ? c.path("name").asText() : c.asText());
    }
    String linked = null;
    if (f.hasNonNull("linkedTable")) {
      linked = f.get("linkedTable").asText();
    } else if (f.hasNonNull("linkedTableId")) {
      linked = f.get("linkedTableId").asText();
    } else if (options.hasNonNull("linkedTableId")) {
      linked = options.get("linkedTableId").asText();
    }
    boolean single =
        f.has("prefersSingleRecordLink")
            ? f.get("prefersSingleRecordLink").asBoolean()
            : options.path("prefersSingleRecordLink").asBoolean(false);
    return new RawField(id, name, type, choices, linked, single, computed(options));
  }

  /**
   * What a computed field's {@code options} say, as the Meta API writes them: {@code result.type},
   * {@code recordLinkFieldId}, {@code fieldIdInLinkedTable}; null when none is given.
   */
  private static BaseSchema.Computed computed(JsonNode options) {
    String result = options.path("result").path("type").asText(null);
    String link = options.path("recordLinkFieldId").asText(null);
    String linked = options.path("fieldIdInLinkedTable").asText(null);
    return result == null && link == null && linked == null
        ? null
        : new BaseSchema.Computed(result, link, linked);
  }

  /** Without a declared schema: fields in first-seen order, typed by the values they hold. */
  private static List<RawField> inferFields(List<AirtableRecord> records, String tableId) {
    Map<String, Set<String>> kinds = new LinkedHashMap<>();
    for (AirtableRecord r : records) {
      for (var e : r.fields().entrySet()) {
        Object v = e.getValue();
        String kind =
            v instanceof Number
                ? "number"
                : v instanceof Boolean
                    ? "checkbox"
                    : v instanceof List<?> ? "multipleSelects" : "singleLineText";
        kinds.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(kind);
      }
    }
    List<RawField> fields = new ArrayList<>();
    for (var e : kinds.entrySet()) {
      String type = e.getValue().size() == 1 ? e.getValue().iterator().next() : "singleLineText";
      fields.add(
          new RawField(
              Ids.derived("fld", tableId + ":" + e.getKey()),
              e.getKey(),
              type,
              List.of(),
              null,
              false,
              null));
    }
    return fields;
  }

  private static Object toJava(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    } else if (v.isTextual()) {
      return v.asText();
    } else if (v.isIntegralNumber()) {
      return v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
    } else if (v.isNumber()) {
      return v.doubleValue();
    } else if (v.isBoolean()) {
      return v.booleanValue();
    } else if (v.isArray()) {
      List<Object> list = new ArrayList<>();
      v.forEach(e -> list.add(toJava(e)));
      return list;
    } else {
      Map<String, Object> map = new LinkedHashMap<>();
      v.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
      return map;
    }
  }

  private static JsonNode read(ObjectMapper mapper, Path file) {
    try {
      return mapper.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new SimulatorException(
          file
              + ": invalid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new SimulatorException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode node, String key, Path file) {
    JsonNode v = node.get(key);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new SimulatorException(file + ": \"" + key + "\" must be a non-empty string, not " + v);
    }
    return v.asText();
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.substring(0, n.length() - ".json".length());
  }

  static void write(Dataset dataset, Path dir) {
    var mapper = JsonMapper.indented();
    try {
      Files.createDirectories(dir);
      ObjectNode base = mapper.createObjectNode().put("id", dataset.baseId());
      mapper.writeValue(dir.resolve(BASE_FILE).toFile(), base);
      int n = 0;
      for (SimTable t : dataset.tables()) {
        ObjectNode root = mapper.createObjectNode();
        root.put("id", t.id()).put("name", t.name()).put("primaryFieldId", t.primaryFieldId());
        ArrayNode fields = root.putArray("fields");
        for (FieldSchema f : t.fields()) {
          ObjectNode fn =
              fields.addObject().put("id", f.id()).put("name", f.name()).put("type", f.type());
          if (!f.choices().isEmpty()) {
            f.choices().forEach(fn.putArray("choices")::add);
          }
          if (f.computed() != null) {
            ObjectNode o = fn.putObject("options");
            if (f.computed().resultType() != null) {
              o.putObject("result").put("type", f.computed().resultType());
            }
            if (f.computed().recordLinkFieldId() != null) {
              o.put("recordLinkFieldId", f.computed().recordLinkFieldId());
            }
            if (f.computed().fieldIdInLinkedTable() != null) {
              o.put("fieldIdInLinkedTable", f.computed().fieldIdInLinkedTable());
            }
          }
          if (f.linkedTableId() != null) {
            fn.put("linkedTableId", f.linkedTableId());
            if (f.prefersSingleRecordLink()) {
              fn.put("prefersSingleRecordLink", true);
            }
          }
        }
        if (!t.views().isEmpty()) {
          ObjectNode views = root.putObject("views");
          t.views().forEach(views::put);
        }
        ArrayNode records = root.putArray("records");
        for (AirtableRecord r : t.records()) {
          ObjectNode rn = records.addObject().put("id", r.id());
          rn.put("createdTime", RecordJson.formatInstant(r.createdTime()));
          rn.set("fields", mapper.valueToTree(r.fields()));
        }
        String slug = t.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        mapper.writeValue(dir.resolve(String.format("%02d-%s.json", ++n, slug)).toFile(), root);
      }
    } catch (IOException e) {
      throw new SimulatorException("cannot write dataset to " + dir + ": " + e.getMessage(), e);
    }
  }
}
