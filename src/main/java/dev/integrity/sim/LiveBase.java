package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The simulated base as edits leave it: applies an {@link Edits} transaction to a copy of the
 * current dataset and reports what changed, by table, record and field id, as a webhook payload
 * describes it. The change is computed as the difference between before and after, so a record
 * created and then updated in one transaction is one creation with its final values, as in
 * Airtable. Thread-safe (one transaction at a time).
 */
final class LiveBase {
  /** A record that appeared: its creation time and every non-empty value by field id. */
  record CreatedRecord(Instant createdTime, Map<String, Object> cellValuesByFieldId) {}

  /**
   * A record whose values changed: {@code current} and {@code previous} hold the changed fields
   * only (null for an empty value), {@code unchanged} the record's other non-empty values.
   */
  record ChangedRecord(
      Map<String, Object> current, Map<String, Object> previous, Map<String, Object> unchanged) {}

  /** A field's name and type (either may be null in a change: not changed). */
  record FieldDescription(String name, String type) {}

  record FieldChange(FieldDescription current, FieldDescription previous) {}

  /** What one transaction did to one table. */
  record TableChange(
      Map<String, CreatedRecord> createdRecords,
      Map<String, ChangedRecord> changedRecords,
      List<String> destroyedRecordIds,
      Map<String, FieldDescription> createdFields,
      Map<String, FieldChange> changedFields,
      List<String> destroyedFieldIds) {

    boolean hasData() {
      return !createdRecords.isEmpty()
          || !changedRecords.isEmpty()
          || !destroyedRecordIds.isEmpty();
    }

    boolean hasFields() {
      return !createdFields.isEmpty() || !changedFields.isEmpty() || !destroyedFieldIds.isEmpty();
    }
  }

  /** A transaction's number, time and changes by table id (tables without changes left out). */
  record Transaction(
      long number, Instant timestamp, Map<String, TableChange> tables, List<String> created) {}

  private final Random random;
  private Dataset dataset;
  private long transactions;

  LiveBase(Dataset dataset) {
    this.dataset = Objects.requireNonNull(dataset, "dataset");
    this.random = new Random(dataset.baseId().hashCode());
  }

  synchronized Dataset dataset() {
    return dataset;
  }

  /** The number of the last transaction applied (0 before any). */
  synchronized long transactions() {
    return transactions;
  }

