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
   * prefersSingleRecordLink} is their {@code options.prefersSingleRecordLink} (false elsewhere);
   * {@code computed} describes what a formula, rollup, lookup or count field computes (null for
   * other fields, or when Airtable did not say).
   */
  public record FieldSchema(
      String id,
      String name,
      String type,
      List<String> choices,
      String linkedTableId,
      boolean prefersSingleRecordLink,
      Computed computed) {
    public FieldSchema {
      choices = choices == null ? List.of() : List.copyOf(choices);
    }

    /** A field that computes nothing. */
    public FieldSchema(
        String id,
        String name,
        String type,
        List<String> choices,
        String linkedTableId,
        boolean prefersSingleRecordLink) {
      this(id, name, type, choices, linkedTableId, prefersSingleRecordLink, null);
    }

    /** A field that does not prefer a single linked record (every non-link field). */
    public FieldSchema(
        String id, String name, String type, List<String> choices, String linkedTableId) {
      this(id, name, type, choices, linkedTableId, false, null);
    }

    /** The field types whose value Airtable computes, and which can hold error values. */
    public static final java.util.Set<String> COMPUTED_TYPES =
        java.util.Set.of("formula", "rollup", "multipleLookupValues", "lookup", "count");

    /** Whether Airtable computes this field's value: a formula, rollup, lookup or count. */
    public boolean isComputed() {
      return COMPUTED_TYPES.contains(type);
    }

    /** The type of each value the field holds: {@code computed.resultType} when set, else type. */
    public String valueType() {
      return computed != null && computed.resultType() != null ? computed.resultType() : type;
    }
  }

  /**
   * What a computed field computes, from its {@code options}: {@code resultType} is {@code
   * options.result.type} (the type of each value; for a lookup, of each element of its list), null
   * when Airtable gave none (an invalid field); {@code recordLinkFieldId} the link field of this
   * table that a lookup, rollup or count follows; {@code fieldIdInLinkedTable} the field a lookup
   * or rollup reads in the linked table.
   */
  public record Computed(
      String resultType, String recordLinkFieldId, String fieldIdInLinkedTable) {}
}
