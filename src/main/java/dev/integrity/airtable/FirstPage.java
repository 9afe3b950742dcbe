package dev.integrity.airtable;

import dev.integrity.model.AirtableRecord;
import java.time.Duration;
import java.util.List;

/**
 * The first page of a list-records iteration, read alone: its records, Airtable's {@code offset}
 * when more pages follow (null when this page is the whole listing; opaque, and good only as long
 * as Airtable keeps the iterator, for {@link AirtableClient#listRecordsAfter}), and how long the
 * answered request took (send to body read, without the wait for a rate slot). Immutable and
 * thread-safe.
 */
public record FirstPage(
    String table, List<AirtableRecord> records, String offset, Duration latency) {
  public FirstPage {
    records = List.copyOf(records);
  }

  /** True when Airtable answered with an offset: the listing has more pages. */
  public boolean more() {
    return offset != null;
  }
}
