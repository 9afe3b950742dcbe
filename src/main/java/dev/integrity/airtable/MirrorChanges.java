package dev.integrity.airtable;

import dev.integrity.model.BaseSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns webhook payloads (values by field id) into changes of a mirror that keeps, per entity, the
 * checked fields of every record by field name, through the base schema the mirror was built with.
 * Values are converted from the webhook cell format to the list-records one ({@link WebhookCells}),
 * so the mirror holds what a full scan would read; a cell list-records would leave out is absent (a
 * {@link RecordChange.Put} leaves it out, a {@link RecordChange.Patch} maps it to null). Payloads
 * are folded in order into one net change per record, so the result applies idempotently: a record
 * ends as a {@link RecordChange.Put} (its checked values, complete), a {@link RecordChange.Patch}
 * (only the changed ones, when the webhook did not include the unchanged values), or a {@link
 * RecordChange.Destroy}. Stateless; thread-safe (each call has its own converter).
 */
public final class MirrorChanges {
  private MirrorChanges() {}

  /** What the mirror of one entity holds: its table (name or id) and the checked field names. */
  public record Scope(String table, Set<String> fields) {
    public Scope {
      Objects.requireNonNull(table, "table");
      fields = Set.copyOf(fields);
    }
  }

  /** The net change of one record. */
  public sealed interface RecordChange {
    /** The record's checked values, complete: replaces what the mirror holds. */
    record Put(Map<String, Object> fields) implements RecordChange {
      public Put {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      }
    }

    /** Changed checked values only; a null value empties the field. Merged into the mirror. */
    record Patch(Map<String, Object> fields) implements RecordChange {
      public Patch {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      }
    }

    record Destroy() implements RecordChange {}
  }

  /** What the payloads come to. */
  public sealed interface Result {
    /** Changes by entity, then record id, in payload order; entities without changes are absent. */
    record Changes(Map<String, Map<String, RecordChange>> byEntity) implements Result {}

    /** The mirror cannot follow these payloads: the run must be a full scan, for this reason. */
    record FullScanNeeded(String reason) implements Result {}
  }

