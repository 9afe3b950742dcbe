package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.Computed;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes cell values in the webhook payload format (Airtable's field model calls it V2) from the
 * list-records values (V1) the simulator stores, through the field's schema, for one state of the
 * base (the base after a transaction for created, current and unchanged values; before it for
 * previous values, so a link to a record destroyed in the transaction still carries its name).
 *
 * <p>Per Airtable's field model (https://airtable.com/developers/web/api/field-model): a single
 * select or an external sync source becomes {@code {"id", "name", "color"}}, multiple selects a
 * list of those, links {@code [{"id", "name"}]} with the linked record's primary field value as
 * text, a lookup {@code {"valuesByLinkedRecordId", "linkedRecordIds"}}, a collaborator gets a
 * {@code "permissionLevel"}, a cleared cell is {@code null}; every other type is as in V1. Choice
 * ids are {@link Ids#choice}, as in the Meta API's choices. A lookup's values are grouped by linked
 * record when the schema says which link it follows and which field it looks up ({@link Computed})
 * and the linked records' values account for the stored list; otherwise the whole list goes under
 * one linked record id, so that concatenating the groups gives the stored list back. Not
 * thread-safe (indexes built lazily); one instance serves one transaction.
 */
final class WebhookCellFormat {
  /** The color of every choice the simulator describes (the Meta API gives the same). */
  static final String CHOICE_COLOR = "blueLight2";

  /** The permission level payloads give collaborators that do not say one. */
  static final String PERMISSION_LEVEL = "edit";

  /** How Airtable names a record whose primary field is empty. */
  static final String UNNAMED_RECORD = "Unnamed record";

  private static final Set<String> LOOKUPS = Set.of("multipleLookupValues", "lookup");

  private final Dataset dataset;
  private final Map<String, Map<String, AirtableRecord>> recordsByTable = new HashMap<>();

  WebhookCellFormat(Dataset dataset) {
    this.dataset = dataset;
  }

  /**
   * The V2 cells of one record of {@code tableId}: {@code v1ByFieldId} (field id to V1 value, null
   * for a cleared cell) converted field by field, in the same order. A field the table does not
   * have (any more) keeps its value.
   */
  Map<String, Object> cells(String tableId, String recordId, Map<String, Object> v1ByFieldId) {
    SimTable table = dataset.table(tableId).orElse(null);
    Map<String, Object> out = new LinkedHashMap<>();
    for (var e : v1ByFieldId.entrySet()) {
      FieldSchema field = table == null ? null : fieldById(table, e.getKey());
      out.put(
          e.getKey(), field == null ? e.getValue() : cell(table, recordId, field, e.getValue()));
    }
    return out;
  }

  /**
   * One cell: the V2 value of {@code field} of record {@code recordId} whose V1 value is {@code
   * v1}.
   */
  Object cell(SimTable table, String recordId, FieldSchema field, Object v1) {
    if (v1 == null) {
      return null; // a cleared cell
    }
    if (LOOKUPS.contains(field.type())) {
      return lookup(table, recordId, field, v1);
    }
    return value(field, field.type(), v1);
  }

  /** A value of a field of {@code type} (lists item by item). */
  private Object value(FieldSchema field, String type, Object v1) {
    return switch (type) {
      case "multipleSelects", "multipleRecordLinks", "multipleCollaborators" ->
          v1 instanceof List<?> list ? items(field, type, list) : item(field, type, v1);
      default -> item(field, type, v1);
    };
  }

  private List<Object> items(FieldSchema field, String type, List<?> list) {
    List<Object> out = new ArrayList<>(list.size());
    for (Object e : list) {
      out.add(item(field, type, e));
    }
    return out;
  }

  /**
   * One item of a field of {@code type}: a choice name to its object, a record id to its link
   * object, a collaborator with a permission level; anything else (a value not of the V1 shape, a
   * type with the same value in both formats, a type unknown to the simulator) as it is.
   */
  private Object item(FieldSchema field, String type, Object v1) {
    switch (type) {
      case "singleSelect", "multipleSelects", "externalSyncSource" -> {
        if (v1 instanceof String name) {
          Map<String, Object> choice = new LinkedHashMap<>();
          choice.put("id", Ids.choice(field.id(), name));
          choice.put("name", name);
          choice.put("color", CHOICE_COLOR);
          return choice;
        }
      }
      case "multipleRecordLinks" -> {
        if (v1 instanceof String id) {
          Map<String, Object> link = new LinkedHashMap<>();
          link.put("id", id);
          link.put("name", primaryName(field.linkedTableId(), id));
          return link;
        }
      }
      case "multipleCollaborators", "singleCollaborator", "createdBy", "lastModifiedBy" -> {
        if (v1 instanceof Map<?, ?> m && !m.containsKey("permissionLevel")) {
          Map<Object, Object> collaborator = new LinkedHashMap<>(m);
          collaborator.put("permissionLevel", PERMISSION_LEVEL);
          return collaborator;
        }
      }
      default -> {
        // the same in both formats
      }
    }
    return v1;
  }

  /**
   * A lookup: {@code {"valuesByLinkedRecordId": {rec: [..]}, "linkedRecordIds": [rec, ..]}}, each
   * value in the V2 format of the looked-up field when the schema names it.
   */
  private Map<String, Object> lookup(
      SimTable table, String recordId, FieldSchema field, Object v1) {
    List<?> values = v1 instanceof List<?> list ? list : List.of(v1);
    Computed c = field.computed();
    FieldSchema link =
        c == null || c.recordLinkFieldId() == null ? null : fieldById(table, c.recordLinkFieldId());
    SimTable linkedTable =
        link == null || link.linkedTableId() == null
            ? null
            : dataset.table(link.linkedTableId()).orElse(null);
    FieldSchema looked =
        linkedTable == null || c.fieldIdInLinkedTable() == null
            ? null
            : fieldById(linkedTable, c.fieldIdInLinkedTable());
    AirtableRecord record = record(table.id(), recordId);
    List<String> linkedIds = new ArrayList<>();
    if (link != null && record != null && record.fields().get(link.name()) instanceof List<?> l) {
      l.forEach(id -> linkedIds.add(String.valueOf(id)));
    }
    Map<String, List<Object>> groups = groups(values, linkedIds, linkedTable, looked);
    if (groups == null) {
      // Which values came from which record is unknown: one group keeps the list as it is.
      String id =
          linkedIds.isEmpty() ? Ids.derived("rec", recordId + ":" + field.id()) : linkedIds.get(0);
      groups = new LinkedHashMap<>();
      groups.put(id, new ArrayList<>(values));
    }
    FieldSchema elements = looked != null ? looked : resultField(field);
    Map<String, Object> byRecord = new LinkedHashMap<>();
    groups.forEach(
        (id, group) -> {
          List<Object> converted = new ArrayList<>(group.size());
          for (Object element : group) {
            converted.add(
                elements == null || element == null || LOOKUPS.contains(elements.type())
                    ? element
                    : item(elements, elements.type(), element));
          }
          byRecord.put(id, converted);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("valuesByLinkedRecordId", byRecord);
    out.put("linkedRecordIds", new ArrayList<>(groups.keySet()));
    return out;
  }

  /**
   * Without the looked-up field at hand: a stand-in built from the lookup's result type and its own
   * choices, named by the looked-up field's id when known (the Meta API describes the lookup's
   * result choices with the same ids); null when the result type is unknown.
   */
  private static FieldSchema resultField(FieldSchema lookup) {
    Computed c = lookup.computed();
    if (c == null || c.resultType() == null) {
      return null;
    }
    String id = c.fieldIdInLinkedTable() != null ? c.fieldIdInLinkedTable() : lookup.id();
    return new FieldSchema(id, lookup.name(), c.resultType(), lookup.choices(), null);
  }

  /**
   * The stored lookup values split by linked record, each taking as many values as its looked-up
   * cell holds; null when the linked records do not account for exactly the stored values (a lookup
   * the schema does not describe, a dangling link, a value stored out of step).
   */
  private Map<String, List<Object>> groups(
      List<?> values, List<String> linkedIds, SimTable linkedTable, FieldSchema looked) {
    if (looked == null
        || linkedIds.isEmpty()
        || new HashSet<>(linkedIds).size() != linkedIds.size()) {
      return null;
    }
    Map<String, List<Object>> groups = new LinkedHashMap<>();
    int at = 0;
    for (String id : linkedIds) {
      AirtableRecord r = record(linkedTable.id(), id);
      if (r == null) {
        return null;
      }
      Object cell = r.fields().get(looked.name());
      int n = cell == null ? 0 : cell instanceof List<?> l ? l.size() : 1;
      if (at + n > values.size()) {
        return null;
      }
      groups.put(id, new ArrayList<>(values.subList(at, at + n)));
      at += n;
    }
    return at == values.size() ? groups : null;
  }

  /** The primary field value of a linked record as text, as a link object names it. */
  private String primaryName(String tableId, String recordId) {
    SimTable table = tableId == null ? null : dataset.table(tableId).orElse(null);
    AirtableRecord r = table == null ? null : record(table.id(), recordId);
    if (r == null) {
      return UNNAMED_RECORD; // a dangling link: the simulator, unlike Airtable, keeps those
    }
    FieldSchema primary = fieldById(table, table.primaryFieldId());
    String text = primary == null ? "" : text(r.fields().get(primary.name()));
    return text.isEmpty() ? UNNAMED_RECORD : text;
  }

  /** A cell value as text: numbers without a needless fraction, lists joined with ", ". */
  static String text(Object value) {
    return switch (value) {
      case null -> "";
      case String s -> s;
      case BigDecimal b -> b.stripTrailingZeros().toPlainString();
      case Double d when d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15 ->
          Long.toString(d.longValue());
      case List<?> l -> {
        List<String> parts = new ArrayList<>(l.size());
        l.forEach(e -> parts.add(text(e)));
        yield String.join(", ", parts);
      }
      case Map<?, ?> m -> {
        for (String key : List.of("name", "text", "label", "filename", "error", "specialValue")) {
          if (m.get(key) instanceof String s) {
            yield s;
          }
        }
        yield m.toString();
      }
      default -> String.valueOf(value);
    };
  }

  private AirtableRecord record(String tableId, String recordId) {
    Map<String, AirtableRecord> index =
        recordsByTable.computeIfAbsent(
            tableId,
            id -> {
              Map<String, AirtableRecord> byId = new HashMap<>();
              dataset.table(id).ifPresent(t -> t.records().forEach(r -> byId.put(r.id(), r)));
              return byId;
            });
    return index.get(recordId);
  }

  private static FieldSchema fieldById(SimTable table, String fieldId) {
    for (FieldSchema f : table.fields()) {
      if (f.id().equals(fieldId)) {
        return f;
      }
    }
    return null;
  }
}
