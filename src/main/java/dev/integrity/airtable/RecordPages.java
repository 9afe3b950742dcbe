package dev.integrity.airtable;

import dev.integrity.Ticker;
import dev.integrity.model.AirtableRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airtable's list-records iteration over the {@link Transport}: one request per page of {@value
 * #PAGE_SIZE}, following {@code offset} until the last page, with the list options as query
 * parameters (or the POST variant when the URL would be too long), and a restart from page 1 when
 * Airtable's iterator expires. Thread-safe.
 */
final class RecordPages {
  // The client's logger name is what users configure; it stays the same across the split.
  private static final Logger log = LoggerFactory.getLogger(AirtableClient.class);

  static final int PAGE_SIZE = 100;
  static final int MAX_URL_LENGTH = 16_000;
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final Transport transport;
  private final AirtableSettings settings;
  private final Ticker ticker;
  private final AirtableJson json = new AirtableJson();

  RecordPages(Transport transport, AirtableSettings settings, Ticker ticker) {
    this.transport = transport;
    this.settings = settings;
    this.ticker = ticker;
  }

  TableFetch list(
      String baseId, String table, ListOptions options, FetchControl control, PageListener pages) {
    return list(baseId, table, options, control, pages, SendPriority.NONE);
  }

  /** As above, each page waiting for the base's rate with {@code priority}. */
  TableFetch list(
      String baseId,
      String table,
      ListOptions options,
      FetchControl control,
      PageListener pages,
      SendPriority priority) {
    return list(baseId, table, options, control, pages, priority, null);
  }

  /**
   * As above; with {@code from}, the iteration goes on from that first page (read with the same
   * options) instead of starting: its records come first and page numbers go on from 2. A restart
   * after an expired offset starts from page 1 as always.
   */
  TableFetch list(
      String baseId,
      String table,
      ListOptions options,
      FetchControl control,
      PageListener pages,
      SendPriority priority,
      FirstPage from) {
    long start = ticker.nanoTime();
    log.info(
        from == null
            ? "Fetching table '{}' of base {}"
            : "Fetching table '{}' of base {} on from its first page",
        table,
        baseId);
    int restarts = 0;
    try {
      while (true) {
        List<AirtableRecord> records = new ArrayList<>();
        // One decoder per iteration: a restart's records share nothing with the abandoned ones.
        RecordDecoder decoder = json.decoder(options.fields());
        String offset = null;
        int page = 0;
        if (from != null && restarts == 0) {
          records.addAll(from.records());
          offset = from.offset();
          page = 1;
        }
        try {
          while (page == 0 || offset != null) {
            page++;
            Where where = Where.page(baseId, table, page, offset);
            Transport.Timed<AirtableJson.Page> timed =
                transport.exchange(
                    where,
                    pageRequest(where, options),
                    control,
                    body -> json.page(body, decoder),
                    priority);
            AirtableJson.Page result = timed.value();
            records.addAll(result.records());
            offset = result.offset();
            Duration elapsed = since(start);
            log.debug(
                "Fetched page {} of table '{}' of base {}: {} records so far, {}",
                page,
                table,
                baseId,
                records.size(),
                Texts.duration(elapsed));
            notifyPage(
                pages,
                new PageEvent(baseId, table, page, records.size(), elapsed, timed.latency()));
          }
          TableFetch fetch = new TableFetch(table, records, page, restarts, since(start));
          log.info(
              "Fetched table '{}' of base {}: {} records in {} pages, {} restarts, {}",
              table,
              baseId,
              records.size(),
              page,
              restarts,
              Texts.duration(fetch.elapsed()));
          return fetch;
        } catch (AirtableRequestException e) {
          if (!e.isIteratorExpired()) {
            throw e;
          }
          if (restarts >= settings.maxIteratorRestarts()) {
            throw transport
                .failures()
                .iteratorExhausted(
                    Where.page(baseId, table, page, offset), restarts, since(start), e);
          }
          restarts++;
          log.warn(
              "Offset of table '{}' of base {} expired at page {}"
                  + " (LIST_RECORDS_ITERATOR_NOT_AVAILABLE); restarting from page 1 ({} of {})",
              table,
              baseId,
              page,
              restarts,
              settings.maxIteratorRestarts());
        }
      }
    } catch (AirtableException e) {
      log.info(
          "Fetch of table '{}' of base {} failed after {}: {}",
          table,
          baseId,
          Texts.duration(since(start)),
          e.getMessage());
      throw e;
    }
  }

  /**
   * The first page of an iteration alone, waiting for the base's rate with {@code priority}: its
   * records and whether an offset said more pages follow (not followed). A first page carries no
   * offset, so no expired iterator can restart it.
   */
  FirstPage first(
      String baseId,
      String table,
      ListOptions options,
      FetchControl control,
      SendPriority priority) {
    Where where = Where.page(baseId, table, 1, null);
    Transport.Timed<AirtableJson.Page> timed =
        transport.exchange(
            where,
            pageRequest(where, options),
            control,
            body -> json.page(body, json.decoder(options.fields())),
            priority);
    AirtableJson.Page page = timed.value();
    log.debug(
        "Fetched the first page of table '{}' of base {}: {} records, {}",
        table,
        baseId,
        page.records().size(),
        page.offset() == null ? "the last" : "more follow");
    return new FirstPage(table, page.records(), page.offset(), timed.latency());
  }

  private Request pageRequest(Where where, ListOptions options) {
    HttpUrl.Builder url =
        transport
            .root()
            .newBuilder()
            .addPathSegment("v0")
            .addPathSegment(where.baseId())
            .addPathSegment(where.table())
            .addQueryParameter("pageSize", Integer.toString(PAGE_SIZE));
    if (where.offset() != null) {
      url.addQueryParameter("offset", where.offset());
    }
    for (String field : options.fields()) {
      url.addQueryParameter("fields[]", field);
    }
    if (options.view() != null) {
      url.addQueryParameter("view", options.view());
    }
    if (options.filterByFormula() != null) {
      url.addQueryParameter("filterByFormula", options.filterByFormula());
    }
    HttpUrl get = url.build();
    if (get.toString().length() <= MAX_URL_LENGTH) {
      return transport.request(get).get().build();
    }
    // Airtable refuses URLs over 16k characters; its POST variant takes the same options.
    HttpUrl post =
        transport
            .root()
            .newBuilder()
            .addPathSegment("v0")
            .addPathSegment(where.baseId())
            .addPathSegment(where.table())
            .addPathSegment("listRecords")
            .build();
    String body = json.listRecordsBody(options, PAGE_SIZE, where.offset());
    return transport.request(post).post(RequestBody.create(body, JSON)).build();
  }

  private static void notifyPage(PageListener pages, PageEvent event) {
    try {
      pages.onPage(event);
    } catch (RuntimeException e) {
      log.warn("Page listener failed on {}; continuing", event, e);
    }
  }

  private Duration since(long startNanos) {
    return Duration.ofNanos(ticker.nanoTime() - startNanos);
  }
}
