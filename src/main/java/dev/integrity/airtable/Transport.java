package dev.integrity.airtable;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.integrity.Ticker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request to Airtable and returns its read 2xx body, never hanging: admission through the
 * base's and the token's rate limiters (waiting outside the HTTP call, and never during a lockout),
 * the OkHttp call under connect, read, write and whole-call deadlines, the Failsafe retry policy
 * (back-off, or the 429's wait, which locks the whole base out and halves its rate), and a {@link
 * FetchControl} that aborts calls and waits at once. Paging, webhooks and the Meta API are built on
 * {@link #exchange}. Thread-safe.
 */
final class Transport implements AutoCloseable {
  // The client's logger name is what users configure; it stays the same across the split.
  private static final Logger log = LoggerFactory.getLogger(AirtableClient.class);

  /**
   * How much later than sent the first request on a new connection may be counted by the server,
   * which has to accept the connection and start reading it (seen at 200 ms on a cold simulator).
   * Costs a one-off delay of this much when connections open, against a 30 s lockout for a 429.
   */
  static final Duration FRESH_CONNECTION_ALLOWANCE = Duration.ofMillis(300);

  /**
   * How long an idle pooled connection is kept for reuse: just under the 60 s idle limit servers
   * commonly keep (a stale pooled connection costs a retry), and long enough that a schedule firing
   * every minute finds its connections open. A fresh connection's first send is counted with {@link
   * #FRESH_CONNECTION_ALLOWANCE}: with 30 s, a hundred bases fired every minute opened a hundred
   * connections each minute, and the allowance held the token's window for 300 ms longer for each
   * (25 requests fewer in the first seconds of every minute, issue 19).
   */
  private static final Duration IDLE_CONNECTION_KEEP_ALIVE = Duration.ofSeconds(55);

  /** Longest close() waits for the HTTP dispatcher's threads. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Waits are sliced so that close() is noticed; cancel wakes them at once. */
  private static final long WAIT_SLICE_NANOS = Duration.ofMillis(250).toNanos();

  private static final double JITTER = 0.25;

  private final AirtableSettings settings;
  private final Ticker ticker;
  private final AirtableListener listener;
  private final AirtableRateLimits rateLimits;
  private final HttpUrl root;
  private final Failures failures;
  private final ExecutorService dispatcherThreads;
  private final OkHttpClient http;
  private final RetryPolicy<Object> retryPolicy;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connections that already carried a request; weak, so the pool decides their life. */
  private final Set<Connection> seenConnections = Collections.newSetFromMap(new WeakHashMap<>());

  Transport(
      AirtableSettings settings,
      Ticker ticker,
      Clock clock,
      AirtableListener listener,
      AirtableRateLimits rateLimits) {
    this.settings = settings;
    this.ticker = ticker;
    this.listener = listener;
    this.rateLimits = rateLimits;
    this.root = HttpUrl.get(settings.baseUrl().toString());
    this.failures = new Failures(settings, clock, root);
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
        RetryPolicy.builder()
            .handleResultIf(outcome -> outcome instanceof Outcome.Retryable<?>)
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

  /** The API root, e.g. {@code https://api.airtable.com/}. */
  HttpUrl root() {
    return root;
  }

  Failures failures() {
    return failures;
  }

  /** A request to {@code url} carrying the token and our user agent. */
  Request.Builder request(HttpUrl url) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + settings.token().reveal())
        .header("User-Agent", "integrity-runner");
  }

  /** What the send check needs to know about a request; carried as the request's tag. */
  private record SendContext(
      String baseId, BaseRateLimiter base, BaseRateLimiter token, FetchControl control) {}

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
      while ((wait = sendWait(context.base(), context.token(), allowance)) > 0) {
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
      // Counted here, where it leaves, not when the call began: a request that found a lockout
      // at the send check was never sent (and costs no call of the month's quota).
      notifyApiCall(
          new ApiCall(context.baseId(), ApiCall.Kind.of(chain.request().url().pathSegments())));
      context.control().countCall();
      if (log.isTraceEnabled()) {
        log.trace(
            "send {} at {} ns{}",
            chain.request().url().encodedPath(),
            ticker.nanoTime(),
            fresh ? " on a fresh connection" : "");
      }
    }
    return chain.proceed(chain.request());
  }

  /**
   * The send check: 0 when the request may be written now (and it is counted), else how long to
   * wait and ask again.
   *
   * @throws LockedOutBeforeSend when a lockout began after the request took its slot (another
   *     request of the base drew a 429 meanwhile): the 30 s are waited out before the call, not
   *     inside it, where they would eat the request's deadline (a 30 s deadline timed out so)
   */
  static long sendWait(BaseRateLimiter base, BaseRateLimiter token, Duration allowance)
      throws LockedOutBeforeSend {
    long wait = base.tryAdmitSend(allowance, token);
    if (wait > 0 && (base.lockoutRemaining() > 0 || token.lockoutRemaining() > 0)) {
      throw new LockedOutBeforeSend();
    }
    return wait;
  }

  /**
   * Nothing was sent: the base or the token was locked out at the send check. An {@link
   * InterruptedIOException} so that OkHttp hands it back instead of trying another route.
   */
  static final class LockedOutBeforeSend extends InterruptedIOException {
    LockedOutBeforeSend() {
      super("locked out before the send");
    }
  }

  /**
   * Sends {@code request} to {@code where.baseId()}, retrying what is transient, and returns the
   * 2xx body as read by {@code reader}. Every attempt passes the base's and the token's limiters
   * and may be repeated after a timeout or reset whose request the server may already have acted
   * on: fine for reads; a caller sending a request that creates something (a webhook) must make
   * repeating it harmless or check before retrying.
   *
   * @throws AirtableException what failed, where, and after how many attempts
   * @throws FetchCancelledException when {@code control} is cancelled or the client closed
   */
  <T> T exchange(Where where, Request request, FetchControl control, BodyReader<T> reader) {
    return exchange(where, request, control, reader, SendPriority.NONE).value();
  }

  /** A 2xx body as read, and the latency of the attempt that got it (send to body read). */
  record Timed<T>(T value, Duration latency) {}

  /**
   * As {@link #exchange(Where, Request, FetchControl, BodyReader)}, waiting for the base's slots
   * with {@code priority} (the waiting request with the highest goes first), and saying how long
   * the answered attempt took.
   */
  <T> Timed<T> exchange(
      Where where,
      Request request,
      FetchControl control,
      BodyReader<T> reader,
      SendPriority priority) {
    Execution<Object> execution = Execution.of(retryPolicy);
    BaseRateLimiter base = rateLimits.forBase(where.baseId(), settings);
    BaseRateLimiter token = rateLimits.forToken(settings);
    Request tagged =
        request
            .newBuilder()
            .tag(SendContext.class, new SendContext(where.baseId(), base, token, control))
            .build();
    int attempt = 0;
    while (true) {
      attempt++;
      admit(base, token, control, where, priority);
      long sent = ticker.nanoTime();
      Outcome<T> outcome = attempt(where, tagged, control, reader);
      switch (outcome) {
        case Outcome.Ok<T> ok -> {
          return new Timed<>(ok.value(), since(sent));
        }
        case Outcome.Fatal<T> fatal -> throw fatal.error();
        case Outcome.Unsent<T> unsent -> {
          // Not an attempt: the request waits for a slot after the lockout like every other.
          attempt--;
        }
        case Outcome.Retryable<T> retryable -> {
          if (retryable.cause() == RetryEvent.Cause.RATE_LIMITED) {
            // Airtable locks the base out, not the request: every fetch of the base waits.
            boolean tokenWide = TokenBlame.isTokens(base, token);
            String meaning = base.throttled(retryable.retryAfter());
            if (tokenWide) {
              // Airtable locks every base of an overrun token out: the other bases wait too,
              // rather than each drawing a 429 (and its own 30 s) in turn.
              token.throttled(retryable.retryAfter());
            }
            log.warn(
                "Airtable rate-limited base {}: no request for {}, then {} requests/s (ceiling"
                    + " {}){}{}",
                where.baseId(),
                Texts.duration(retryable.retryAfter()),
                rateText(base.rate()),
                base.ceiling(),
                meaning.isEmpty() ? "" : ": " + meaning,
                tokenWide
                    ? "; the token's window was near full and the base's was not: every base of"
                        + " the token waits as long"
                    : "");
          }
          execution.recordResult(retryable);
          if (execution.isComplete()) {
            throw retryable.exhausted().apply(attempt);
          }
          Duration wait = retryable.retryAfter();
          if (wait == null) {
            wait = min(execution.getDelay(), settings.backoffMax());
          }
          log.warn(
              "Airtable attempt {} for {} failed ({}); retrying in {}",
              attempt,
              where,
              retryable.summary(),
              Texts.duration(wait));
          notifyRetry(
              new RetryEvent(
                  where.baseId(),
                  where.table(),
                  where.page(),
                  attempt,
                  retryable.cause(),
                  retryable.summary(),
                  wait));
          await(wait.toNanos(), control, where);
        }
      }
    }
  }

  private static String rateText(double rate) {
    return rate == Math.rint(rate)
        ? Long.toString((long) rate)
        : String.format(java.util.Locale.ROOT, "%.2f", rate);
  }

  /**
   * Waits for a slot of the base, then of the token. A slot taken before a 429 may fall inside the
   * lockout the 429 began: then a new slot is taken after it, so nothing leaves during a lockout
   * and the requests that were queued come out at the new, lower pace.
   */
  private void admit(
      BaseRateLimiter base,
      BaseRateLimiter token,
      FetchControl control,
      Where where,
      SendPriority priority) {
    while (true) {
      ensureLive(control, where);
      awaitSlot(base, priority, null, control, where);
      if (base.lockoutRemaining() > 0) {
        continue;
      }
      // At the token the bases take turns, whatever their priorities: pages left of one base say
      // nothing against another's, and one base with many tables must not crowd the others out.
      awaitSlot(token, SendPriority.NONE, where.baseId(), control, where);
      if (base.lockoutRemaining() == 0) {
        ensureLive(control, where);
        return;
      }
    }
  }

  /**
   * Waits for a slot of the limiter among the requests waiting for one: when it opens, the one with
   * the highest priority takes it (at equal priority, the {@code group} served longest ago; null:
   * arrival order). The wait is sliced so that a waiter that is passed over looks again at the next
   * slot, and cancel wakes it at once.
   */
  private void awaitSlot(
      BaseRateLimiter base,
      SendPriority priority,
      Object group,
      FetchControl control,
      Where where) {
    BaseRateLimiter.Waiter waiter = base.enqueue(priority, group);
    try {
      long wait;
      while ((wait = base.tryAcquire(waiter)) > 0) {
        try {
          if (control.awaitCancel(Math.min(wait, WAIT_SLICE_NANOS))) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw cancelled("the fetching thread was interrupted", where);
        }
        ensureLive(control, where);
      }
      ensureLive(control, where);
    } finally {
      base.leave(waiter);
    }
  }

  private <T> Outcome<T> attempt(
      Where where, Request request, FetchControl control, BodyReader<T> reader) {
    Call call = http.newCall(request);
    control.register(call);
    long start = ticker.nanoTime();
    int status = -1;
    try (Response response = call.execute()) {
      status = response.code();
      String body = response.body().string();
      notifyRequest(
          new RequestEvent(where.baseId(), where.table(), request.method(), status, since(start)));
      return failures.classify(where, response, body, reader);
    } catch (LockedOutBeforeSend e) {
      return new Outcome.Unsent<>();
    } catch (IOException e) {
      Duration after = since(start);
      notifyRequest(
          new RequestEvent(where.baseId(), where.table(), request.method(), status, after));
      ensureLive(control, where);
      return failures.classify(where, e, after);
    } finally {
      control.unregister(call);
    }
  }

  /** Waits {@code nanos} unless the fetch is cancelled or the client closed first. */
  private void await(long nanos, FetchControl control, Where where) {
    long deadline = ticker.nanoTime() + nanos;
    long remaining = nanos;
    while (remaining > 0) {
      try {
        if (control.awaitCancel(Math.min(remaining, WAIT_SLICE_NANOS))) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw cancelled("the fetching thread was interrupted", where);
      }
      ensureLive(control, where);
      remaining = deadline - ticker.nanoTime();
    }
    ensureLive(control, where);
  }

  void ensureLive(FetchControl control, Where where) {
    if (control.isCancelled()) {
      throw cancelled(control.reason(), where);
    }
    if (closed.get()) {
      throw cancelled("the Airtable client was closed", where);
    }
    if (Thread.currentThread().isInterrupted()) {
      throw cancelled("the fetching thread was interrupted", where);
    }
  }

  private static FetchCancelledException cancelled(String reason, Where where) {
    return new FetchCancelledException(reason, where.baseId(), where.table(), where.page());
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
   * waiting at most a few seconds. Idempotent.
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
