package dev.integrity.sim;

import dev.integrity.airtable.AirtableRecord;
import dev.integrity.airtable.BaseSchema.FieldSchema;
import dev.integrity.airtable.BaseSchema.TableSchema;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One table of a simulated base: its schema and its records in the order the API lists them.
 * Records hold no empty values ({@code null}, {@code ""}, {@code []}, {@code false}), as Airtable
 * omits them. Immutable.
 */
public record SimTable(
    String id,
    String name,
    String primaryFieldId,
    List<FieldSchema> fields,
    List<AirtableRecord> records) {

  public SimTable {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(primaryFieldId, "primaryFieldId");
    fields = List.copyOf(fields);
    records = List.copyOf(records);
  }

  /** The table as the Meta API describes it. */
  public TableSchema schema() {
    return new TableSchema(id, name, primaryFieldId, fields);
  }

  /** A field by id or by exact name (ids win). */
  public Optional<FieldSchema> field(String nameOrId) {
    return schema().field(nameOrId);
  }

  @Override
  public String toString() {
    return "SimTable[" + id + " " + name + ", " + records.size() + " records]";
  }
}
