package dev.integrity.airtable;

import dev.integrity.model.AirtableRecord;
import java.time.Duration;
import java.util.List;

/**
 * The first page of a list-records iteration, read alone: its records, whether Airtable answered
 * with an {@code offset} (more pages follow; the offset itself is not kept, since the reader that
 * asks for a first page alone reads the rest another way), and how long the answered request took
 * (send to body read, without the wait for a rate slot). Immutable and thread-safe.
 */
public record FirstPage(
    String table, List<AirtableRecord> records, boolean more, Duration latency) {
  public FirstPage {
    records = List.copyOf(records);
  }
}
