package dev.integrity.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One mirrored record: its id and checked values by field name, as plain JSON values (String,
 * Integer/Long/Double, Boolean, List, Map), the same types a fetched record carries. Immutable.
 */
public record MirrorRecord(String recordId, Map<String, Object> fields) {
  public MirrorRecord {
    Objects.requireNonNull(recordId, "recordId");
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
