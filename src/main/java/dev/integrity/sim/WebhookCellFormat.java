package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes the simulator's cell values (kept as list-records gives them) in the webhook cell format
 * of Airtable's field model (airtable.com/developers/web/api/field-model, "Cell format V2
 * (webhooks)"), so that clients are tried against payloads shaped as Airtable's: a single select is
 * {@code {"id", "name", "color"}} (ids as the Meta API gives the choices), multiple selects a list
 * of those, a link {@code [{"id", "name"}]} (the name is the linked record's primary field), a
 * lookup {@code {"valuesByLinkedRecordId", "linkedRecordIds"}}, a collaborator carries its {@code
 * permissionLevel}, a sync source is {@code {"id", "name"}}, a cleared cell is {@code null}; every
 * other type is the same in both formats. Reads one dataset (the base after the transaction);
 * stateless otherwise and thread-safe.
 */
final class WebhookCellFormat {
  /** The color the Meta API gives every choice ({@link RecordJson}). */
  static final String CHOICE_COLOR = "blueLight2";

  /** The permission level payloads give collaborators (the field model: webhooks only). */
  static final String PERMISSION_LEVEL = "edit";

  private final Dataset dataset;

  WebhookCellFormat(Dataset dataset) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
  }

  /** The id the Meta API gives the choice {@code name} of field {@code fieldId}. */
  static String choiceId(String fieldId, String name) {
    return Ids.derived("sel", fieldId + ":" + name);
  }

  /**
   * The cells {@code byFieldId} of record {@code recordId} of {@code table}, in the webhook format
   * (a lookup reads its link field in the record as the base now holds it, or in {@code
   * byFieldId}).
   */
  Map<String, Object> cells(SimTable table, String recordId, Map<String, Object> byFieldId) {
    Map<String, Object> record = new LinkedHashMap<>();
    table.records().stream()
        .filter(r -> r.id().equals(recordId))
        .findFirst()
        .ifPresent(
            r ->
                r.fields()
                    .forEach((name, v) -> table.field(name).ifPresent(f -> record.put(f.id(), v))));
    record.putAll(byFieldId);
    Map<String, Object> out = new LinkedHashMap<>();
    byFieldId.forEach(
        (fieldId, value) ->
            out.put(
                fieldId,
                table.field(fieldId).map(f -> cell(table, f, record, value)).orElse(value)));
    return out;
  }

  /**
   * One cell of {@code field}, whose record's cells by field id are {@code record} (a lookup reads
   * its link field there).
   */
  Object cell(SimTable table, FieldSchema field, Map<String, Object> record, Object value) {
    if (value == null) {
      return null;
    }
    return switch (field.type()) {
      case "multipleLookupValues", "lookup" -> lookup(table, field, record, value);
      default -> value(field.type(), field.id(), field.linkedTableId(), value);
    };
  }

  /** A value of a field of {@code type} (for a lookup, one element, by the looked-up type). */
  private Object value(String type, String choicesOf, String linkedTableId, Object value) {
    return switch (type) {
      case "singleSelect" -> choice(choicesOf, value);
      case "multipleSelects" -> each(value, v -> choice(choicesOf, v));
      case "externalSyncSource" ->
          value instanceof String name
              ? ordered("id", Ids.derived("syn", choicesOf + ":" + name), "name", name)
              : value;
      case "multipleRecordLinks" -> each(value, v -> link(linkedTableId, v));
      case "singleCollaborator", "createdBy", "lastModifiedBy" -> collaborator(value);
      case "multipleCollaborators" -> each(value, this::collaborator);
      default -> value;
    };
  }

  private static Object choice(String fieldId, Object value) {
    if (!(value instanceof String name)) {
      return value;
    }
    Map<String, Object> c = ordered("id", choiceId(fieldId, name), "name", name);
    c.put("color", CHOICE_COLOR);
    return c;
  }

  private Object link(String linkedTableId, Object value) {
    if (!(value instanceof String id)) {
      return value;
    }
    return ordered("id", id, "name", primaryName(linkedTableId, id));
  }

  /** The linked record's primary field as Airtable names it in a payload ("" when it has none). */
  private String primaryName(String tableId, String recordId) {
    SimTable table = tableId == null ? null : dataset.table(tableId).orElse(null);
    if (table == null) {
      return "";
    }
    for (AirtableRecord r : table.records()) {
      if (r.id().equals(recordId)) {
        Object primary =
            table.field(table.primaryFieldId()).map(f -> r.fields().get(f.name())).orElse(null);
        return primary == null ? "" : String.valueOf(primary);
      }
    }
    return "";
  }

  private Object collaborator(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return value;
    }
    Map<Object, Object> out = new LinkedHashMap<>(m);
    out.putIfAbsent("permissionLevel", PERMISSION_LEVEL);
    return out;
  }

  /**
   * A lookup: its list-records list grouped by the linked record it came from. With the lookup's
   * link field and looked-up field known (its {@code computed} options), each linked record's
   * values are its own, when they make up the list exactly; otherwise (data written to the lookup
   * by hand) the whole list goes under the first linked id, so that joining the groups in {@code
   * linkedRecordIds} order gives the list-records list back either way.
   */
  private Object lookup(
      SimTable table, FieldSchema field, Map<String, Object> record, Object value) {
    if (!(value instanceof List<?> list)) {
      return value;
    }
    List<String> linked = linkedIds(field, record);
    String elementType = field.valueType().equals(field.type()) ? null : field.valueType();
    String choicesOf =
        field.computed() != null && field.computed().fieldIdInLinkedTable() != null
            ? field.computed().fieldIdInLinkedTable()
            : field.id();
    String linkTarget = lookedUpLinkTarget(table, field);
    Map<String, Object> byRecord = grouped(table, field, linked, list);
    byRecord.replaceAll(
        (id, values) ->
            elementType == null
                ? values
                : each(values, v -> value(elementType, choicesOf, linkTarget, v)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valuesByLinkedRecordId", byRecord);
    out.put("linkedRecordIds", List.copyOf(byRecord.keySet()));
    return out;
  }

  private Map<String, Object> grouped(
      SimTable table, FieldSchema field, List<String> linked, List<?> list) {
    Map<String, Object> byRecord = new LinkedHashMap<>();
    String lookedUp = field.computed() == null ? null : field.computed().fieldIdInLinkedTable();
    SimTable target = linkTable(table, field);
    if (lookedUp != null && target != null && !linked.isEmpty()) {
      List<Object> joined = new ArrayList<>();
      for (String id : linked) {
        List<Object> values = new ArrayList<>();
        target.records().stream()
            .filter(r -> r.id().equals(id))
            .findFirst()
            .ifPresent(
                r ->
                    target
                        .field(lookedUp)
                        .map(f -> r.fields().get(f.name()))
                        .ifPresent(v -> values.addAll(v instanceof List<?> l ? l : List.of(v))));
        byRecord.put(id, values);
        joined.addAll(values);
      }
      if (joined.equals(list)) {
        return byRecord;
      }
      byRecord.clear();
    }
    byRecord.put(linked.isEmpty() ? Ids.derived("rec", field.id()) : linked.get(0), list);
    for (String id : linked) {
      byRecord.putIfAbsent(id, List.of());
    }
    return byRecord;
  }

  /** The record ids in the lookup's link field, as list-records gives them. */
  private static List<String> linkedIds(FieldSchema field, Map<String, Object> record) {
    String link = field.computed() == null ? null : field.computed().recordLinkFieldId();
    if (link != null && record.get(link) instanceof List<?> ids) {
      List<String> out = new ArrayList<>();
      ids.forEach(id -> out.add(String.valueOf(id)));
      return out;
    }
    return List.of();
  }

  private SimTable linkTable(SimTable table, FieldSchema lookup) {
    String link = lookup.computed() == null ? null : lookup.computed().recordLinkFieldId();
    return table
        .field(link == null ? "" : link)
        .map(FieldSchema::linkedTableId)
        .flatMap(dataset::table)
        .orElse(null);
  }

  /** For a lookup of a link field: the table that link points to, else null. */
  private String lookedUpLinkTarget(SimTable table, FieldSchema lookup) {
    SimTable target = linkTable(table, lookup);
    String lookedUp = lookup.computed() == null ? null : lookup.computed().fieldIdInLinkedTable();
    if (target == null || lookedUp == null) {
      return null;
    }
    return target.field(lookedUp).map(FieldSchema::linkedTableId).orElse(null);
  }

  private static Object each(Object value, java.util.function.UnaryOperator<Object> f) {
    if (!(value instanceof List<?> list)) {
      return f.apply(value);
    }
    List<Object> out = new ArrayList<>(list.size());
    list.forEach(v -> out.add(f.apply(v)));
    return out;
  }

  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }
}
