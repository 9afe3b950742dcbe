package dev.integrity.run;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.SendPriority;
import dev.integrity.airtable.TableFetch;
import dev.integrity.model.AirtableRecord;
import dev.integrity.plan.PageLatency;
import java.util.List;

/**
 * "Fetch one entity": every record it lists, reporting progress, cancelled through the run's {@link
 * FetchControl}. The run treats it as one unit (pending -> fetching -> fetched or error), whether
 * it is read as one iteration or as K partitions side by side ({@link PartitionedFetch}).
 * Implementations are thread-safe: the run calls them for several entities at once.
 */
@FunctionalInterface
interface EntityFetcher {

  /**
   * Records of one entity, how many pages they are (as one whole-table iteration reads them: what
   * the next run plans by), the median time of one page request (null when no page was answered),
   * and how many list requests were answered to get them (more than the pages when partitions ended
   * on part-filled pages).
   */
  record Fetched(List<AirtableRecord> records, int pages, Long pageLatencyMs, int requests) {
    public Fetched {
      records = List.copyOf(records);
    }

    /** Read as one iteration: one request per page. */
    public Fetched(List<AirtableRecord> records, int pages, Long pageLatencyMs) {
      this(records, pages, pageLatencyMs, pages);
    }
  }

  /** Told after each page (or partition page), on a fetching thread; must be quick. */
  @FunctionalInterface
  interface Progress {
    void onPage(long recordsSoFar, int pagesSoFar);
  }

  /**
   * Blocks until every record of {@code table} is in hand.
   *
   * @throws AirtableException when the fetch fails after the client's retries
   * @throws FetchCancelledException when the run ended meanwhile
   */
  Fetched fetch(String table, FetchControl control, Progress progress);

  /** One list-records iteration over the whole table, every field, at no particular priority. */
  static EntityFetcher wholeTable(AirtableClient client, String baseId) {
    return (table, control, progress) -> {
      PageLatency latency = new PageLatency();
      TableFetch result =
          client.listRecords(
              baseId,
              table,
              ListOptions.all(),
              control,
              page -> {
                latency.add(page.latency());
                progress.onPage(page.recordsSoFar(), page.page());
              },
              SendPriority.NONE);
      return new Fetched(result.records(), result.pages(), latency.medianMillis());
    };
  }
}
