package dev.integrity.model;

import java.time.Instant;
import java.util.Map;

/**
 * One Airtable record as the API sends it: fields hold plain Java values decoded from JSON (String,
 * Long/Integer/Double/BigDecimal, Boolean, List, Map); empty fields are absent. Immutable.
 */
public record AirtableRecord(String id, Instant createdTime, Map<String, Object> fields) {
  public AirtableRecord {
    // Compact fields are unmodifiable already; wrapping them would cost a wrapper per record.
    fields =
        fields == null
            ? Map.of()
            : fields instanceof CompactFields
                ? fields
                : java.util.Collections.unmodifiableMap(fields);
  }
}
