package dev.integrity.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One transaction of changes to a simulated base, applied with {@link AirtableSimulator#apply}:
 * records created, updated (a {@code null} value clears the field) and destroyed, and fields
 * created, renamed or retyped and destroyed. Values are keyed by field name, as the REST API writes
 * them. Every webhook of the base sees the whole transaction as one payload. Not thread-safe while
 * being built; immutable once applied (the simulator copies it).
 *
 * <pre>{@code
 * sim.apply(Edits.begin()
 *     .update("Classes", "recXXXXXXXXXXXXXX", Map.of("Status", "Archived"))
 *     .destroy("Teachers", "recYYYYYYYYYYYYYY"));
 * }</pre>
 */
public final class Edits {
  /** One change; tables are named by name or id, fields by name or id. */
  sealed interface Op {
    String table();
  }

  /** A new record; {@code recordId} null lets the simulator choose one. */
  record Create(String table, String recordId, Map<String, Object> fields) implements Op {}

  record Update(String table, String recordId, Map<String, Object> fields) implements Op {}

  record Destroy(String table, String recordId) implements Op {}

  /** A new field; {@code fieldId} null lets the simulator choose one. */
  record CreateField(String table, String fieldId, String name, String type) implements Op {}

  /** Renames and/or retypes a field; a null {@code name} or {@code type} keeps it. */
  record ChangeField(String table, String field, String name, String type) implements Op {}

  record DestroyField(String table, String field) implements Op {}

  private final List<Op> ops = new ArrayList<>();

  private Edits() {}

  public static Edits begin() {
    return new Edits();
  }

  public Edits create(String table, Map<String, Object> fields) {
    return create(table, null, fields);
  }

  public Edits create(String table, String recordId, Map<String, Object> fields) {
    ops.add(new Create(req(table, "table"), recordId, copy(fields)));
    return this;
  }

  public Edits update(String table, String recordId, Map<String, Object> fields) {
    ops.add(new Update(req(table, "table"), req(recordId, "recordId"), copy(fields)));
    return this;
  }

  public Edits destroy(String table, String recordId) {
    ops.add(new Destroy(req(table, "table"), req(recordId, "recordId")));
    return this;
  }

  public Edits createField(String table, String name, String type) {
    return createField(table, null, name, type);
  }

  public Edits createField(String table, String fieldId, String name, String type) {
    ops.add(new CreateField(req(table, "table"), fieldId, req(name, "name"), req(type, "type")));
    return this;
  }

  public Edits renameField(String table, String field, String newName) {
    ops.add(new ChangeField(req(table, "table"), req(field, "field"), req(newName, "name"), null));
    return this;
  }

  public Edits retypeField(String table, String field, String newType) {
    ops.add(new ChangeField(req(table, "table"), req(field, "field"), null, req(newType, "type")));
    return this;
  }

  public Edits destroyField(String table, String field) {
    ops.add(new DestroyField(req(table, "table"), req(field, "field")));
    return this;
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  List<Op> ops() {
    return List.copyOf(ops);
  }

  private static String req(String value, String name) {
    Objects.requireNonNull(value, name);
    return value;
  }

  /** A copy that keeps nulls (they clear a field), which Map.copyOf would refuse. */
  private static Map<String, Object> copy(Map<String, Object> fields) {
    return fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  /** What applying a transaction did: its number in the base and the ids of created records. */
  public record Result(long transactionNumber, List<String> createdRecordIds) {
    public Result {
      createdRecordIds = List.copyOf(createdRecordIds);
    }
  }
}
