package dev.integrity.model;

import java.time.Instant;
import java.util.Map;

/**
 * One Airtable record as the API sends it: fields hold plain Java values decoded from JSON (String,
 * Long/Integer/Double/BigDecimal, Boolean, List, Map); empty fields are absent. Immutable.
 */
public record AirtableRecord(String id, Instant createdTime, Map<String, Object> fields) {
  public AirtableRecord {
    fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(fields);
  }
}
