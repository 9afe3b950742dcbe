package dev.integrity.plan;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.LinkedRules;
import dev.integrity.config.RuleLanguage;
import dev.integrity.model.BaseSchema;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fields a run asks Airtable for ({@code fields[]}): the table's primary field, then every
 * field the entity's checks name (for a rule, the fields its expression names), in check order.
 * Null means every field (no {@code fields[]}): the entity says {@code fields: all}, or one of its
 * rules reads the record as a whole. Checks read only the fields they name, so their issues,
 * messages and deep links are the same either way. Stateless.
 */
public final class FieldProjection {
  private FieldProjection() {}

  /**
   * The fields to request, or null for all of them.
   *
   * @param primaryField the table's primary field name, or null when unknown (then not added)
   */
  public static List<String> fields(EntityConfig entity, String primaryField) {
    if (entity.allFields()) {
      return null;
    }
    Set<String> fields = new LinkedHashSet<>();
    if (primaryField != null) {
      fields.add(primaryField);
    }
    for (CheckSpec check : entity.checks()) {
      if (check instanceof CheckSpec.Computed computed && computed.all()) {
        return null; // which fields compute, only the schema says: see fields(entity, schema)
      }
      if (check instanceof CheckSpec.Rule rule) {
        RuleLanguage.RecordReads reads = RuleLanguage.recordReads(rule.expr());
        if (reads.wholeRecord()) {
          return null;
        }
        fields.addAll(reads.fields());
      } else {
        fields.addAll(check.fields());
      }
    }
    return List.copyOf(fields);
  }

  /**
   * As {@link #fields(EntityConfig, String)}, the primary field taken from the base schema, and
   * {@code computed: all} standing for the table's formula, rollup, lookup and count fields.
   */
  public static List<String> fields(EntityConfig entity, BaseSchema schema) {
    String primary = primaryField(schema, entity.table()).orElse(null);
    List<CheckSpec> checks = entity.checks();
    if (entity.allFields() || checks.stream().noneMatch(FieldProjection::computedAll)) {
      return fields(entity, primary);
    }
    List<CheckSpec> others = checks.stream().filter(c -> !computedAll(c)).toList();
    List<String> named =
        fields(
            new EntityConfig(
                entity.name(), entity.table(), others, entity.view(), entity.filter(), false),
            primary);
    if (named == null) {
      return null;
    }
    Set<String> fields = new LinkedHashSet<>(named);
    schema
        .table(entity.table())
        .ifPresent(
            t ->
                t.fields().stream()
                    .filter(BaseSchema.FieldSchema::isComputed)
                    .forEach(f -> fields.add(f.name())));
    return List.copyOf(fields);
  }

  private static boolean computedAll(CheckSpec check) {
    return check instanceof CheckSpec.Computed computed && computed.all();
  }

  /**
   * As {@link #fields(EntityConfig, String)}, plus the fields that rules of any entity of the
   * config read of this entity's records through {@code linked(r, "Field")} ({@code t.Status} in
   * {@code linked(r, "Teacher").all(t, t.Status == "Active")}); null (every field) when one of them
   * uses a linked record whole.
   */
  public static List<String> fields(
      IntegrityConfig config, EntityConfig entity, String primaryField) {
    List<String> own = fields(entity, primaryField);
    if (own == null) {
      return null;
    }
    RuleLanguage.TargetReads linked = LinkedRules.readsOf(config, entity.name());
    if (linked.wholeRecord()) {
      return null;
    }
    Set<String> fields = new LinkedHashSet<>(own);
    fields.addAll(linked.fields());
    return List.copyOf(fields);
  }

  /**
   * As {@link #fields(IntegrityConfig, EntityConfig, String)}, the primary field from the schema.
   */
  public static List<String> fields(
      IntegrityConfig config, EntityConfig entity, BaseSchema schema) {
    return fields(config, entity, primaryField(schema, entity.table()).orElse(null));
  }

  /** Why the fields are what they are, for the run's log, rules of other entities included. */
  public static String describe(IntegrityConfig config, EntityConfig entity, List<String> fields) {
    if (fields == null
        && fields(entity, (String) null) != null
        && LinkedRules.readsOf(config, entity.name()).wholeRecord()) {
      return entity.name()
          + ": asking for every field (a rule of another entity uses its records whole through"
          + " linked)";
    }
    return describe(entity, fields);
  }

  /** The name of a table's primary field, if the schema knows the table and the field. */
  public static Optional<String> primaryField(BaseSchema schema, String table) {
    return schema
        .table(table)
        .flatMap(t -> t.field(t.primaryFieldId()))
        .map(BaseSchema.FieldSchema::name);
  }

  /** Why the fields are what they are, for the run's log. */
  public static String describe(EntityConfig entity, List<String> fields) {
    if (fields != null) {
      return entity.name() + ": asking for " + fields.size() + " fields " + fields;
    }
    if (entity.allFields()) {
      return entity.name() + ": asking for every field (fields: all)";
    }
    String rule =
        entity.checks().stream()
            .filter(
                c ->
                    c instanceof CheckSpec.Rule r
                        && RuleLanguage.recordReads(r.expr()).wholeRecord())
            .map(CheckSpec::id)
            .findFirst()
            .orElse("a rule");
    return entity.name() + ": asking for every field (" + rule + " reads the record as a whole)";
  }
}
