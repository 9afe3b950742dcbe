package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One table of a simulated base: its schema, its records in the order the API lists them, and its
 * named views beyond the default "Grid view" (view name to the {@link Formula} that selects its
 * records, in order). Records hold no empty values ({@code null}, {@code ""}, {@code []}, {@code
 * false}), as Airtable omits them. Immutable.
 */
public record SimTable(
    String id,
    String name,
    String primaryFieldId,
    List<FieldSchema> fields,
    List<AirtableRecord> records,
    Map<String, String> views) {

  /** The name of the view every table has: all records, in table order. */
  public static final String DEFAULT_VIEW = "Grid view";

  public SimTable(
      String id,
      String name,
      String primaryFieldId,
      List<FieldSchema> fields,
      List<AirtableRecord> records) {
    this(id, name, primaryFieldId, fields, records, Map.of());
  }

  public SimTable {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(primaryFieldId, "primaryFieldId");
    fields = List.copyOf(fields);
    records = List.copyOf(records);
    views = views == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(views));
  }

  /** This table with one more named view selecting the records {@code formula} matches. */
  public SimTable withView(String viewName, String formula) {
    Map<String, String> more = new LinkedHashMap<>(views);
    more.put(viewName, formula);
    return new SimTable(id, name, primaryFieldId, fields, records, more);
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
