package dev.integrity.model;

import java.util.List;
import java.util.Optional;

/** A base's tables and fields as the Meta API describes them. Immutable. */
public record BaseSchema(String baseId, List<TableSchema> tables) {
  public BaseSchema {
    tables = List.copyOf(tables);
  }

  /** Finds a table by id or by name (ids win; names compare exactly, as Airtable does). */
  public Optional<TableSchema> table(String nameOrId) {
    return tables.stream()
        .filter(t -> t.id().equals(nameOrId))
        .findFirst()
        .or(() -> tables.stream().filter(t -> t.name().equals(nameOrId)).findFirst());
  }

  /** One table of the base. */
  public record TableSchema(
      String id, String name, String primaryFieldId, List<FieldSchema> fields) {
    public TableSchema {
      fields = List.copyOf(fields);
    }

    public Optional<FieldSchema> field(String nameOrId) {
      return fields.stream()
          .filter(f -> f.id().equals(nameOrId))
          .findFirst()
          .or(() -> fields.stream().filter(f -> f.name().equals(nameOrId)).findFirst());
    }
  }

  /**
   * One field; {@code choices} holds the option names of singleSelect/multipleSelects fields and is
   * empty otherwise; {@code linkedTableId} is set for multipleRecordLinks fields, and {@code
   * prefersSingleRecordLink} is their {@code options.prefersSingleRecordLink} (false elsewhere).
   */
  public record FieldSchema(
      String id,
      String name,
      String type,
      List<String> choices,
      String linkedTableId,
      boolean prefersSingleRecordLink) {
    public FieldSchema {
      choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** A field that does not prefer a single linked record (every non-link field). */
    public FieldSchema(
        String id, String name, String type, List<String> choices, String linkedTableId) {
      this(id, name, type, choices, linkedTableId, false);
    }
  }
}
