package dev.integrity.run;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.AirtableRecord;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.TableFetch;
import java.util.List;

/**
 * "Fetch one entity": every record of its table, reporting progress, cancelled through the run's
 * {@link FetchControl}. The run treats it as one unit (pending -> fetching -> fetched or error), so
 * a fetch planner can swap this for one that reads an entity as K partitions side by side and
 * returns their union, without the run's graph, ending or checks changing. Implementations are
 * thread-safe: the run calls them for several entities at once.
 */
@FunctionalInterface
interface EntityFetcher {

  /** Records of one entity and how many pages they took. */
  record Fetched(List<AirtableRecord> records, int pages) {
    public Fetched {
      records = List.copyOf(records);
    }
  }

  /** Told after each page (or partition page), on the fetching thread; must be quick. */
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

  /** One list-records iteration over the whole table. */
  static EntityFetcher wholeTable(AirtableClient client, String baseId) {
    return (table, control, progress) -> {
      TableFetch result =
          client.listRecords(
              baseId,
              table,
              ListOptions.all(),
              control,
              page -> progress.onPage(page.recordsSoFar(), page.page()));
      return new Fetched(result.records(), result.pages());
    };
  }
}
