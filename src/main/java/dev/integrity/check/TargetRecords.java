package dev.integrity.check;

import dev.integrity.model.AirtableRecord;
import java.util.AbstractSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The fetched records of an entity that rules read through {@code linked(r, "Field")}, by record
 * id. As a set it is the entity's record ids, so the same value serves the entity's {@code link}
 * checks in {@link CheckEngine#evaluate}'s {@code recordIdsByEntity}: the run gives one where a
 * rule reads the records, a plain set of ids where only link checks need them (a rule through
 * {@code linked} on such an entity does not run and its earlier issues stay open). Immutable and
 * thread-safe once built.
 */
public final class TargetRecords extends AbstractSet<String> {
  private final Map<String, AirtableRecord> byId;

  private TargetRecords(Map<String, AirtableRecord> byId) {
    this.byId = byId;
  }

  /** The records by id; of two with the same id the later wins (Airtable sends each once). */
  public static TargetRecords of(List<AirtableRecord> records) {
    Map<String, AirtableRecord> byId = HashMap.newHashMap(records.size());
    for (AirtableRecord record : records) {
      byId.put(record.id(), record);
    }
    return new TargetRecords(byId);
  }

  /** The record with this id, or null when the entity has none. */
  AirtableRecord get(String id) {
    return byId.get(id);
  }

  @Override
  public boolean contains(Object id) {
    return byId.containsKey(id);
  }

  @Override
  public Iterator<String> iterator() {
    return java.util.Collections.unmodifiableSet(byId.keySet()).iterator();
  }

  @Override
  public int size() {
    return byId.size();
  }
}
