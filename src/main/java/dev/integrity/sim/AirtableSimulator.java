package dev.integrity.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Ticker;
import dev.integrity.common.JsonMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process HTTP server (Jetty) on 127.0.0.1 that behaves like the Airtable Web API for listing
 * records ({@code GET /v0/{base}/{table}}, {@code POST …/listRecords}), reading one record and the
 * Meta API ({@code GET /v0/meta/bases/{base}/tables}), with Airtable's token check, per-base rate
 * limit and lockout, expiring offsets and scriptable {@link Faults}. Jetty speaks HTTP; each
 * request is answered on a virtual thread by {@link SimHandler} (at most {@code maxConnections}
 * connections at once); {@link #close()} ends everything, stalled connections included, within
 * {@code closeTimeout}. Thread-safe.
 *
 * <pre>{@code
 * try (var sim = AirtableSimulator.builder().latency(Duration.ofMillis(50)).build().start()) {
 *   sim.faults().forTable("Students").next(2, Fault.serverError(503));
 *   // point a client at sim.baseUrl() with token sim.token()
 * }
 * }</pre>
 */
public final class AirtableSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AirtableSimulator.class);
  private static final int BACKLOG = 1024;

  /** Jetty's selector and acceptor threads; requests themselves run on virtual threads. */
  private static final int JETTY_PLATFORM_THREADS = 8;

  /** Every scope the tool needs, which a simulator's token has unless told otherwise. */
  public static final Set<String> ALL_SCOPES =
      Set.of(SimWebhooks.SCOPE_RECORDS, SimWebhooks.SCOPE_SCHEMA, SimWebhooks.SCOPE_MANAGE);

  /** The resolved builder options. */
  record Settings(
      int port,
      Duration latency,
      int rateLimitPerSecond,
      Duration lockout,
      String token,
      Duration offsetTtl,
      Duration idleTimeout,
      Duration closeTimeout,
      int maxConnections,
      int requestLogLimit,
      Clock clock,
      Ticker ticker,
      Set<String> scopes,
      TokenLimit tokenLimit) {}

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final Settings settings;
  private final Dataset dataset;
  private final LiveBase live;
  private final SimWebhooks webhooks;
  private final ObjectMapper mapper = JsonMapper.create();
  private volatile Api api;
  private OffsetStore offsets;
  private final Faults faults = new Faults();
  private final RequestJournal journal;
  private final RateLimiter limiter;
  private final Stopper stopper = new Stopper();
  private final AtomicLong failures = new AtomicLong();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private State state = State.NEW;
  private Server server;
  private ServerConnector connector;
  private int boundPort = -1;
  private ExecutorService requestThreads;

  private AirtableSimulator(Settings settings, Dataset dataset) {
    this.settings = settings;
    this.dataset = dataset;
    this.journal = new RequestJournal(settings.ticker(), settings.requestLogLimit());
    this.limiter = new RateLimiter(settings.rateLimitPerSecond(), settings.lockout());
    this.live = new LiveBase(dataset);
    this.webhooks = new SimWebhooks(live, settings.clock(), settings.scopes(), mapper, this::serve);
  }

  /** Serves {@code current} from now on (after an edit); requests under way finish as they were. */
  private void serve(Dataset current) {
    lifecycle.lock();
    try {
      if (offsets != null) {
        api = newApi(current);
      }
    } finally {
      lifecycle.unlock();
    }
  }

  /** The record encodings of the base as last served, reused for the records an edit left alone. */
  private RecordJson json;

  private Api newApi(Dataset current) {
    json = new RecordJson(current, mapper, json);
    return new Api(
        current,
        settings.token(),
        faults,
        limiter,
        settings.tokenLimit(),
        offsets,
        json,
        mapper,
        webhooks);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds 127.0.0.1 and starts serving; returns this.
   *
   * @throws SimulatorException when the port cannot be bound
   * @throws IllegalStateException when already started or closed
   */
  public AirtableSimulator start() {
    lifecycle.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException(
            "the simulator was already " + (state == State.RUNNING ? "started" : "closed"));
      }
      offsets = new OffsetStore(settings.offsetTtl(), settings.ticker());
      api = newApi(live.dataset());
      // Platform threads, not virtual ones: a request is stamped (and counted for the rate limit)
      // once its thread runs, and on the two carriers that virtual threads share with the
      // client's own virtual threads (a run's partitions) in the same JVM that stamp lagged the
      // send by more than the client's 50 ms margin under load, drawing 429s the client had not
      // earned (docs/benchmarks.md, "Through the engine").
      requestThreads =
          Executors.newThreadPerTaskExecutor(
              Thread.ofPlatform().daemon(true).name("airtable-sim-request-", 0).factory());
      var threads = new QueuedThreadPool(JETTY_PLATFORM_THREADS, 2);
      threads.setName("airtable-sim-jetty");
      threads.setDaemon(true);
      threads.setVirtualThreadsExecutor(requestThreads);
      var jetty = new Server(threads);
      var http = new HttpConfiguration();
      http.setSendServerVersion(false);
      http.setSendXPoweredBy(false);
      http.setSendDateHeader(false); // SimHandler stamps Date from the injected clock
      http.setRequestHeaderSize(HttpRequest.MAX_HEAD); // a 16,000-character URL reaches Api's 414
      // Like the raw server before it: paths reach Api as sent (encoded slashes and all).
      http.setUriCompliance(UriCompliance.UNSAFE);
      var conn = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
      conn.setHost("127.0.0.1");
      conn.setPort(settings.port());
      conn.setReuseAddress(true);
      conn.setAcceptQueueSize(BACKLOG);
      conn.setIdleTimeout(settings.idleTimeout().toMillis());
      jetty.addConnector(conn);
      jetty.addBean(new NetworkConnectionLimit(settings.maxConnections(), conn));
      jetty.setHandler(
          new SimHandler(settings, () -> api, journal, stopper, failures::incrementAndGet));
      jetty.setErrorHandler(new SimHandler.Errors());
      jetty.setStopTimeout(settings.closeTimeout().toMillis());
      jetty.setStopAtShutdown(false);
      try {
        jetty.start();
      } catch (Exception e) {
        stopQuietly(jetty);
        requestThreads.shutdownNow();
        throw new SimulatorException(
            "the Airtable simulator cannot listen on 127.0.0.1:"
                + settings.port()
                + ": "
                + e.getMessage(),
            e);
      }
      server = jetty;
      connector = conn;
      boundPort = conn.getLocalPort();
      state = State.RUNNING;
      log.info(
          "Airtable simulator listening on {} serving base {} ({}); latency {} ms, rate limit {}",
          baseUrl(),
          dataset.baseId(),
          dataset.tables().stream()
              .map(t -> t.name() + " " + t.records().size())
              .collect(Collectors.joining(", ")),
          settings.latency().toMillis(),
          settings.rateLimitPerSecond() == 0 ? "unlimited" : settings.rateLimitPerSecond() + "/s");
      return this;
    } finally {
      lifecycle.unlock();
    }
  }

  /** {@code http://127.0.0.1:<port>}, the API root to give a client. */
  public URI baseUrl() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The bound port. */
  public int port() {
    lifecycle.lock();
    try {
      if (boundPort < 0) {
        throw new IllegalStateException("the simulator has not been started");
      }
      return boundPort;
    } finally {
      lifecycle.unlock();
    }
  }

  /** The dataset the simulator was built with, before any {@link #apply edits}. */
  public Dataset dataset() {
    return dataset;
  }

  /** The base as it is now, after every {@link #apply edit} so far. */
  public Dataset currentDataset() {
    return live.dataset();
  }

  /**
   * Applies {@code edits} as one transaction: listings answer the new data from now on, and every
   * active webhook of the base gets one payload describing it (as Airtable's would).
   *
   * @throws SimulatorException naming the table, record or field an edit cannot apply to; the base
   *     is then unchanged
   */
  public Edits.Result apply(Edits edits) {
    return webhooks.apply(Objects.requireNonNull(edits, "edits"));
  }

  /**
   * Makes every active webhook of the base record an error payload, as Airtable does when a webhook
   * breaks: {@code {"timestamp", "baseTransactionNumber", "error": true, "code", "payloadFormat":
   * "v0"}}, listed among its payloads like any other. Airtable documents the codes {@code
   * INVALID_FILTERS} and {@code INVALID_HOOK}, {@code INTERNAL_ERROR} on an internal error, and may
   * add others: any code is sent as given. The webhooks stay as they are (active, recording later
   * edits).
   *
   * @return how many webhooks recorded it
   */
  public int webhookError(String code) {
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("an error payload needs a code");
    }
    return webhooks.recordError(code);
  }

  /** The bearer token requests must carry. */
  public String token() {
    return settings.token();
  }

  /** The fault script. */
  public Faults faults() {
    return faults;
  }

  /** Every request received so far (the newest {@code requestLogLimit}), in arrival order. */
  public List<RequestLog> requests() {
    return journal.snapshot();
  }

  /** Forgets the request log. */
  public void clearRequests() {
    journal.clear();
  }

  /**
   * Changes the base's rate limit from now on (0 = unlimited): another integration starts or stops
   * sharing the base, or a plan's exhausted monthly quota throttles it to 2 requests/s.
   */
  public void rateLimitPerSecond(int perSecond) {
    limiter.limit(perSecond);
  }

  /** Forgets the rate-limit window and ends any lockout now. */
  public void resetRateLimit() {
    limiter.reset();
  }

  /** Connections open right now (stalled ones included). */
  public int openConnections() {
    ServerConnector c = connector;
    return c == null ? 0 : c.getConnectedEndPoints().size();
  }

  /** Unexpected failures inside the server so far (each was logged); 0 in a healthy run. */
  public long failures() {
    return failures.get();
  }

  /**
   * Stops accepting, closes every connection (stalled and trickling ones too) and waits at most
   * {@code closeTimeout} for the connection threads to end. Idempotent.
   */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (state != State.RUNNING) {
        state = State.CLOSED;
        return;
      }
      state = State.CLOSED;
    } finally {
      lifecycle.unlock();
    }
    // Release stalls, trickles and latency waits first: their threads then drop their
    // connections, and Jetty's stop has nothing left to wait for.
    stopper.stop();
    long deadline = settings.ticker().nanoTime() + settings.closeTimeout().toNanos();
    stopQuietly(server);
    requestThreads.shutdownNow();
    try {
      long left = Math.max(1, deadline - settings.ticker().nanoTime());
      if (!requestThreads.awaitTermination(left, TimeUnit.NANOSECONDS)) {
        log.warn(
            "the Airtable simulator on port {} did not stop all its threads within {}",
            boundPort,
            settings.closeTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("Airtable simulator on port {} stopped after {} requests", boundPort, journal.total());
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("stopping the Airtable simulator's Jetty server failed: {}", e.toString());
    }
  }

  /** Options of a simulator; every one has a default. Not thread-safe. */
  public static final class Builder {
    private Dataset dataset;
    private int port;
    private Duration latency = Duration.ZERO;
    private int rateLimitPerSecond = 5;
    private Duration lockout = Duration.ofSeconds(30);
    private String token = "sim-token";
    private Duration offsetTtl = Duration.ofMinutes(5);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private int maxConnections = 512;
    private int requestLogLimit = 100_000;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private Set<String> scopes = ALL_SCOPES;
    private TokenLimit tokenLimit;

    private Builder() {}

    /**
     * The limit of the token, shared with the simulators of the other bases it reads; default none
     * (only the base's own limit applies).
     */
    public Builder tokenLimit(TokenLimit tokenLimit) {
      this.tokenLimit = Objects.requireNonNull(tokenLimit, "tokenLimit");
      return this;
    }

    /**
     * The scopes the token has; default every scope the tool uses ({@code data.records:read},
     * {@code schema.bases:read}, {@code webhook:manage}). Only the webhooks API checks them.
     */
    public Builder scopes(Set<String> scopes) {
      this.scopes = Set.copyOf(scopes);
      return this;
    }

    /** The base to serve; default {@link Dataset#demo()}. */
    public Builder dataset(Dataset dataset) {
      this.dataset = Objects.requireNonNull(dataset, "dataset");
      return this;
    }

    /** The port on 127.0.0.1; default 0, an ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0-65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** Delay before every response (faulted ones too, except stalls); default 0. */
    public Builder latency(Duration latency) {
      this.latency = nonNegative(latency, "latency");
      return this;
    }

    /** Requests per sliding second per base before 429 and lockout; default 5, 0 = unlimited. */
    public Builder rateLimitPerSecond(int rateLimitPerSecond) {
      if (rateLimitPerSecond < 0) {
        throw new IllegalArgumentException(
            "rateLimitPerSecond must be 0 (unlimited) or more: " + rateLimitPerSecond);
      }
      this.rateLimitPerSecond = rateLimitPerSecond;
      return this;
    }

    /** How long a base answers 429 after exceeding the rate limit; default 30 s, like Airtable. */
    public Builder lockout(Duration lockout) {
      this.lockout = nonNegative(lockout, "lockout");
      return this;
    }

    /** The bearer token to require; default {@code sim-token}. */
    public Builder token(String token) {
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("token must not be blank");
      }
      this.token = token;
      return this;
    }

    /** How long an offset stays usable after it was issued; default 5 minutes. */
    public Builder offsetTtl(Duration offsetTtl) {
      this.offsetTtl = positive(offsetTtl, "offsetTtl");
      return this;
    }

    /**
     * How long a keep-alive connection may sit idle before the server closes it, and how long a
     * {@link Fault#stall() stall} holds its connection; default 60 s.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /** The longest {@link #close()} waits for connection threads to end; default 5 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = positive(closeTimeout, "closeTimeout");
      return this;
    }

    /** Connections open at once (Jetty stops accepting beyond); more wait in the backlog. 512. */
    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** How many requests {@link #requests()} keeps (the newest); default 100,000. */
    public Builder requestLogLimit(int requestLogLimit) {
      if (requestLogLimit < 1) {
        throw new IllegalArgumentException(
            "requestLogLimit must be at least 1: " + requestLogLimit);
      }
      this.requestLogLimit = requestLogLimit;
      return this;
    }

    /** Wall clock for the {@code Date} header and webhook expiry; default UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Monotonic time for offset expiry, the rate window, lockout and request stamps. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public AirtableSimulator build() {
      var settings =
          new Settings(
              port,
              latency,
              rateLimitPerSecond,
              lockout,
              token,
              offsetTtl,
              idleTimeout,
              closeTimeout,
              maxConnections,
              requestLogLimit,
              clock,
              ticker,
              scopes,
              tokenLimit);
      return new AirtableSimulator(settings, dataset == null ? Dataset.demo() : dataset);
    }

    private static Duration nonNegative(Duration d, String name) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be zero or positive: " + d);
      }
      return d;
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
