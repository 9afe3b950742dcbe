package dev.integrity.check;

import dev.cel.runtime.CelEvaluationException;
import dev.integrity.config.RuleLanguage;
import dev.integrity.model.AirtableRecord;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A record as CEL's {@code r}: its fields plus {@code id} (the record id, shadowing a field of that
 * name), converted to CEL's types only when a rule reads them, so a rule naming two fields does not
 * pay for converting twenty. Null values count as absent. The record of a rule (not a linked one)
 * also gives {@code linked(r, "Field")} its linked records, through the evaluation. Not
 * thread-safe; one per record and evaluation.
 */
final class CelRecordView extends AbstractMap<String, Object> implements RuleLanguage.Linkable {
  private final AirtableRecord record;

  /** Null for a linked record: {@code linked} reads only from the rule's own record. */
  private final Evaluation evaluation;

  private Set<Entry<String, Object>> entries;

  CelRecordView(AirtableRecord record, Evaluation evaluation) {
    this.record = record;
    this.evaluation = evaluation;
  }

  @Override
  public List<Map<String, Object>> linked(String field) throws CelEvaluationException {
    if (evaluation == null) {
      throw new CelEvaluationException(
          "linked(…, \"" + field + "\") reads from the rule's record r, not from a linked one");
    }
    return evaluation.linked(record, field);
  }

  @Override
  public Object get(Object key) {
    if ("id".equals(key)) {
      return record.id();
    }
    Object value = record.fields().get(key);
    return value == null ? null : Values.cel(value);
  }

  @Override
  public boolean containsKey(Object key) {
    return "id".equals(key) || record.fields().get(key) != null;
  }

  /** The full conversion, for rules that iterate over {@code r} or compare it whole. */
  @Override
  public Set<Entry<String, Object>> entrySet() {
    if (entries == null) {
      Map<String, Object> all = new HashMap<>(record.fields().size() * 2 + 2);
      for (Map.Entry<String, Object> e : record.fields().entrySet()) {
        if (e.getValue() != null) {
          all.put(e.getKey(), Values.cel(e.getValue()));
        }
      }
      all.put("id", record.id());
      entries = all.entrySet();
    }
    return entries;
  }
}