  /**
   * Applies the edits as one transaction stamped {@code now}.
   *
   * @throws SimulatorException naming the table, record or field an edit cannot apply to; nothing
   *     is changed then
   */
  synchronized Transaction apply(Edits edits, Instant now) {
    Map<String, Mutable> tables = new LinkedHashMap<>();
    for (SimTable t : dataset.tables()) {
      tables.put(t.id(), new Mutable(t));
    }
    List<String> created = new ArrayList<>();
    for (Edits.Op op : edits.ops()) {
      Mutable t = find(tables, op.table());
      switch (op) {
        case Edits.Create c -> {
          String id = c.recordId();
          if (id == null) {
            do {
              id = Ids.random("rec", random);
            } while (t.records.containsKey(id));
          } else if (t.records.containsKey(id)) {
            throw new SimulatorException(
                "table " + t.name + ": cannot create record " + id + ", it exists");
          }
          Map<String, Object> values = new LinkedHashMap<>();
          put(t, id, values, c.fields());
          t.records.put(id, new AirtableRecord(id, now, values));
          created.add(id);
        }
        case Edits.Update u -> {
          AirtableRecord r = t.record(u.recordId());
          Map<String, Object> values = new LinkedHashMap<>(r.fields());
          put(t, r.id(), values, u.fields());
          t.records.put(r.id(), new AirtableRecord(r.id(), r.createdTime(), values));
        }
        case Edits.Destroy d -> t.records.remove(t.record(d.recordId()).id());
        case Edits.CreateField f -> {
          String id =
              f.fieldId() == null
                  ? Ids.derived("fld", t.id + ":" + f.name() + ":" + now)
                  : f.fieldId();
          if (t.fieldIndex(f.name()) >= 0 || t.fieldIndex(id) >= 0) {
            throw new SimulatorException(
                "table " + t.name + ": cannot create field " + f.name() + ", it exists");
          }
          t.fields.add(new FieldSchema(id, f.name(), f.type(), null, null));
        }
        case Edits.ChangeField f -> {
          int i = t.field(f.field());
          FieldSchema old = t.fields.get(i);
          String name = f.name() == null ? old.name() : f.name();
          if (!name.equals(old.name())) {
            if (t.fieldIndex(name) >= 0) {
              throw new SimulatorException(
                  "table " + t.name + ": cannot rename field " + old.name() + " to " + name);
            }
            for (var e : t.records.entrySet()) {
              AirtableRecord r = e.getValue();
              if (r.fields().containsKey(old.name())) {
                Map<String, Object> values = new LinkedHashMap<>();
                r.fields().forEach((k, v) -> values.put(k.equals(old.name()) ? name : k, v));
                e.setValue(new AirtableRecord(r.id(), r.createdTime(), values));
              }
            }
          }
          String type = f.type() == null ? old.type() : f.type();
          // A rename or retype keeps the rest of the field: choices, link target and options.
          t.fields.set(
              i,
              new FieldSchema(
                  old.id(),
                  name,
                  type,
                  old.choices(),
                  old.linkedTableId(),
                  old.prefersSingleRecordLink(),
                  old.computed()));
        }
        case Edits.DestroyField f -> {
          int i = t.field(f.field());
          FieldSchema old = t.fields.get(i);
          if (old.id().equals(t.primaryFieldId)) {
            throw new SimulatorException(
                "table " + t.name + ": the primary field " + old.name() + " cannot be destroyed");
          }
          t.fields.remove(i);
          for (var e : t.records.entrySet()) {
            AirtableRecord r = e.getValue();
            if (r.fields().containsKey(old.name())) {
              Map<String, Object> values = new LinkedHashMap<>(r.fields());
              values.remove(old.name());
              e.setValue(new AirtableRecord(r.id(), r.createdTime(), values));
            }
          }
        }
      }
    }
    List<SimTable> after = new ArrayList<>();
    for (Mutable t : tables.values()) {
      // Named views stay: an edit of records or fields does not remove a table's views.
      after.add(
          new SimTable(
              t.id,
              t.name,
              t.primaryFieldId,
              t.fields,
              new ArrayList<>(t.records.values()),
              t.views));
    }
    Dataset next = Dataset.of(dataset.baseId(), after);
    Map<String, TableChange> changes = new LinkedHashMap<>();
    for (SimTable before : dataset.tables()) {
      SimTable now2 = next.table(before.id()).orElseThrow();
      TableChange change = diff(before, now2);
      if (change.hasData() || change.hasFields()) {
        changes.put(before.id(), change);
      }
    }
    dataset = next;
    transactions++;
    return new Transaction(transactions, now, changes, created);
  }

  private static void put(
      Mutable t, String recordId, Map<String, Object> values, Map<String, Object> edits) {
    for (var e : edits.entrySet()) {
      int i = t.fieldIndex(e.getKey());
      if (i < 0) {
        throw new SimulatorException(
            "table " + t.name + ", record " + recordId + ": unknown field " + e.getKey());
      }
      String name = t.fields.get(i).name();
      if (Dataset.isEmpty(e.getValue())) {
        values.remove(name);
      } else {
        values.put(name, e.getValue());
      }
    }
  }

  private static Mutable find(Map<String, Mutable> tables, String nameOrId) {
    Mutable t = tables.get(nameOrId);
    if (t != null) {
      return t;
    }
    for (Mutable m : tables.values()) {
      if (m.name.equals(nameOrId)) {
        return m;
      }
    }
    throw new SimulatorException("no table " + nameOrId + " in the base");
  }

  private static Map<String, Object> byId(SimTable t, AirtableRecord r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (FieldSchema f : t.fields()) {
      Object v = r.fields().get(f.name());
      if (v != null) {
        out.put(f.id(), v);
      }
    }
    return out;
  }

