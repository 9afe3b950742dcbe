package dev.integrity.check;

import dev.integrity.config.Severity;
import dev.integrity.model.AirtableRecord;
import java.util.Map;
import java.util.Set;

/**
 * The state of one {@link CheckEngine#evaluate} call: the entity, the target ids for links, the
 * sink, and the current record's CEL view (built once per record, shared by its rules). Not
 * thread-safe; confined to the evaluating thread.
 */
final class Evaluation {
  private final String entity;
  private final Map<String, Set<String>> recordIdsByEntity;
  private final IssueSink sink;
  private AirtableRecord celFor;
  private Map<String, Object> celRecord;

  Evaluation(String entity, Map<String, Set<String>> recordIdsByEntity, IssueSink sink) {
    this.entity = entity;
    this.recordIdsByEntity = recordIdsByEntity;
    this.sink = sink;
  }

  String entity() {
    return entity;
  }

  void report(String recordId, String checkId, String field, Severity severity, String message) {
    sink.accept(new Issue(entity, recordId, checkId, field, severity, message));
  }

  /** The ids of the target entity's records in this run, or null when it was not fetched. */
  Set<String> recordIds(String targetEntity) {
    return recordIdsByEntity.get(targetEntity);
  }

  /**
   * The record as the CEL variable {@code r}: its fields converted to CEL's types (absent ones left
   * out, so {@code has(r.X)} and {@code "X" in r} work) and {@code id}, the record id, which
   * shadows a field named "id".
   */
  Map<String, Object> celRecord(AirtableRecord record) {
    if (celFor != record) {
      celRecord = new CelRecordView(record);
      celFor = record;
    }
    return celRecord;
  }
}
