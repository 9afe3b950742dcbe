package dev.integrity.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Ticker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process HTTP/1.1 server on 127.0.0.1 that behaves like the Airtable Web API for listing
 * records ({@code GET /v0/{base}/{table}}, {@code POST …/listRecords}), reading one record and the
 * Meta API ({@code GET /v0/meta/bases/{base}/tables}), with Airtable's token check, per-base rate
 * limit and lockout, expiring offsets and scriptable {@link Faults}. Each connection is served by
 * its own virtual thread (at most {@code maxConnections} at once); {@link #close()} ends
 * everything, stalled connections included, within {@code closeTimeout}. Thread-safe.
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

  /** How long the accept loop waits for a free connection slot before re-checking for close. */
  private static final Duration ACCEPT_SLOT_WAIT = Duration.ofMillis(100);

  /** Back-off after an accept failure (e.g. out of file descriptors) so the loop cannot spin. */
  private static final Duration ACCEPT_ERROR_BACKOFF = Duration.ofMillis(50);

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
      Ticker ticker) {}

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final Settings settings;
  private final Dataset dataset;
  private final Faults faults = new Faults();
  private final RequestJournal journal;
  private final RateLimiter limiter;
  private final Stopper stopper = new Stopper();
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Semaphore connectionSlots;
  private final AtomicLong failures = new AtomicLong();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private State state = State.NEW;
  private ServerSocket serverSocket;
  private ExecutorService connections;
  private Thread acceptThread;

  private AirtableSimulator(Settings settings, Dataset dataset) {
    this.settings = settings;
    this.dataset = dataset;
    this.journal = new RequestJournal(settings.ticker(), settings.requestLogLimit());
    this.limiter = new RateLimiter(settings.rateLimitPerSecond(), settings.lockout());
    this.connectionSlots = new Semaphore(settings.maxConnections());
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
      var mapper = new ObjectMapper();
      var api =
          new Api(
              dataset,
              settings.token(),
              faults,
              limiter,
              new OffsetStore(settings.offsetTtl(), settings.ticker()),
              new RecordJson(dataset, mapper),
              mapper);
      ServerSocket server = new ServerSocket();
      try {
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(loopback(), settings.port()), BACKLOG);
      } catch (IOException e) {
        closeQuietly(server);
        throw new SimulatorException(
            "the Airtable simulator cannot listen on 127.0.0.1:"
                + settings.port()
                + ": "
                + e.getMessage(),
            e);
      }
      serverSocket = server;
      // Platform threads, not virtual ones: a request is stamped (and counted for the rate limit)
      // once its connection thread has read it, and on the two carriers that virtual threads
      // share with the client's own virtual threads (a run's partitions) in the same JVM that
      // stamp lagged the send by more than the client's 50 ms margin under load, drawing 429s
      // the client had not earned (docs/benchmarks.md, "Through the engine").
      connections =
          Executors.newThreadPerTaskExecutor(
              Thread.ofPlatform().daemon(true).name("airtable-sim-conn-", 0).factory());
      acceptThread =
          Thread.ofPlatform()
              .name("airtable-sim-accept-" + server.getLocalPort())
              .daemon(true)
              .unstarted(() -> acceptLoop(api));
      state = State.RUNNING;
      acceptThread.start();
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
    } catch (IOException e) {
      throw new SimulatorException(
          "the Airtable simulator cannot open a server socket: " + e.getMessage(), e);
    } finally {
      lifecycle.unlock();
    }
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always valid", e);
    }
  }

  private void acceptLoop(Api api) {
    while (!stopper.stopped()) {
      try {
        if (!connectionSlots.tryAcquire(ACCEPT_SLOT_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
          continue;
        }
        Socket socket;
        try {
          socket = serverSocket.accept();
        } catch (IOException | RuntimeException e) {
          connectionSlots.release();
          throw e;
        }
        openSockets.add(socket);
        Runnable onEnd =
            () -> {
              openSockets.remove(socket);
              connectionSlots.release();
            };
        try {
          if (stopper.stopped()) {
            throw new RejectedExecutionException("closing");
          }
          connections.execute(
              new Connection(
                  socket, settings, api, journal, stopper, onEnd, failures::incrementAndGet));
        } catch (RejectedExecutionException e) {
          closeQuietly(socket);
          onEnd.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException | RuntimeException e) {
        if (stopper.stopped()) {
          return;
        }
        failures.incrementAndGet();
        log.warn("the Airtable simulator failed to accept a connection; continuing", e);
        stopper.pause(ACCEPT_ERROR_BACKOFF);
      }
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
      if (serverSocket == null) {
        throw new IllegalStateException("the simulator has not been started");
      }
      return serverSocket.getLocalPort();
    } finally {
      lifecycle.unlock();
    }
  }

  public Dataset dataset() {
    return dataset;
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

  /** Forgets the rate-limit window and ends any lockout now. */
  public void resetRateLimit() {
    limiter.reset();
  }

  /** Connections open right now (stalled ones included). */
  public int openConnections() {
    return openSockets.size();
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
    stopper.stop();
    closeQuietly(serverSocket);
    openSockets.forEach(AirtableSimulator::closeQuietly);
    connections.shutdownNow();
    long deadline = settings.ticker().nanoTime() + settings.closeTimeout().toNanos();
    try {
      boolean ended =
          connections.awaitTermination(settings.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
      long left = Math.max(1, deadline - settings.ticker().nanoTime());
      acceptThread.join(Duration.ofNanos(left));
      if (!ended || acceptThread.isAlive()) {
        log.warn(
            "the Airtable simulator on port {} did not stop all its threads within {}",
            serverSocket.getLocalPort(),
            settings.closeTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info(
        "Airtable simulator on port {} stopped after {} requests",
        serverSocket.getLocalPort(),
        journal.total());
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("closing {} failed: {}", c, e.toString());
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

    private Builder() {}

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

    /** How long a keep-alive connection may sit idle before the server closes it; default 60 s. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /** The longest {@link #close()} waits for connection threads to end; default 5 s. */
    public Builder closeTimeout(Duration closeTimeout) {
      this.closeTimeout = positive(closeTimeout, "closeTimeout");
      return this;
    }

    /** Connections served at once; more wait in the accept backlog. Default 512. */
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

    /** Wall clock for the {@code Date} header; default UTC system clock. */
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
              ticker);
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
