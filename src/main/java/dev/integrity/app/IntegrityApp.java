package dev.integrity.app;

import dev.integrity.Threads;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableRateLimits;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.check.CheckEngine;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.EnvSettings;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.Limits;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunListener;
import dev.integrity.run.RunPlan;
import dev.integrity.run.RunSettings;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the one place that reads the environment and config files and wires the
 * store, Airtable clients, check engines and run engine together. Thread-safe once built; {@link
 * #close()} stops every executor it owns within a bound.
 */
public final class IntegrityApp implements AutoCloseable {
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private static final Logger log = LoggerFactory.getLogger(IntegrityApp.class);

  private final Store store;
  private final Limits limits;
  private final EnvSettings env;
  private final Map<String, RunPlan> plans;
  private final RunEngine engine;
  private final ExecutorService fetchPool;
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private final Ticker ticker;
  private final String ownerId;
  private final Duration shutdownBound;
  private final Listeners listeners;

  private IntegrityApp(
      Builder b,
      Store store,
      Limits limits,
      EnvSettings env,
      Map<String, RunPlan> plans,
      Listeners listeners) {
    this.store = store;
    this.listeners = listeners;
    this.limits = limits;
    this.env = env;
    this.plans = plans;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.ownerId = b.ownerId != null ? b.ownerId : defaultOwnerId();
    this.shutdownBound = b.shutdownBound;
    this.fetchPool = Executors.newFixedThreadPool(b.fetchThreads, Threads.named("integrity-fetch"));
    ScheduledThreadPoolExecutor scheduled =
        new ScheduledThreadPoolExecutor(2, Threads.named("integrity-timer"));
    scheduled.setRemoveOnCancelPolicy(true);
    this.timers = scheduled;
    this.engine =
        new RunEngine(
            store,
            RunSettings.of(limits.maxRunDuration(), limits.heartbeatInterval()),
            ticker,
            fetchPool,
            timers,
            ownerId,
            listeners,
            clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Store store() {
    return store;
  }

  public Limits limits() {
    return limits;
  }

  public EnvSettings env() {
    return env;
  }

  public RunEngine engine() {
    return engine;
  }

  /** Where to add run and Airtable listeners (metrics, alerts) after the app is built. */
  public Listeners listeners() {
    return listeners;
  }

  public Clock clock() {
    return clock;
  }

  public Ticker ticker() {
    return ticker;
  }

  public String ownerId() {
    return ownerId;
  }

  public ScheduledExecutorService timers() {
    return timers;
  }

  /** Plans by base id, in the order the configs were given. */
  public Map<String, RunPlan> plans() {
    return plans;
  }

  /** The plan for a base id, or the only plan when {@code baseId} is null and there is one. */
  public Optional<RunPlan> plan(String baseId) {
    if (baseId == null) {
      return plans.size() == 1 ? Optional.of(plans.values().iterator().next()) : Optional.empty();
    }
    return Optional.ofNullable(plans.get(baseId));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Threads.shutdown(fetchPool, "fetch pool", shutdownBound);
    Threads.shutdown(timers, "run timers", shutdownBound);
    for (RunPlan plan : plans.values()) {
      try {
        plan.client().close();
      } catch (RuntimeException e) {
        log.warn("closing the Airtable client of {} failed: {}", plan.baseId(), e.toString());
      }
    }
    store.close();
  }

  private static String defaultOwnerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return host
        + "/"
        + ManagementFactory.getRuntimeMXBean().getPid()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Builds an {@link IntegrityApp}; not thread-safe. */
  public static final class Builder {
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private String dbUrl;
    private final List<Path> configs = new ArrayList<>();
    private RunListener runListener = RunListener.none();
    private AirtableListener airtableListener = AirtableListener.none();
    private String ownerId;
    private int fetchThreads = 8;
    private Duration shutdownBound = Duration.ofSeconds(10);

    private Builder() {}

    public Builder environment(Map<String, String> environment) {
      this.environment = Objects.requireNonNull(environment);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker);
      return this;
    }

    /** The store URL; null falls back to INTEGRITY_DB_URL and then the contract's default. */
    public Builder dbUrl(String dbUrl) {
      this.dbUrl = dbUrl;
      return this;
    }

    public Builder config(Path config) {
      this.configs.add(config);
      return this;
    }

    public Builder configs(List<Path> configs) {
      this.configs.addAll(configs);
      return this;
    }

    public Builder runListener(RunListener runListener) {
      this.runListener = Objects.requireNonNull(runListener);
      return this;
    }

    public Builder airtableListener(AirtableListener airtableListener) {
      this.airtableListener = Objects.requireNonNull(airtableListener);
      return this;
    }

    public Builder ownerId(String ownerId) {
      this.ownerId = ownerId;
      return this;
    }

    public Builder fetchThreads(int fetchThreads) {
      this.fetchThreads = fetchThreads;
      return this;
    }

    public Builder shutdownBound(Duration shutdownBound) {
      this.shutdownBound = shutdownBound;
      return this;
    }

    /**
     * Loads and validates everything before anything starts: configs (all problems at once), limits
     * (they must nest), then opens the store.
     */
    public IntegrityApp build() {
      EnvSettings env = EnvSettings.from(environment);
      List<IntegrityConfig> loaded = new ArrayList<>();
      for (Path path : configs) {
        loaded.add(ConfigLoader.load(path, environment));
      }
      Limits limits = loaded.isEmpty() ? Limits.fromEnv(environment) : loaded.get(0).limits();
      limits.validateNesting();
      Map<String, CheckEngine> engines = new LinkedHashMap<>();
      for (IntegrityConfig config : loaded) {
        String baseId = config.airtable().baseId();
        if (engines.containsKey(baseId)) {
          throw new dev.integrity.IntegrityException(
              "base " + baseId + " is configured twice (" + config.source() + ")");
        }
        engines.put(baseId, CheckEngine.compile(config));
      }
      StoreSettings storeSettings = StoreSettings.fromEnvironment(environment, dbUrl);
      Store store = Store.open(storeSettings, clock);
      Listeners listeners = new Listeners();
      listeners.add(runListener);
      listeners.add(airtableListener);
      Map<String, RunPlan> plans = new LinkedHashMap<>();
      // One set of limiters for the process: bases sharing a token share its cap.
      AirtableRateLimits rateLimits = new AirtableRateLimits(ticker);
      for (IntegrityConfig config : loaded) {
        AirtableClient client =
            new AirtableClient(
                airtableSettings(limits, config), ticker, clock, listeners, rateLimits);
        plans.put(
            config.airtable().baseId(),
            new RunPlan(config, engines.get(config.airtable().baseId()), client));
      }
      IntegrityApp app =
          new IntegrityApp(
              this, store, limits, env, java.util.Collections.unmodifiableMap(plans), listeners);
      log.info(
          "integrity runner ready: store {}, bases {}, limits {}",
          storeSettings.maskedUrl(),
          plans.keySet(),
          limits);
      return app;
    }
  }

  /** The client settings of one base: its config plus the process limits. */
  public static AirtableSettings airtableSettings(Limits limits, IntegrityConfig config) {
    return AirtableSettings.builder()
        .baseUrl(config.airtable().baseUrl())
        .token(config.airtable().token())
        .connectTimeout(limits.connectTimeout())
        .readTimeout(limits.readTimeout())
        .writeTimeout(limits.readTimeout())
        .requestTimeout(limits.requestTimeout())
        .maxRetries(limits.maxRetries())
        .rateLimitPerSecond(limits.rateLimitPerSecond())
        .tokenRateLimitPerSecond(limits.tokenRateLimitPerSecond())
        .build();
  }
}