  private static TableChange diff(SimTable before, SimTable after) {
    Map<String, AirtableRecord> old = new HashMap<>();
    before.records().forEach(r -> old.put(r.id(), r));
    Map<String, CreatedRecord> created = new LinkedHashMap<>();
    Map<String, ChangedRecord> changed = new LinkedHashMap<>();
    List<String> destroyed = new ArrayList<>();
    java.util.Set<String> present = new java.util.HashSet<>();
    for (AirtableRecord r : after.records()) {
      present.add(r.id());
      AirtableRecord o = old.get(r.id());
      if (o == r && before.fields().equals(after.fields())) {
        continue; // the same record under the same fields: nothing of it changed
      }
      Map<String, Object> now = byId(after, r);
      if (o == null) {
        created.put(r.id(), new CreatedRecord(r.createdTime(), now));
        continue;
      }
      Map<String, Object> was = byId(before, o);
      Map<String, Object> current = new LinkedHashMap<>();
      Map<String, Object> previous = new LinkedHashMap<>();
      Map<String, Object> unchanged = new LinkedHashMap<>();
      java.util.Set<String> ids = new java.util.LinkedHashSet<>(was.keySet());
      ids.addAll(now.keySet());
      for (String id : ids) {
        // A field destroyed in this transaction is a schema change, not a change of values.
        if (after.fields().stream().noneMatch(f -> f.id().equals(id))) {
          continue;
        }
        Object a = was.get(id);
        Object b = now.get(id);
        if (Objects.equals(a, b)) {
          unchanged.put(id, b);
        } else {
          current.put(id, b);
          previous.put(id, a);
        }
      }
      if (!current.isEmpty()) {
        changed.put(r.id(), new ChangedRecord(current, previous, unchanged));
      }
    }
    for (AirtableRecord r : before.records()) {
      if (!present.contains(r.id())) {
        destroyed.add(r.id());
      }
    }
    Map<String, FieldDescription> createdFields = new LinkedHashMap<>();
    Map<String, FieldChange> changedFields = new LinkedHashMap<>();
    List<String> destroyedFields = new ArrayList<>();
    for (FieldSchema f : after.fields()) {
      FieldSchema o =
          before.fields().stream().filter(x -> x.id().equals(f.id())).findFirst().orElse(null);
      if (o == null) {
        createdFields.put(f.id(), new FieldDescription(f.name(), f.type()));
      } else if (!o.name().equals(f.name()) || !o.type().equals(f.type())) {
        boolean renamed = !o.name().equals(f.name());
        boolean retyped = !o.type().equals(f.type());
        changedFields.put(
            f.id(),
            new FieldChange(
                new FieldDescription(renamed ? f.name() : null, retyped ? f.type() : null),
                new FieldDescription(renamed ? o.name() : null, retyped ? o.type() : null)));
      }
    }
    for (FieldSchema o : before.fields()) {
      if (after.fields().stream().noneMatch(f -> f.id().equals(o.id()))) {
        destroyedFields.add(o.id());
      }
    }
    return new TableChange(
        created, changed, destroyed, createdFields, changedFields, destroyedFields);
  }

  /** A table being edited. */
  private static final class Mutable {
    final String id;
    final String name;
    final String primaryFieldId;
    final List<FieldSchema> fields;
    final LinkedHashMap<String, AirtableRecord> records = new LinkedHashMap<>();
    final Map<String, String> views;

    Mutable(SimTable t) {
      views = t.views();
      id = t.id();
      name = t.name();
      primaryFieldId = t.primaryFieldId();
      fields = new ArrayList<>(t.fields());
      t.records().forEach(r -> records.put(r.id(), r));
    }

    int fieldIndex(String nameOrId) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).id().equals(nameOrId)) {
          return i;
        }
      }
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(nameOrId)) {
          return i;
        }
      }
      return -1;
    }

    int field(String nameOrId) {
      int i = fieldIndex(nameOrId);
      if (i < 0) {
        throw new SimulatorException("table " + name + ": no field " + nameOrId);
      }
      return i;
    }

    AirtableRecord record(String recordId) {
      AirtableRecord r = records.get(recordId);
      if (r == null) {
        throw new SimulatorException("table " + name + ": no record " + recordId);
      }
      return r;
    }
  }
}
