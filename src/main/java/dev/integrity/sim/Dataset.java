package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The base a simulator serves: a base id and its tables with schema and records. Build one with
 * {@link #demo()}, {@link #load(Path)}, {@link #synthetic(Map)} or {@link #of(String, List)}. Ids
 * are validated to Airtable's shape (prefix + 14 characters of [A-Za-z0-9]). Immutable and
 * thread-safe.
 */
public final class Dataset {
  private final String baseId;
  private final List<SimTable> tables;

  private Dataset(String baseId, List<SimTable> tables) {
    this.baseId = baseId;
    this.tables = List.copyOf(tables);
  }

  /**
   * A dataset from parts, checked: ids well-formed and unique, table names unique, the primary
   * field and every link target present, no empty values left in records.
   *
   * @throws SimulatorException naming the table, field or record at fault
   */
  public static Dataset of(String baseId, List<SimTable> tables) {
    Objects.requireNonNull(baseId, "baseId");
    if (!Ids.valid("app", baseId)) {
      throw new SimulatorException(
          "base id " + baseId + " is not app + 14 characters of [A-Za-z0-9]");
    }
    Set<String> tableIds = new HashSet<>();
    Set<String> tableNames = new HashSet<>();
    for (SimTable t : tables) {
      if (!Ids.valid("tbl", t.id())) {
        throw new SimulatorException("table " + t.name() + ": id " + t.id() + " is malformed");
      }
      if (!tableIds.add(t.id()) || !tableNames.add(t.name())) {
        throw new SimulatorException("table " + t.name() + " (" + t.id() + ") appears twice");
      }
    }
    List<SimTable> clean = new ArrayList<>(tables.size());
    for (SimTable t : tables) {
      clean.add(checked(t, tableIds));
    }
    return new Dataset(baseId, clean);
  }

  private static SimTable checked(SimTable t, Set<String> tableIds) {
    Set<String> fieldIds = new HashSet<>();
    Set<String> fieldNames = new HashSet<>();
    for (FieldSchema f : t.fields()) {
      if (!Ids.valid("fld", f.id())) {
        throw new SimulatorException(
            "table " + t.name() + ", field " + f.name() + ": id " + f.id() + " is malformed");
      }
      if (!fieldIds.add(f.id()) || !fieldNames.add(f.name())) {
        throw new SimulatorException("table " + t.name() + ": field " + f.name() + " twice");
      }
      if (f.linkedTableId() != null && !tableIds.contains(f.linkedTableId())) {
        throw new SimulatorException(
            "table "
                + t.name()
                + ", field "
                + f.name()
                + ": links to unknown table "
                + f.linkedTableId());
      }
    }
    if (!fieldIds.contains(t.primaryFieldId())) {
      throw new SimulatorException(
          "table "
              + t.name()
              + ": primary field "
              + t.primaryFieldId()
              + " is not one of its fields");
    }
    Set<String> recordIds = new HashSet<>();
    List<AirtableRecord> records = new ArrayList<>(t.records().size());
    for (AirtableRecord r : t.records()) {
      if (!Ids.valid("rec", r.id()) || !recordIds.add(r.id())) {
        throw new SimulatorException(
            "table " + t.name() + ": record id " + r.id() + " is malformed or appears twice");
      }
      Objects.requireNonNull(r.createdTime(), () -> "createdTime of record " + r.id());
      // Most records hold no empty value: they are kept as they are, without a copy (every edit
      // of the simulated base checks the whole base again).
      boolean clean = true;
      for (var e : r.fields().entrySet()) {
        if (isEmpty(e.getValue())) {
          clean = false;
        } else if (!fieldNames.contains(e.getKey())) {
          throw new SimulatorException(
              "table " + t.name() + ", record " + r.id() + ": unknown field " + e.getKey());
        }
      }
      if (clean) {
        records.add(r);
        continue;
      }
      Map<String, Object> fields = new LinkedHashMap<>();
      r.fields()
          .forEach(
              (k, v) -> {
                if (!isEmpty(v)) {
                  fields.put(k, v);
                }
              });
      records.add(new AirtableRecord(r.id(), r.createdTime(), fields));
    }
    for (var view : t.views().entrySet()) {
      if (view.getKey().equals(SimTable.DEFAULT_VIEW)) {
        throw new SimulatorException(
            "table " + t.name() + ": view '" + SimTable.DEFAULT_VIEW + "' is built in");
      }
      try {
        Formula.parse(view.getValue(), fieldNames);
      } catch (Formula.InvalidFormulaException e) {
        throw new SimulatorException(
            "table " + t.name() + ", view " + view.getKey() + ": " + e.getMessage(), e);
      }
    }
    return new SimTable(t.id(), t.name(), t.primaryFieldId(), t.fields(), records, t.views());
  }

  /** Airtable leaves these out of a record's fields. */
  static boolean isEmpty(Object value) {
    return value == null
        || (value instanceof String s && s.isEmpty())
        || (value instanceof List<?> l && l.isEmpty())
        || Boolean.FALSE.equals(value);
  }

  /** The base id of {@link #demo()}: always the same, so configs can name it. */
  public static String demoBaseId() {
    return DemoSchool.BASE_ID;
  }

  /**
   * The demo school (Teachers 300, Classes 1,200, Students 10,000, Enrollments 10,000) with a few
   * percent planted defects; deterministic: every call returns an equal dataset.
   */
  public static Dataset demo() {
    return new DemoSchool().build();
  }

  /**
   * Loads a directory of JSON tables; the format is described in the package documentation.
   *
   * @throws SimulatorException naming the file and what is wrong with it
   */
  public static Dataset load(Path dir) {
    return DatasetFiles.load(dir);
  }

  /** Writes this dataset in the format {@link #load(Path)} reads (the directory is created). */
  public void writeTo(Path dir) {
    DatasetFiles.write(this, dir);
  }

  /** One table named {@code tableName} with {@code recordCount} plain records (Name, Number). */
  public static Dataset synthetic(String tableName, int recordCount) {
    return synthetic(Map.of(tableName, recordCount));
  }

  /**
   * Plain tables of the given sizes (fields Name and Number, record i has Name "Row i" and Number
   * i), deterministic; a base for tests of paging and concurrency.
   */
  public static Dataset synthetic(Map<String, Integer> recordsPerTable) {
    return synthetic(recordsPerTable, 0);
  }

  /**
   * As {@link #synthetic(Map)}, each record also carrying a text field Notes of {@code notesChars}
   * characters (none when 0): a base whose records are heavy with a field no check reads, for
   * measuring what field projection saves.
   */
  public static Dataset synthetic(Map<String, Integer> recordsPerTable, int notesChars) {
    List<SimTable> tables = new ArrayList<>();
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    var sorted = new TreeMap<>(recordsPerTable);
    for (var e : sorted.entrySet()) {
      String name = e.getKey();
      var random = new Random(name.hashCode());
      String tableId = Ids.derived("tbl", "synthetic:" + name);
      var nameField =
          new FieldSchema(
              Ids.derived("fld", tableId + ":Name"), "Name", "singleLineText", null, null);
      var numberField =
          new FieldSchema(Ids.derived("fld", tableId + ":Number"), "Number", "number", null, null);
      List<AirtableRecord> records = new ArrayList<>(e.getValue());
      Set<String> used = new HashSet<>();
      for (int i = 1; i <= e.getValue(); i++) {
        String id;
        do {
          id = Ids.random("rec", random);
        } while (!used.add(id));
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("Name", "Row " + i);
        fields.put("Number", i);
        if (notesChars > 0) {
          fields.put("Notes", notes(random, notesChars));
        }
        records.add(new AirtableRecord(id, created.plusSeconds(i), fields));
      }
      List<FieldSchema> schema = new ArrayList<>(List.of(nameField, numberField));
      if (notesChars > 0) {
        schema.add(
            new FieldSchema(
                Ids.derived("fld", tableId + ":Notes"), "Notes", "multilineText", null, null));
      }
      tables.add(new SimTable(tableId, name, nameField.id(), schema, records));
    }
    String seed = "synthetic:" + sorted.keySet() + (notesChars > 0 ? ":notes" + notesChars : "");
    return of(Ids.derived("app", seed), tables);
  }

  private static String notes(Random random, int chars) {
    String words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod ";
    StringBuilder out = new StringBuilder(chars);
    while (out.length() < chars) {
      int at = random.nextInt(words.length());
      out.append(words, at, Math.min(words.length(), at + 1 + random.nextInt(20)));
    }
    out.setLength(chars);
    return out.toString();
  }

  public String baseId() {
    return baseId;
  }

  public List<SimTable> tables() {
    return tables;
  }

  /** A table by id or exact name (ids win), as the API resolves the path segment. */
  public Optional<SimTable> table(String nameOrId) {
    for (SimTable t : tables) {
      if (t.id().equals(nameOrId)) {
        return Optional.of(t);
      }
    }
    for (SimTable t : tables) {
      if (t.name().equals(nameOrId)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The base schema as the Meta API describes it. */
  public BaseSchema schema() {
    return new BaseSchema(baseId, tables.stream().map(SimTable::schema).toList());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Dataset d && d.baseId.equals(baseId) && d.tables.equals(tables);
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseId, tables);
  }

  @Override
  public String toString() {
    return "Dataset[" + baseId + " " + tables + "]";
  }
}
