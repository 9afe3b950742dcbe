package dev.integrity.airtable;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.integrity.Ticker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches tables and schemas through the Airtable Web API without ever hanging: every request has
 * connect, read, write and whole-call deadlines; retries (Failsafe) back off or honour {@code
 * Retry-After}; one rate limiter per base is shared by every concurrent fetch of that base; a
 * {@link FetchControl} aborts calls and waits at once. Thread-safe: call from many threads.
 */
public final class AirtableClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AirtableClient.class);

  static final int PAGE_SIZE = 100;
  static final int MAX_URL_LENGTH = 16_000;

  /**
   * Attempts are paced {@code PACING_WINDOW / N} apart (212 ms at N = 5): 6 % slower than the limit
   * and a little slower than the send window, so that the send check rarely has to wait.
   */
  static final Duration PACING_WINDOW = Duration.ofMillis(1_060);

  /**
   * No N + 1 sends within this window: one second plus a margin for uneven trips to the server and
   * for the moment the server stamps a request (a GC pause, a busy server thread): against the
   * simulator on a loaded 2-core machine the stamp lagged our send by 0.6 ms typically and up to 54
   * ms, and a 429 costs a 30 s lockout. The demo scan then measured 1.07 × the ideal time.
   */
  static final Duration SEND_WINDOW = Duration.ofMillis(1_050);

  /**
   * How much later than sent the first request on a new connection may be counted by the server,
   * which has to accept the connection and start reading it (seen at 200 ms on a cold simulator).
   * Costs a one-off delay of this much when connections open, against a 30 s lockout for a 429.
   */
  static final Duration FRESH_CONNECTION_ALLOWANCE = Duration.ofMillis(300);

  /** How long an idle pooled connection is kept for reuse. */
  private static final Duration IDLE_CONNECTION_KEEP_ALIVE = Duration.ofSeconds(30);

  /** Longest close() waits for the HTTP dispatcher's threads. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Waits are sliced so that close() is noticed; cancel wakes them at once. */
  private static final long WAIT_SLICE_NANOS = Duration.ofMillis(250).toNanos();

  private static final double JITTER = 0.25;
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final AirtableSettings settings;
  private final Ticker ticker;
  private final AirtableListener listener;
  private final HttpUrl root;
  private final ExecutorService dispatcherThreads;
  private final OkHttpClient http;
  private final RetryPolicy<Outcome> retryPolicy;
  private final AirtableJson json = new AirtableJson();
  private final ConcurrentMap<String, BaseRateLimiter> limiters = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connections that already carried a request; weak, so the pool decides their life. */
  private final Set<Connection> seenConnections = Collections.newSetFromMap(new WeakHashMap<>());

  public AirtableClient(AirtableSettings settings, Ticker ticker, AirtableListener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.listener = listener == null ? AirtableListener.none() : listener;
    this.root = HttpUrl.get(settings.baseUrl().toString());
    this.dispatcherThreads = newDispatcherThreads();
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(new Dispatcher(dispatcherThreads))
            .connectTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .writeTimeout(settings.writeTimeout())
            .callTimeout(settings.requestTimeout())
            // A redirect would carry the token elsewhere; Airtable does not redirect API calls.
            .followRedirects(false)
            .followSslRedirects(false)
            // OkHttp would otherwise retry some failures silently (a connect timeout twice, say):
            // our retry policy alone decides, so every attempt is bounded, counted and reported.
            .retryOnConnectionFailure(false)
            // Idle connections are dropped before typical server idle limits (60 s), as a stale
            // pooled connection now costs a retry.
            .connectionPool(
                new ConnectionPool(5, IDLE_CONNECTION_KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS))
            // Network interceptors run once the connection is open, right before the request is
            // written, and again for each of OkHttp's own transparent retries: the moment the
            // server counts.
            .addNetworkInterceptor(this::admitSend)
            .build();
    this.retryPolicy =
        RetryPolicy.<Outcome>builder()
            .handleResultIf(outcome -> outcome instanceof Outcome.Retryable)
            .withMaxRetries(settings.maxRetries())
            .withBackoff(settings.backoffInitial(), settings.backoffMax())
            .withJitter(JITTER)
            .build();
  }

  private static ExecutorService newDispatcherThreads() {
    AtomicInteger counter = new AtomicInteger();
    // Calls run on the caller's thread (execute()); this pool only serves OkHttp's async path.
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        r -> {
          Thread t = new Thread(r, "airtable-http-" + counter.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** What the send check needs to know about a request; carried as the request's tag. */
  private record SendContext(BaseRateLimiter limiter, FetchControl control) {}

  private Response admitSend(Interceptor.Chain chain) throws IOException {
    SendContext context = chain.request().tag(SendContext.class);
    if (context != null) {
      Connection connection = chain.connection();
      boolean fresh;
      synchronized (seenConnections) {
        fresh = connection != null && !seenConnections.contains(connection);
      }
      Duration allowance = fresh ? FRESH_CONNECTION_ALLOWANCE : Duration.ZERO;
      long wait;
      while ((wait = context.limiter().tryAdmitSend(allowance)) > 0) {
        try {
          if (context.control().awaitCancel(wait)) {
            throw new IOException("Canceled");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting to send");
        }
      }
      if (fresh) {
        synchronized (seenConnections) {
          seenConnections.add(connection);
        }
      }
    }
    return chain.proceed(chain.request());
  }

  /** Reads the base's tables and fields: {@code GET /v0/meta/bases/{baseId}/tables}. */
  public BaseSchema fetchSchema(String baseId, FetchControl control) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(control, "control");
    HttpUrl url =
        root.newBuilder()
            .addPathSegment("v0")
            .addPathSegment("meta")
            .addPathSegment("bases")
            .addPathSegment(baseId)
            .addPathSegment("tables")
            .build();
    String body = send(baseId, null, 0, request(url).get().build(), control);
    try {
      return json.schema(baseId, body);
    } catch (AirtableJson.MalformedException e) {
      throw malformed(baseId, null, 0, body, e);
    }
  }

  /**
   * Every record of a table, following {@code offset} until the last page; blocking, on the
   * caller's thread. An expired offset restarts the table from page 1 (at most {@code
   * maxIteratorRestarts} times).
   *
   * @throws AirtableException a subclass saying what failed, where, and after how long
   */
  public TableFetch listRecords(
      String baseId, String table, ListOptions options, FetchControl control, PageListener pages) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(control, "control");
    ListOptions opts = options == null ? ListOptions.all() : options;
    PageListener pageListener = pages == null ? PageListener.none() : pages;
    long start = ticker.nanoTime();
    log.info("Fetching table '{}' of base {}", table, baseId);
    int restarts = 0;
    try {
      while (true) {
        List<AirtableRecord> records = new ArrayList<>();
        String offset = null;
        int page = 0;
        try {
          do {
            page++;
            AirtableJson.Page result = fetchPage(baseId, table, opts, offset, page, control);
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
            notifyPage(pageListener, new PageEvent(baseId, table, page, records.size(), elapsed));
          } while (offset != null);
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
            throw iteratorExhausted(baseId, table, page, restarts, start, e);
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

  private AirtableRequestException iteratorExhausted(
      String baseId, String table, int page, int restarts, long start, AirtableRequestException e) {
    return new AirtableRequestException(
        "Airtable's offset for "
            + Texts.where(baseId, table, page)
            + " expired again (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE) after "
            + restarts
            + " restarts from page 1 over "
            + Texts.duration(since(start))
            + ": the table is read too slowly for Airtable's iterator; fetch fewer tables at"
            + " once or raise maxIteratorRestarts",
        baseId,
        table,
        page,
        e.status(),
        e.errorType(),
        e.errorMessage());
  }

  private AirtableJson.Page fetchPage(
      String baseId,
      String table,
      ListOptions options,
      String offset,
      int page,
      FetchControl control) {
    HttpUrl.Builder url =
        root.newBuilder()
            .addPathSegment("v0")
            .addPathSegment(baseId)
            .addPathSegment(table)
            .addQueryParameter("pageSize", Integer.toString(PAGE_SIZE));
    if (offset != null) {
      url.addQueryParameter("offset", offset);
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
    Request request;
    if (get.toString().length() <= MAX_URL_LENGTH) {
      request = request(get).get().build();
    } else {
      // Airtable refuses URLs over 16k characters; its POST variant takes the same options.
      HttpUrl post =
          root.newBuilder()
              .addPathSegment("v0")
              .addPathSegment(baseId)
              .addPathSegment(table)
              .addPathSegment("listRecords")
              .build();
      String body = json.listRecordsBody(options, PAGE_SIZE, offset);
      request = request(post).post(RequestBody.create(body, JSON)).build();
    }
    String body = send(baseId, table, page, request, control);
    try {
      return json.page(body);
    } catch (AirtableJson.MalformedException e) {
      throw malformed(baseId, table, page, body, e);
    }
  }

  private AirtableResponseException malformed(
      String baseId, String table, int page, String body, AirtableJson.MalformedException e) {
    return new AirtableResponseException(
        "Airtable answered 200 for "
            + Texts.where(baseId, table, page)
            + " with a body we cannot read ("
            + Texts.redact(e.getMessage(), settings.token())
            + "); body starts: "
            + Texts.snippet(body, settings.token()),
        baseId,
        table,
        page,
        e.getCause());
  }

  /** The API root; {@link AirtableWebhooks} builds its URLs on it. */
  HttpUrl root() {
    return root;
  }

  /**
   * Sends one request of another part of the API ({@link AirtableWebhooks}) through the same
   * deadlines, retries, rate limiter and cancellation as list requests; returns the 2xx body.
   */
  String sendOther(String baseId, Request.Builder request, FetchControl control) {
    return send(baseId, null, 0, request.build(), control);
  }

  /** A request to {@code url} with the token and user agent set. */
  Request.Builder authorized(HttpUrl url) {
    return request(url);
  }

  private Request.Builder request(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + settings.token().reveal())
        .header("User-Agent", "integrity-runner");
  }

  /** Sends one request with retries and rate limiting and returns the 2xx body. */
  private String send(
      String baseId, String table, int page, Request request, FetchControl control) {
    Execution<Outcome> execution = Execution.of(retryPolicy);
    BaseRateLimiter limiter =
        limiters.computeIfAbsent(
            baseId,
            id ->
                new BaseRateLimiter(
                    settings.rateLimitPerSecond(), PACING_WINDOW, SEND_WINDOW, ticker));
    Request tagged =
        request.newBuilder().tag(SendContext.class, new SendContext(limiter, control)).build();
    int attempt = 0;
    while (true) {
      attempt++;
      ensureLive(control, baseId, table, page);
      await(limiter.reserve(), control, baseId, table, page);
      ensureLive(control, baseId, table, page);
      Outcome outcome = attempt(baseId, table, page, tagged, control);
      switch (outcome) {
        case Outcome.Ok ok -> {
          return ok.body();
        }
        case Outcome.Fatal fatal -> throw fatal.error();
        case Outcome.Retryable retryable -> {
          execution.recordResult(retryable);
          if (execution.isComplete()) {
            throw retryable.exhausted().apply(attempt);
          }
          Duration wait = retryable.retryAfter();
          if (wait == null) {
            wait = min(execution.getDelay(), settings.backoffMax());
          } else {
            limiter.pauseFor(wait);
          }
          log.warn(
              "Airtable attempt {} for {} failed ({}); retrying in {}",
              attempt,
              Texts.where(baseId, table, page),
              retryable.summary(),
              Texts.duration(wait));
          notifyRetry(
              new RetryEvent(
                  baseId, table, page, attempt, retryable.cause(), retryable.summary(), wait));
          await(wait.toNanos(), control, baseId, table, page);
        }
      }
    }
  }

  private Outcome attempt(
      String baseId, String table, int page, Request request, FetchControl control) {
    Call call = http.newCall(request);
    notifyApiCall(new ApiCall(baseId, ApiCall.Kind.of(request.url().pathSegments())));
    control.register(call);
    long start = ticker.nanoTime();
    int status = -1;
    try (Response response = call.execute()) {
      status = response.code();
      String body = response.body().string();
      notifyRequest(new RequestEvent(baseId, table, request.method(), status, since(start)));
      return classify(baseId, table, page, response, body);
    } catch (IOException e) {
      Duration after = since(start);
      notifyRequest(new RequestEvent(baseId, table, request.method(), status, after));
      ensureLive(control, baseId, table, page);
      return classify(baseId, table, page, e, after);
    } finally {
      control.unregister(call);
    }
  }

  private Outcome classify(String baseId, String table, int page, Response response, String body) {
    int status = response.code();
    if (status >= 200 && status < 300) {
      return new Outcome.Ok(body);
    }
    AirtableJson.ApiError error = json.error(body);
    String type = error == null ? null : error.type();
    // Without a recognised envelope the body itself (an HTML page from a proxy, say) is quoted.
    String quoted = Texts.snippet(error == null ? body : error.message(), settings.token());
    String message = quoted.isEmpty() ? null : quoted;
    String airtableSays = describe(status, type, message);
    String where = Texts.where(baseId, table, page);
    return switch (status) {
      case 401 ->
          new Outcome.Fatal(
              new AirtableAuthException(
                  "Airtable rejected the token for "
                      + where
                      + " ("
                      + airtableSays
                      + "): set a valid personal access token in AIRTABLE_TOKEN",
                  baseId,
                  table,
                  page));
      case 403, 404 ->
          new Outcome.Fatal(
              new AirtableAccessException(
                  "Airtable denied access to "
                      + where
                      + " ("
                      + airtableSays
                      + "): check that base "
                      + baseId
                      + (table == null ? "" : " and table '" + table + "'")
                      + " exist and that the token has access to the base"
                      + " (scopes data.records:read, schema.bases:read)",
                  baseId,
                  table,
                  page,
                  status));
      case 429 -> {
        Duration wait = retryAfter(response);
        yield new Outcome.Retryable(
            RetryEvent.Cause.RATE_LIMITED,
            airtableSays,
            wait,
            attempts ->
                new AirtableRateLimitException(
                    "Airtable kept answering 429 (rate limited) for "
                        + where
                        + " after "
                        + attempts
                        + " attempts (AIRTABLE_MAX_RETRIES="
                        + settings.maxRetries()
                        + "): lower AIRTABLE_RATE_LIMIT_PER_SECOND or stop other clients of"
                        + " the base",
                    baseId,
                    table,
                    page,
                    attempts));
      }
      case 500, 502, 503, 504 ->
          new Outcome.Retryable(
              RetryEvent.Cause.SERVER_ERROR,
              airtableSays,
              null,
              attempts -> serverError(baseId, table, page, status, airtableSays, attempts));
      default -> {
        if (status >= 400 && status < 500) {
          yield new Outcome.Fatal(
              new AirtableRequestException(
                  "Airtable refused the request for "
                      + where
                      + " ("
                      + airtableSays
                      + "): check the table, fields, view and formula in the config",
                  baseId,
                  table,
                  page,
                  status,
                  type,
                  message));
        }
        yield new Outcome.Fatal(serverError(baseId, table, page, status, airtableSays, 1));
      }
    };
  }

  private AirtableServerException serverError(
      String baseId, String table, int page, int status, String airtableSays, int attempts) {
    return new AirtableServerException(
        "Airtable failed to answer "
            + Texts.where(baseId, table, page)
            + " ("
            + airtableSays
            + ") after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + (attempts > 1 ? " (AIRTABLE_MAX_RETRIES=" + settings.maxRetries() + ")" : "")
            + ": Airtable or the network in between is failing; try again later",
        baseId,
        table,
        page,
        status,
        attempts);
  }

  private static String describe(int status, String type, String message) {
    StringBuilder sb = new StringBuilder("HTTP ").append(status);
    if (type != null) {
      sb.append(' ').append(type);
    }
    if (message != null) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }

  private Outcome classify(String baseId, String table, int page, IOException e, Duration after) {
    String where = Texts.where(baseId, table, page);
    String detail = Texts.snippet(e.toString(), settings.token());
    if (e instanceof InterruptedIOException) {
      String limit;
      Duration configured;
      if (e instanceof SocketTimeoutException) {
        // A socket timeout is either the connect or the read (silence) limit; OkHttp's own call
        // deadline surfaces as a plain InterruptedIOException("timeout") instead.
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("connect")) {
          limit = AirtableTimeoutException.CONNECT_LIMIT;
          configured = settings.connectTimeout();
        } else {
          limit = AirtableTimeoutException.READ_LIMIT;
          configured = settings.readTimeout();
        }
      } else {
        limit = AirtableTimeoutException.REQUEST_LIMIT;
        configured = settings.requestTimeout();
      }
      String summary = limit + " (" + Texts.duration(configured) + ") reached";
      return new Outcome.Retryable(
          RetryEvent.Cause.TIMEOUT,
          summary + " after " + Texts.duration(after),
          null,
          attempts ->
              new AirtableTimeoutException(
                  "Airtable request for "
                      + where
                      + " timed out: "
                      + summary
                      + " after "
                      + Texts.duration(after)
                      + " on attempt "
                      + attempts
                      + " of "
                      + (settings.maxRetries() + 1)
                      + "; raise "
                      + limit
                      + " or check the network and Airtable's status",
                  baseId,
                  table,
                  page,
                  limit,
                  after,
                  attempts,
                  e));
    }
    return new Outcome.Retryable(
        RetryEvent.Cause.NETWORK,
        detail,
        null,
        attempts ->
            new AirtableNetworkException(
                "Network failure talking to Airtable at "
                    + root.host()
                    + ":"
                    + root.port()
                    + " for "
                    + where
                    + " ("
                    + detail
                    + ") after "
                    + attempts
                    + (attempts == 1 ? " attempt" : " attempts")
                    + ": check AIRTABLE_BASE_URL and the network",
                baseId,
                table,
                page,
                attempts,
                e));
  }

  /** Retry-After in seconds wins; absent or unreadable (e.g. an HTTP date) means the default. */
  private Duration retryAfter(Response response) {
    String header = response.header("Retry-After");
    if (header != null) {
      try {
        long seconds = Long.parseLong(header.trim());
        if (seconds >= 0) {
          return Duration.ofSeconds(seconds);
        }
      } catch (NumberFormatException e) {
        log.debug("Ignoring a Retry-After that is not a number of seconds: {}", header);
      }
    }
    return settings.rateLimitWait();
  }

  /** Waits {@code nanos} unless the fetch is cancelled or the client closed first. */
  private void await(long nanos, FetchControl control, String baseId, String table, int page) {
    long deadline = ticker.nanoTime() + nanos;
    long remaining = nanos;
    while (remaining > 0) {
      try {
        if (control.awaitCancel(Math.min(remaining, WAIT_SLICE_NANOS))) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchCancelledException(
            "the fetching thread was interrupted", baseId, table, page);
      }
      ensureLive(control, baseId, table, page);
      remaining = deadline - ticker.nanoTime();
    }
    ensureLive(control, baseId, table, page);
  }

  private void ensureLive(FetchControl control, String baseId, String table, int page) {
    if (control.isCancelled()) {
      throw new FetchCancelledException(control.reason(), baseId, table, page);
    }
    if (closed.get()) {
      throw new FetchCancelledException("the Airtable client was closed", baseId, table, page);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw new FetchCancelledException("the fetching thread was interrupted", baseId, table, page);
    }
  }

  private void notifyPage(PageListener pages, PageEvent event) {
    try {
      pages.onPage(event);
    } catch (RuntimeException e) {
      log.warn("Page listener failed on {}; continuing", event, e);
    }
  }

  private void notifyRequest(RequestEvent event) {
    try {
      listener.onRequest(event);
    } catch (RuntimeException e) {
      log.warn("Airtable listener failed on {}; continuing", event, e);
    }
  }

  private void notifyApiCall(ApiCall call) {
    try {
      listener.onApiCall(call);
    } catch (RuntimeException e) {
      log.warn("Airtable listener failed on {}; continuing", call, e);
    }
  }

  private void notifyRetry(RetryEvent event) {
    try {
      listener.onRetry(event);
    } catch (RuntimeException e) {
      log.warn("Airtable listener failed on {}; continuing", event, e);
    }
  }

  private Duration since(long startNanos) {
    return Duration.ofNanos(ticker.nanoTime() - startNanos);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Cancels in-flight calls, then releases OkHttp's dispatcher threads and pooled connections,
   * waiting at most a few seconds. Fetches still running end with {@link FetchCancelledException}.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.dispatcher().cancelAll();
    dispatcherThreads.shutdown();
    try {
      if (!dispatcherThreads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "Airtable HTTP threads still busy after {}; abandoning them",
            Texts.duration(CLOSE_WAIT));
        dispatcherThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      dispatcherThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    http.connectionPool().evictAll();
  }
}
