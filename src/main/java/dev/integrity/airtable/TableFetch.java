package dev.integrity.airtable;

import dev.integrity.model.AirtableRecord;
import java.time.Duration;
import java.util.List;

/**
 * Every record of one table as fetched, with how many pages the final pass took, how often an
 * expired offset restarted it, and how long it took. Immutable and thread-safe.
 */
public record TableFetch(
    String table, List<AirtableRecord> records, int pages, int restarts, Duration elapsed) {
  public TableFetch {
    records = List.copyOf(records);
  }
}