  /**
   * Maps {@code payloads} (in cursor order) for the entities in {@code scopes}; tables no entity
   * reads are ignored. A full scan is needed when a payload is an error payload (Airtable's {@code
   * "error": true}: the webhook no longer follows every change), renames, retypes or destroys a
   * checked field, creates or renames a field to a checked field's name, destroys a table an entity
   * reads, or carries a value of a field the schema does not know. Values of checked fields are
   * converted to the list-records format through the field's type (the schema's, or the type a
   * payload created or changed it with).
   */
  public static Result map(
      List<WebhookPayload> payloads, BaseSchema schema, Map<String, Scope> scopes) {
    // Fields of each table by id as the schema has them, plus fields created by earlier payloads.
    Map<String, Map<String, BaseSchema.FieldSchema>> fieldsById = new LinkedHashMap<>();
    Map<String, List<String>> entitiesByTable = new LinkedHashMap<>();
    Map<String, Set<String>> checkedIds = new LinkedHashMap<>();
    for (var e : scopes.entrySet()) {
      BaseSchema.TableSchema table = schema.table(e.getValue().table()).orElse(null);
      if (table == null) {
        return new Result.FullScanNeeded(
            "entity " + e.getKey() + ": table " + e.getValue().table() + " is not in the schema");
      }
      Map<String, BaseSchema.FieldSchema> fields =
          fieldsById.computeIfAbsent(
              table.id(),
              id -> {
                Map<String, BaseSchema.FieldSchema> m = new LinkedHashMap<>();
                table.fields().forEach(f -> m.put(f.id(), f));
                return m;
              });
      entitiesByTable.computeIfAbsent(table.id(), id -> new ArrayList<>()).add(e.getKey());
      Set<String> ids = checkedIds.computeIfAbsent(table.id(), id -> new HashSet<>());
      for (String field : e.getValue().fields()) {
        String id = table.field(field).map(BaseSchema.FieldSchema::id).orElse(null);
        if (id == null) {
          return new Result.FullScanNeeded(
              "entity " + e.getKey() + ": field " + field + " is not in table " + table.name());
        }
        ids.add(id);
      }
      Objects.requireNonNull(fields);
    }
    WebhookCells cells = new WebhookCells();
    Map<String, Map<String, RecordChange>> out = new LinkedHashMap<>();
    for (WebhookPayload p : payloads) {
      if (p.error()) {
        // Airtable's word that the webhook stopped following the base: what came after is not
        // every change, so no mirror can be trusted to follow it.
        return new Result.FullScanNeeded(
            "payload "
                + p.cursor()
                + ": Airtable sent an error payload "
                + (p.errorCode() == null
                    ? "without a code"
                    : dev.integrity.common.Texts.shorten(p.errorCode(), 80))
                + " (the webhook no longer reports every change)");
      }
      for (String destroyed : p.destroyedTableIds()) {
        if (entitiesByTable.containsKey(destroyed)) {
          return new Result.FullScanNeeded(
              "payload " + p.cursor() + ": table " + destroyed + " was destroyed");
        }
      }
      for (var t : p.changedTablesById().entrySet()) {
        String tableId = t.getKey();
        List<String> entities = entitiesByTable.get(tableId);
        if (entities == null) {
          continue;
        }
        Map<String, BaseSchema.FieldSchema> fields = fieldsById.get(tableId);
        Set<String> checked = checkedIds.get(tableId);
        Set<String> checkedNames = new HashSet<>();
        checked.forEach(id -> checkedNames.add(fields.get(id).name()));
        WebhookPayload.TableChanges c = t.getValue();
        String where = "payload " + p.cursor() + ", table " + tableId;
        for (var f : c.changedFieldsById().entrySet()) {
          String newName = f.getValue().current() == null ? null : f.getValue().current().name();
          String newType = f.getValue().current() == null ? null : f.getValue().current().type();
          if (checked.contains(f.getKey())) {
            return new Result.FullScanNeeded(
                where
                    + ": checked field "
                    + fields.get(f.getKey()).name()
                    + " ("
                    + f.getKey()
                    + ") was "
                    + (newName != null ? "renamed to " + newName : "changed"));
          }
          if (newName != null && checkedNames.contains(newName)) {
            return new Result.FullScanNeeded(
                where + ": field " + f.getKey() + " was renamed to checked name " + newName);
          }
          BaseSchema.FieldSchema known = fields.get(f.getKey());
          if (known != null && (newName != null || newType != null)) {
            fields.put(
                f.getKey(),
                newType == null
                    ? new BaseSchema.FieldSchema(
                        known.id(),
                        newName,
                        known.type(),
                        known.choices(),
                        known.linkedTableId(),
                        known.prefersSingleRecordLink(),
                        known.computed())
                    : field(f.getKey(), newName != null ? newName : known.name(), newType));
          }
        }
        for (String destroyed : c.destroyedFieldIds()) {
          if (checked.contains(destroyed)) {
            return new Result.FullScanNeeded(
                where + ": checked field " + fields.get(destroyed).name() + " was destroyed");
          }
          fields.remove(destroyed);
        }
        for (var f : c.createdFieldsById().entrySet()) {
          if (f.getValue().name() != null && checkedNames.contains(f.getValue().name())) {
            return new Result.FullScanNeeded(
                where
                    + ": field "
                    + f.getKey()
                    + " was created with checked name "
                    + f.getValue().name());
          }
          fields.put(f.getKey(), field(f.getKey(), f.getValue().name(), f.getValue().type()));
        }
        // Records: checked values by name; any unknown field id stops the mapping.
        for (var r : c.createdRecordsById().entrySet()) {
          Map<String, Object> values = new LinkedHashMap<>();
          String unknown = checkedValues(r.getValue(), fields, checked, values, false, cells);
          if (unknown != null) {
            return unknownField(where, r.getKey(), unknown);
          }
          for (String entity : entities) {
            out.computeIfAbsent(entity, x -> new LinkedHashMap<>())
                .put(r.getKey(), new RecordChange.Put(values));
          }
        }
        for (var r : c.changedRecordsById().entrySet()) {
          WebhookPayload.ChangedRecord change = r.getValue();
          Map<String, Object> current = new LinkedHashMap<>();
          String unknown = checkedValues(change.current(), fields, checked, current, true, cells);
          if (unknown != null) {
            return unknownField(where, r.getKey(), unknown);
          }
          if (current.isEmpty()) {
            continue; // only unchecked fields changed
          }
          RecordChange next;
          if (change.unchanged() != null) {
            Map<String, Object> full = new LinkedHashMap<>();
            unknown = checkedValues(change.unchanged(), fields, checked, full, false, cells);
            if (unknown != null) {
              return unknownField(where, r.getKey(), unknown);
            }
            current.forEach(
                (k, v) -> {
                  if (v == null) {
                    full.remove(k);
                  } else {
                    full.put(k, v);
                  }
                });
            next = new RecordChange.Put(full);
          } else {
            next = new RecordChange.Patch(current);
          }
          for (String entity : entities) {
            Map<String, RecordChange> records =
                out.computeIfAbsent(entity, x -> new LinkedHashMap<>());
            records.put(r.getKey(), fold(records.get(r.getKey()), next));
          }
        }
        for (String destroyed : c.destroyedRecordIds()) {
          for (String entity : entities) {
            out.computeIfAbsent(entity, x -> new LinkedHashMap<>())
                .put(destroyed, new RecordChange.Destroy());
          }
        }
      }
    }
    return new Result.Changes(Collections.unmodifiableMap(out));
  }

