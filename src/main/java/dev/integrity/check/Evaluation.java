package dev.integrity.check;

import dev.cel.runtime.CelEvaluationException;
import dev.integrity.config.Severity;
import dev.integrity.model.AirtableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of one {@link CheckEngine#evaluate} call: the entity, the target ids for links (and the
 * target records for {@code linked}), the sink, and the current record's CEL view (built once per
 * record, shared by its rules). Not thread-safe; confined to the evaluating thread.
 */
final class Evaluation {
  private final String entity;
  private final Map<String, Set<String>> recordIdsByEntity;
  private final Map<String, String> linkTargets;
  private final IssueSink sink;
  private AirtableRecord celFor;
  private Map<String, Object> celRecord;

  /**
   * @param linkTargets the entity's link fields and the entity each leads to (its link checks)
   */
  Evaluation(
      String entity,
      Map<String, Set<String>> recordIdsByEntity,
      Map<String, String> linkTargets,
      IssueSink sink) {
    this.entity = entity;
    this.recordIdsByEntity = recordIdsByEntity;
    this.linkTargets = linkTargets;
    this.sink = sink;
  }

  String entity() {
    return entity;
  }

  void report(String recordId, String checkId, String field, Severity severity, String message) {
    report(recordId, checkId, field, severity, message, null);
  }

  void report(
      String recordId,
      String checkId,
      String field,
      Severity severity,
      String message,
      String value) {
    sink.accept(new Issue(entity, recordId, checkId, field, severity, message, value));
  }

  /** The ids of the target entity's records in this run, or null when it was not fetched. */
  Set<String> recordIds(String targetEntity) {
    return recordIdsByEntity.get(targetEntity);
  }

  /** The target entity's records for {@code linked}, or null when the run did not keep them. */
  TargetRecords targetRecords(String targetEntity) {
    return recordIdsByEntity.get(targetEntity) instanceof TargetRecords records ? records : null;
  }

  /**
   * {@code linked(r, "Field")}: the records of the field's link target that the record links, in
   * the field's order, each as CEL sees a record; ids that are no record of the target are left out
   * (the link check reports them).
   */
  List<Map<String, Object>> linked(AirtableRecord record, String field)
      throws CelEvaluationException {
    String target = linkTargets.get(field);
    if (target == null) {
      throw new CelEvaluationException(
          "entity " + entity + " has no link check on field '" + field + "'");
    }
    TargetRecords records = targetRecords(target);
    if (records == null) {
      // RuleCheck does not evaluate such a rule; reaching here is a bug, said plainly.
      throw new CelEvaluationException("the records of " + target + " were not fetched");
    }
    List<String> ids = CompiledCheck.LinkCheck.linkedIds(record.fields().get(field));
    List<Map<String, Object>> linked = new ArrayList<>(ids.size());
    for (String id : ids) {
      AirtableRecord found = records.get(id);
      if (found != null) {
        linked.add(new CelRecordView(found, null));
      }
    }
    return linked;
  }

  /**
   * The record as the CEL variable {@code r}: its fields converted to CEL's types (absent ones left
   * out, so {@code has(r.X)} and {@code "X" in r} work) and {@code id}, the record id, which
   * shadows a field named "id".
   */
  Map<String, Object> celRecord(AirtableRecord record) {
    if (celFor != record) {
      celRecord = new CelRecordView(record, this);
      celFor = record;
    }
    return celRecord;
  }
}
