package dev.integrity.check;

import dev.integrity.IntegrityException;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.ConfigException;
import dev.integrity.config.ConfigProblem;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.LinkedRules;
import dev.integrity.config.RuleLanguage;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import dev.integrity.model.EntityCoverage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the configured checks over fetched records, streaming each issue into an {@link IssueSink}.
 * Regexes (RE2J, linear time) and rule programs (CEL) are compiled once by {@link #compile}; what
 * each check does with each value shape is documented in {@code docs/checks.md}. Immutable after
 * compile; {@link #evaluate} is thread-safe and may run for several entities at once.
 */
public final class CheckEngine {
  /** How many records pass between checks of the thread's interrupt flag. */
  private static final int INTERRUPT_CHECK_EVERY = 1024;

  private final IntegrityConfig config;
  private final Map<String, CompiledEntity> entities;

  /** {@code all}: every compiled check of the entity in config order. */
  private record CompiledEntity(
      EntityConfig config,
      List<CompiledCheck.PerRecord> perRecord,
      List<CompiledCheck.UniqueCheck> unique,
      List<CompiledCheck> all,
      List<TableCheck> table,
      Map<String, String> linkTargets,
      List<CompiledCheck.WholeTable> wholeTable) {}

  private CheckEngine(IntegrityConfig config, Map<String, CompiledEntity> entities) {
    this.config = config;
    this.entities = entities;
  }

  /**
   * Compiles every check of the config once: RE2J patterns, CEL programs.
   *
   * @throws ConfigException listing each check that does not compile (only possible for configs
   *     built in code; {@code ConfigLoader} already refuses them)
   */
  public static CheckEngine compile(IntegrityConfig config) {
    Objects.requireNonNull(config, "config");
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, CompiledEntity> compiled = new LinkedHashMap<>();
    for (EntityConfig entity : config.entities().values()) {
      List<CompiledCheck.PerRecord> perRecord = new ArrayList<>();
      List<CompiledCheck.UniqueCheck> unique = new ArrayList<>();
      List<TableCheck> table = new ArrayList<>();
      List<CompiledCheck.WholeTable> wholeTable = new ArrayList<>();
      for (CheckSpec spec : entity.checks()) {
        try {
          switch (spec) {
            case CheckSpec.Required s -> perRecord.add(new CompiledCheck.RequiredCheck(s));
            case CheckSpec.Unique s -> unique.add(CompiledCheck.UniqueCheck.of(s));
            case CheckSpec.Allowed s -> perRecord.add(CompiledCheck.AllowedCheck.of(s));
            case CheckSpec.Pattern s -> perRecord.add(CompiledCheck.PatternCheck.of(s));
            case CheckSpec.Format s -> perRecord.add(CompiledCheck.FormatCheck.of(s));
            case CheckSpec.Range s -> perRecord.add(CompiledCheck.RangeCheck.of(s));
            case CheckSpec.Link s -> {
              if (!config.entities().containsKey(s.to())) {
                problems.add(problem(spec, "link.to names unknown entity '" + s.to() + "'"));
              }
              perRecord.add(new CompiledCheck.LinkCheck(s));
            }
            case CheckSpec.Rule s ->
                perRecord.add(
                    CompiledCheck.RuleCheck.of(
                        s,
                        RuleLanguage.compile(s.expr(), s.location()),
                        LinkedRules.targetsOf(s, LinkedRules.linkTargets(entity.checks()))));
            case CheckSpec.Volume s -> table.add(TableCheck.of(s));
            case CheckSpec.Freshness s -> table.add(TableCheck.of(s));
            case CheckSpec.Computed s -> perRecord.add(CompiledCheck.ComputedCheck.of(s));
            case CheckSpec.Similar s -> wholeTable.add(CompiledCheck.SimilarCheck.of(s));
          }
        } catch (com.google.re2j.PatternSyntaxException e) {
          problems.add(problem(spec, "bad regex: " + e.getMessage()));
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
      problems.addAll(LinkedRules.problems(entity.checks()));
      List<CompiledCheck> all = new ArrayList<>(perRecord);
      all.addAll(unique);
      all.addAll(wholeTable);
      Map<String, Integer> order = new HashMap<>();
      for (CheckSpec spec : entity.checks()) {
        order.putIfAbsent(spec.id(), order.size());
      }
      all.sort(java.util.Comparator.comparing(c -> order.get(c.spec().id())));
      compiled.put(
          entity.name(),
          new CompiledEntity(
              entity,
              List.copyOf(perRecord),
              List.copyOf(unique),
              List.copyOf(all),
              List.copyOf(table),
              Map.copyOf(LinkedRules.linkTargets(entity.checks())),
              List.copyOf(wholeTable)));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new CheckEngine(config, compiled);
  }

  private static ConfigProblem problem(CheckSpec spec, String message) {
    var at = spec.location();
    return new ConfigProblem(at.file(), at.line(), at.column(), at.path(), message);
  }

  /** The configuration this engine was compiled from. */
  public IntegrityConfig config() {
    return config;
  }

  /**
   * A check that names a table or field the base lacks, or disagrees with it; {@code checkId} and
   * {@code field} are null for a missing table. Immutable and thread-safe.
   */
  public record SchemaProblem(String entity, String checkId, String field, String message) {}

  /**
   * Checks naming fields/tables absent from the schema: one problem per (entity, check, field); a
   * missing table is one problem for its entity (checkId and field null).
   */
  public List<SchemaProblem> validateAgainst(BaseSchema schema) {
    List<SchemaProblem> problems = new ArrayList<>();
    for (EntityConfig entity : config.entities().values()) {
      Optional<TableSchema> table = schema.table(entity.table());
      if (table.isEmpty()) {
        problems.add(
            new SchemaProblem(
                entity.name(),
                null,
                null,
                "entity "
                    + entity.name()
                    + ": base "
                    + schema.baseId()
                    + " has no table '"
                    + entity.table()
                    + "'"));
        continue;
      }
      for (CheckSpec spec : entity.checks()) {
        for (String field : new LinkedHashSet<>(spec.fields())) {
          if (table.get().field(field).isEmpty()) {
            problems.add(
                new SchemaProblem(
                    entity.name(),
                    spec.id(),
                    field,
                    "entity "
                        + entity.name()
                        + ", check "
                        + spec.id()
                        + ": table '"
                        + table.get().name()
                        + "' has no field '"
                        + field
                        + "'"));
          }
        }
        if (spec instanceof CheckSpec.Rule rule) {
          problems.addAll(linkedFieldProblems(entity, rule, schema));
        }
      }
    }
    return problems;
  }

  /** The fields a rule reads through {@code linked(r, "F")} that the target's table lacks. */
  private List<SchemaProblem> linkedFieldProblems(
      EntityConfig entity, CheckSpec.Rule rule, BaseSchema schema) {
    List<SchemaProblem> problems = new ArrayList<>();
    Map<String, String> linkTargets = LinkedRules.linkTargets(entity.checks());
    for (var read : RuleLanguage.recordReads(rule.expr()).linked().entrySet()) {
      EntityConfig target = config.entities().get(linkTargets.get(read.getKey()));
      Optional<TableSchema> table =
          target == null ? Optional.empty() : schema.table(target.table());
      if (table.isEmpty()) {
        continue; // the link check's own problems name a missing target or table
      }
      for (String field : read.getValue().fields()) {
        if (table.get().field(field).isEmpty()) {
          problems.add(
              new SchemaProblem(
                  entity.name(),
                  rule.id(),
                  field,
                  "entity "
                      + entity.name()
                      + ", check "
                      + rule.id()
                      + ": table '"
                      + table.get().name()
                      + "' (entity "
                      + target.name()
                      + ", read through linked(r, \""
                      + read.getKey()
                      + "\")) has no field '"
                      + field
                      + "'"));
        }
      }
    }
    return problems;
  }

  /**
   * Also: allowed values that disagree with a select field's choices (for {@code validate
   * --online}), and link checks whose field links to another table than the target entity's.
   */
  public List<SchemaProblem> optionMismatches(BaseSchema schema) {
    List<SchemaProblem> problems = new ArrayList<>();
    for (EntityConfig entity : config.entities().values()) {
      Optional<TableSchema> table = schema.table(entity.table());
      if (table.isEmpty()) {
        continue;
      }
      for (CheckSpec spec : entity.checks()) {
        switch (spec) {
          case CheckSpec.Allowed a -> {
            Optional<FieldSchema> field = table.get().field(a.field());
            if (field.isEmpty() || field.get().choices().isEmpty()) {
              continue;
            }
            Set<String> choices = new HashSet<>(field.get().choices());
            for (String value : a.values()) {
              if (!choices.contains(value)) {
                problems.add(
                    new SchemaProblem(
                        entity.name(),
                        a.id(),
                        a.field(),
                        "entity "
                            + entity.name()
                            + ", check "
                            + a.id()
                            + ": allowed value '"
                            + value
                            + "' is not an option of field '"
                            + a.field()
                            + "' (options: "
                            + String.join(", ", field.get().choices())
                            + ")"));
              }
            }
          }
          case CheckSpec.Link l -> {
            Optional<FieldSchema> field = table.get().field(l.field());
            EntityConfig target = config.entities().get(l.to());
            Optional<TableSchema> targetTable =
                target == null ? Optional.empty() : schema.table(target.table());
            if (field.isPresent()
                && field.get().linkedTableId() != null
                && targetTable.isPresent()
                && !field.get().linkedTableId().equals(targetTable.get().id())) {
              problems.add(
                  new SchemaProblem(
                      entity.name(),
                      l.id(),
                      l.field(),
                      "entity "
                          + entity.name()
                          + ", check "
                          + l.id()
                          + ": field '"
                          + l.field()
                          + "' links to table "
                          + field.get().linkedTableId()
                          + ", not to "
                          + l.to()
                          + "'s table '"
                          + targetTable.get().name()
                          + "'"));
            }
          }
          case CheckSpec.Required r -> {}
          case CheckSpec.Unique u -> {}
          case CheckSpec.Pattern p -> {}
          case CheckSpec.Format f -> {}
          case CheckSpec.Range r -> {}
          case CheckSpec.Rule r -> {}
          case CheckSpec.Volume v -> {}
          case CheckSpec.Freshness f ->
              TableCheck.FreshnessCheck.typeProblem(f, table.get())
                  .ifPresent(
                      message ->
                          problems.add(
                              new SchemaProblem(
                                  entity.name(),
                                  f.id(),
                                  f.field(),
                                  "entity "
                                      + entity.name()
                                      + ", check "
                                      + f.id()
                                      + ": "
                                      + message)));
          case CheckSpec.Computed c -> problems.addAll(notComputed(entity, table.get(), c));
          case CheckSpec.Similar s -> {}
        }
      }
    }
    return problems;
  }

  /** Named fields of a {@code computed} check that compute nothing (they never hold errors). */
  private static List<SchemaProblem> notComputed(
      EntityConfig entity, TableSchema table, CheckSpec.Computed check) {
    List<SchemaProblem> problems = new ArrayList<>();
    for (String name : check.fields()) {
      table
          .field(name)
          .filter(f -> !f.isComputed())
          .ifPresent(
              f ->
                  problems.add(
                      new SchemaProblem(
                          entity.name(),
                          check.id(),
                          name,
                          "entity "
                              + entity.name()
                              + ", check "
                              + check.id()
                              + ": field '"
                              + name
                              + "' is of type "
                              + f.type()
                              + ", not a formula, rollup, lookup or count: it never holds an"
                              + " error value")));
    }
    return problems;
  }

  /**
   * This engine with {@code computed: all} resolved from the base schema: every formula, rollup,
   * lookup and count field of the entity's table, in the schema's order (none when the schema lacks
   * the table). A run calls it once it has read the schema; unresolved, such a check reads every
   * field of the record that holds an error value.
   */
  public CheckEngine resolve(BaseSchema schema) {
    Map<String, CompiledEntity> resolved = new LinkedHashMap<>();
    for (CompiledEntity entity : entities.values()) {
      List<String> computed =
          schema.table(entity.config().table()).map(CheckEngine::computedFields).orElse(List.of());
      java.util.function.UnaryOperator<CompiledCheck> withFields =
          c ->
              c instanceof CompiledCheck.ComputedCheck cc && cc.spec().all()
                  ? new CompiledCheck.ComputedCheck(cc.spec(), computed)
                  : c;
      resolved.put(
          entity.config().name(),
          new CompiledEntity(
              entity.config(),
              entity.perRecord().stream()
                  .map(c -> (CompiledCheck.PerRecord) withFields.apply(c))
                  .toList(),
              entity.unique(),
              entity.all().stream().map(withFields).toList(),
              entity.table(),
              entity.linkTargets(),
              entity.wholeTable()));
    }
    return new CheckEngine(config, resolved);
  }

  /** The fields {@code computed: all} stands for in the schema's table. */
  private static List<String> computedFields(TableSchema table) {
    return table.fields().stream().filter(FieldSchema::isComputed).map(FieldSchema::name).toList();
  }

  /**
   * What {@link #evaluate} checks of the entity with these link targets (record ids of each entity
   * fetched in the run; an absent key, not fetched): its configured checks and the parts of them
   * that cannot run, as each compiled check says.
   *
   * @throws IntegrityException when {@code entity} is not in the config
   */
  public EntityCoverage coverage(String entity, Map<String, Set<String>> recordIdsByEntity) {
    return coverage(compiled(entity), recordIdsByEntity);
  }

  private static EntityCoverage coverage(
      CompiledEntity compiled, Map<String, Set<String>> recordIdsByEntity) {
    List<EntityCoverage.NotEvaluated> notEvaluated = new ArrayList<>();
    for (CompiledCheck check : compiled.all()) {
      notEvaluated.addAll(check.notEvaluated(recordIdsByEntity));
    }
    return new EntityCoverage(
        compiled.config().name(),
        compiled.config().checks().stream().map(CheckSpec::id).toList(),
        notEvaluated);
  }

  private CompiledEntity compiled(String entity) {
    CompiledEntity compiled = entities.get(entity);
    if (compiled == null) {
      throw new IntegrityException(
          "no entity '" + entity + "' in the config; it defines " + entities.keySet());
    }
    return compiled;
  }

  /**
   * Whether a check of the entity compares its record count with earlier runs ({@code volume} with
   * {@code maxDrop}, {@code maxGrowth} or {@code anomaly}): only then does a run read the history
   * for {@link TableFacts#earlierCounts}.
   *
   * @throws IntegrityException when {@code entity} is not in the config
   */
  public boolean comparesWithEarlierCounts(String entity) {
    return compiled(entity).table().stream()
        .anyMatch(
            c ->
                c.spec() instanceof CheckSpec.Volume v
                    && (v.maxDrop() != null || v.maxGrowth() != null || v.anomaly() != null));
  }

  /**
   * Evaluates every check of one entity; link targets = record ids of the target entity fetched in
   * the same run (absent key = target not fetched in this run -> skip the dangling-id part). A
   * {@link TargetRecords} value also gives rules the target's records for {@code linked(r, …)}; a
   * rule through {@code linked} whose target has a plain set of ids, or none, does not run.
   *
   * <p>Issues stream into {@code sink} as found: per-record checks record by record, then {@code
   * unique} (which needs every record first). Exceptions from the sink propagate.
   *
   * @return what was checked: the entity's checks and the parts of them that could not run (see
   *     {@link #coverage}), so that the issues of those parts are not taken for resolved
   * @throws IntegrityException when {@code entity} is not in the config
   * @throws EvaluationInterruptedException when the thread is interrupted (flag left set)
   */
  public EntityCoverage evaluate(
      String entity,
      List<AirtableRecord> records,
      Map<String, Set<String>> recordIdsByEntity,
      IssueSink sink) {
    return evaluate(entity, records, recordIdsByEntity, TableFacts.unknown(), sink);
  }

  /**
   * As {@link #evaluate(String, List, Map, IssueSink)}, and then the checks of the whole table
   * ({@code volume}, {@code freshness}) with what the run knows of the table ({@code facts}): each
   * finds at most one issue, with an empty record id; one that cannot be judged with these facts is
   * in the returned coverage as not run, so its earlier issue stays open.
   */
  public EntityCoverage evaluate(
      String entity,
      List<AirtableRecord> records,
      Map<String, Set<String>> recordIdsByEntity,
      TableFacts facts,
      IssueSink sink) {
    CompiledEntity compiled = compiled(entity);
    EntityCoverage coverage = coverage(compiled, recordIdsByEntity);
    Evaluation evaluation = new Evaluation(entity, recordIdsByEntity, compiled.linkTargets(), sink);
    List<CompiledCheck.UniqueCheck> uniques = compiled.unique();
    CompiledCheck.UniqueCheck.Tally[] tallies = new CompiledCheck.UniqueCheck.Tally[uniques.size()];
    for (int u = 0; u < tallies.length; u++) {
      tallies[u] = uniques.get(u).tally(records.size());
    }
    List<CompiledCheck.PerRecord> perRecord = compiled.perRecord();
    for (int i = 0; i < records.size(); i++) {
      if (i % INTERRUPT_CHECK_EVERY == 0 && Thread.currentThread().isInterrupted()) {
        throw new EvaluationInterruptedException(entity, i, records.size());
      }
      AirtableRecord record = records.get(i);
      for (CompiledCheck.PerRecord check : perRecord) {
        check.check(record, evaluation);
      }
      for (int u = 0; u < tallies.length; u++) {
        uniques.get(u).collect(tallies[u], i, record);
      }
    }
    for (int u = 0; u < tallies.length; u++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new EvaluationInterruptedException(entity, records.size(), records.size());
      }
      uniques.get(u).report(tallies[u], records, evaluation);
    }
    for (CompiledCheck.WholeTable check : compiled.wholeTable()) {
      if (Thread.currentThread().isInterrupted()) {
        throw new EvaluationInterruptedException(entity, records.size(), records.size());
      }
      check.check(records, evaluation);
    }
    return judgeTable(compiled, coverage, records, facts, evaluation);
  }

  private static EntityCoverage judgeTable(
      CompiledEntity compiled,
      EntityCoverage coverage,
      List<AirtableRecord> records,
      TableFacts facts,
      Evaluation evaluation) {
    if (compiled.table().isEmpty()) {
      return coverage;
    }
    List<EntityCoverage.NotEvaluated> notEvaluated = new ArrayList<>(coverage.notEvaluated());
    for (TableCheck check : compiled.table()) {
      CheckSpec spec = check.spec();
      switch (check.judge(records, facts)) {
        case TableCheck.Verdict.Passed p -> {}
        case TableCheck.Verdict.Failed f ->
            evaluation.report("", spec.id(), check.field(), spec.severity(), f.message());
        case TableCheck.Verdict.NotJudged n ->
            notEvaluated.add(new EntityCoverage.NotEvaluated.WholeCheck(spec.id()));
      }
    }
    return new EntityCoverage(coverage.entity(), coverage.configuredChecks(), notEvaluated);
  }
}