  /** An earlier change followed by {@code next}: the record's net change. */
  private static RecordChange fold(RecordChange earlier, RecordChange next) {
    if (earlier instanceof RecordChange.Put put && next instanceof RecordChange.Patch patch) {
      Map<String, Object> merged = new LinkedHashMap<>(put.fields());
      patch
          .fields()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  merged.remove(k);
                } else {
                  merged.put(k, v);
                }
              });
      return new RecordChange.Put(merged);
    }
    if (earlier instanceof RecordChange.Patch a && next instanceof RecordChange.Patch b) {
      Map<String, Object> merged = new LinkedHashMap<>(a.fields());
      merged.putAll(b.fields());
      return new RecordChange.Patch(merged);
    }
    return next;
  }

  /**
   * Copies the checked values of {@code byId} into {@code out} by name, in the list-records format
   * (absent values as nulls only when {@code keepNulls}); returns the first field id the schema
   * does not know, or null.
   */
  private static String checkedValues(
      Map<String, Object> byId,
      Map<String, BaseSchema.FieldSchema> fields,
      Set<String> checked,
      Map<String, Object> out,
      boolean keepNulls,
      WebhookCells cells) {
    for (var v : byId.entrySet()) {
      BaseSchema.FieldSchema field = fields.get(v.getKey());
      if (field == null) {
        return v.getKey();
      }
      if (!checked.contains(v.getKey())) {
        continue;
      }
      Object value = cells.toListRecords(field, v.getValue());
      if (value != null || keepNulls) {
        out.put(field.name(), value);
      }
    }
    return null;
  }

  /** A field a payload created or changed: what it says of it (no options, nothing computed). */
  private static BaseSchema.FieldSchema field(String id, String name, String type) {
    return new BaseSchema.FieldSchema(id, name, type, List.of(), null);
  }

  private static Result unknownField(String where, String recordId, String fieldId) {
    return new Result.FullScanNeeded(
        where + ", record " + recordId + ": field " + fieldId + " is not in the mirror's schema");
  }
}
