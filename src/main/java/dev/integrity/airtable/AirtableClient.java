package dev.integrity.airtable;

import dev.integrity.Ticker;
import dev.integrity.model.BaseSchema;
import java.time.Clock;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Fetches tables and schemas through the Airtable Web API without ever hanging. The work is split
 * in three: {@link RecordPages} iterates list-records pages (offsets, expired-offset restarts) over
 * a {@link Transport}, which sends one request at a time through the rate limiters with deadlines,
 * retries and cancellation, and {@link Failures} classifies what came back and words the errors.
 * Every request has connect, read, write and whole-call deadlines; retries (Failsafe) back off or
 * honour {@code Retry-After}; the base's adaptive rate limiter and the token's are shared through
 * {@link AirtableRateLimits}; a {@link FetchControl} aborts calls and waits at once. Thread-safe:
 * call from many threads.
 */
public final class AirtableClient implements AutoCloseable {
  /** Kept here for callers and tests that size requests by it. */
  static final int PAGE_SIZE = RecordPages.PAGE_SIZE;

  static final int MAX_URL_LENGTH = RecordPages.MAX_URL_LENGTH;

  private final Transport transport;
  private final AirtableSettings settings;
  private final RecordPages pages;
  private final AirtableJson json = new AirtableJson();

  /**
   * A client with its own rate limiters and the system clock; for a process with several clients,
   * share limiters with {@link #AirtableClient(AirtableSettings, Ticker, Clock, AirtableListener,
   * AirtableRateLimits)}.
   */
  public AirtableClient(AirtableSettings settings, Ticker ticker, AirtableListener listener) {
    this(settings, ticker, Clock.systemUTC(), listener, new AirtableRateLimits(ticker));
  }

  /**
   * @param clock wall-clock time, for a {@code Retry-After} given as an HTTP date
   * @param rateLimits the process's limiters, shared by every client of a base or token
   */
  public AirtableClient(
      AirtableSettings settings,
      Ticker ticker,
      Clock clock,
      AirtableListener listener,
      AirtableRateLimits rateLimits) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(rateLimits, "rateLimits");
    this.transport =
        new Transport(
            settings,
            ticker,
            clock,
            listener == null ? AirtableListener.none() : listener,
            rateLimits);
    this.pages = new RecordPages(transport, settings, ticker);
    this.settings = settings;
  }

  /** The limits and address this client was built with. */
  public AirtableSettings settings() {
    return settings;
  }

  /** Reads the base's tables and fields: {@code GET /v0/meta/bases/{baseId}/tables}. */
  public BaseSchema fetchSchema(String baseId, FetchControl control) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(control, "control");
    HttpUrl url =
        transport
            .root()
            .newBuilder()
            .addPathSegment("v0")
            .addPathSegment("meta")
            .addPathSegment("bases")
            .addPathSegment(baseId)
            .addPathSegment("tables")
            .build();
    return transport.exchange(
        Where.base(baseId),
        transport.request(url).get().build(),
        control,
        body -> json.schema(baseId, body));
  }

  /**
   * Every record of a table, following {@code offset} until the last page; blocking, on the
   * caller's thread. An expired offset restarts the table from page 1 (at most {@code
   * maxIteratorRestarts} times). A page answered 200 with a body that is not JSON, or cut short, is
   * retried like a 5xx.
   *
   * @throws AirtableException a subclass saying what failed, where, and after how long
   */
  public TableFetch listRecords(
      String baseId, String table, ListOptions options, FetchControl control, PageListener pages) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(control, "control");
    return this.pages.list(
        baseId,
        table,
        options == null ? ListOptions.all() : options,
        control,
        pages == null ? PageListener.none() : pages);
  }

  /**
   * As {@link #listRecords(String, String, ListOptions, FetchControl, PageListener)}, each page
   * waiting for the base's rate with {@code priority}: when a slot opens, the waiting request with
   * the highest priority takes it (a run passes the pages its table has left).
   */
  public TableFetch listRecords(
      String baseId,
      String table,
      ListOptions options,
      FetchControl control,
      PageListener pages,
      SendPriority priority) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(control, "control");
    return this.pages.list(
        baseId,
        table,
        options == null ? ListOptions.all() : options,
        control,
        pages == null ? PageListener.none() : pages,
        priority == null ? SendPriority.NONE : priority);
  }

  /**
   * The first page of a list-records iteration alone: its records and, when more pages follow, the
   * {@code offset} (not followed; {@link #listRecordsAfter} goes on from it). A run reads a table
   * no run has fetched this way first: one page ends it; more are read on, or as partitions.
   *
   * @throws AirtableException a subclass saying what failed, where, and after how long
   */
  public FirstPage firstPage(
      String baseId,
      String table,
      ListOptions options,
      FetchControl control,
      SendPriority priority) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(control, "control");
    return this.pages.first(
        baseId,
        table,
        options == null ? ListOptions.all() : options,
        control,
        priority == null ? SendPriority.NONE : priority);
  }

  /**
   * The rest of the list-records iteration whose first page is {@code first} (read by {@link
   * #firstPage} with the same {@code options}): every record of the listing, that page's first,
   * following its offset; page events go on from page 2. An expired offset restarts the listing
   * from page 1, as {@link #listRecords} does.
   *
   * @throws AirtableException a subclass saying what failed, where, and after how long
   */
  public TableFetch listRecordsAfter(
      String baseId,
      FirstPage first,
      ListOptions options,
      FetchControl control,
      PageListener pages,
      SendPriority priority) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(control, "control");
    return this.pages.list(
        baseId,
        first.table(),
        options == null ? ListOptions.all() : options,
        control,
        pages == null ? PageListener.none() : pages,
        priority == null ? SendPriority.NONE : priority,
        first);
  }

  /**
   * The transport, for other calls of this package (webhooks, say): {@link Transport#exchange}
   * gives them the same admission, deadlines, retries and cancellation as the pages.
   */
  Transport transport() {
    return transport;
  }

  /** The API root; {@link AirtableWebhooks} builds its URLs on it. */
  HttpUrl root() {
    return transport.root();
  }

  /**
   * Sends one request of another part of the API ({@link AirtableWebhooks}) through the same
   * admission, deadlines, retries and cancellation as list requests; returns the 2xx body.
   */
  String sendOther(String baseId, okhttp3.Request.Builder request, FetchControl control) {
    return transport.exchange(Where.base(baseId), request.build(), control, BodyReader.text());
  }

  /** A request to {@code url} with the token and user agent set. */
  okhttp3.Request.Builder authorized(HttpUrl url) {
    return transport.request(url);
  }

  /**
   * Cancels in-flight calls, then releases OkHttp's dispatcher threads and pooled connections,
   * waiting at most a few seconds. Fetches still running end with {@link FetchCancelledException}.
   * Idempotent.
   */
  @Override
  public void close() {
    transport.close();
  }
}
