package dev.integrity.app;

import dev.integrity.IntegrityException;
import dev.integrity.Threads;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.check.CheckEngine;
import dev.integrity.common.CancelOutcome;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.Settings;
import dev.integrity.cost.MonthlyUse;
import dev.integrity.cost.Projection;
import dev.integrity.cost.Projections;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.reaper.Reaped;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunListener;
import dev.integrity.run.RunPlan;
import dev.integrity.run.RunProbe;
import dev.integrity.run.RunReport;
import dev.integrity.store.Store;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: {@link Builder#build()} is the one place that wires the whole graph from
 * {@link Settings} and the config files (store, Airtable clients, check engines, run engine,
 * metrics, and for serving alerts, reaper, schedules and the web server), with every listener fixed
 * there. Callers ask it for operations ({@link #runOnce}, {@link #serve}, {@link #reap}, {@link
 * Builder#validate}), not for its parts. Thread-safe once built; {@link #close()} stops every part
 * and executor it owns within a bound.
 */
public final class IntegrityApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IntegrityApp.class);

  private final AtomicBoolean closed = new AtomicBoolean();
  private final Settings settings;
  private final Wiring.Graph graph;
  private final Store store;
  private final Map<String, RunPlan> plans;
  private final RunEngine engine;
  private final Service service;
  private final Duration shutdownBound;
  private final Costs costs;

  private IntegrityApp(Settings settings, Wiring.Graph graph, Duration shutdownBound, Clock clock) {
    this.settings = settings;
    this.graph = graph;
    this.store = graph.store();
    this.plans = graph.plans();
    this.engine = graph.engine();
    this.service = graph.service();
    this.shutdownBound = shutdownBound;
    this.costs = new Costs(store, plans, clock);
  }

  public static Builder builder() {
    return new Builder();
  }

  static Optional<RunPlan> planOf(Map<String, RunPlan> plans, String baseId) {
    if (baseId == null) {
      return plans.size() == 1 ? Optional.of(plans.values().iterator().next()) : Optional.empty();
    }
    return Optional.ofNullable(plans.get(baseId));
  }

  private RunPlan plan(String baseId) {
    return planOf(plans, baseId)
        .orElseThrow(
            () ->
                new IntegrityException(
                    baseId == null
                        ? "name one of the bases " + plans.keySet()
                        : "base "
                            + baseId
                            + " is not configured (configured: "
                            + plans.keySet()
                            + ")"));
  }

  /**
   * One run of the configured base, on this thread: submitted, executed, reported. Ctrl-C cancels
   * it (it ends {@code cancelled}) instead of leaving it {@code running}.
   */
  public RunReport runOnce(List<String> entities, RunMode mode) {
    RunRecord queued = start(null, Trigger.MANUAL, entities, mode);
    Thread hook = new Thread(() -> engine.cancel(queued.id()), "integrity-cancel-on-exit");
    boolean hooked = addHook(hook);
    try {
      return report(execute(queued.id()));
    } finally {
      if (hooked) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it cancels the run
        }
      }
    }
  }

  /**
   * Creates a queued run of a base ({@code null}: the only one) without executing it.
   *
   * @throws dev.integrity.store.ActiveRunExistsException when the base already has an active run
   */
  public RunRecord start(String baseId, Trigger trigger, List<String> entities, RunMode mode) {
    return engine.submit(plan(baseId), trigger, null, entities, mode);
  }

  /** Executes a queued run on this thread until it ends; returns it as it ended. */
  public RunRecord execute(String runId) {
    RunRecord run =
        store.runs().find(runId).orElseThrow(() -> new IntegrityException("no run " + runId));
    return engine.execute(plan(run.baseId()), runId);
  }

  /** Cancels a run, whichever process executes it. */
  public CancelOutcome cancel(String runId) {
    return engine.cancel(runId);
  }

  /** A run with its entities and issue counts, as {@code run} prints it. */
  public RunReport report(RunRecord run) {
    return RunReport.of(run, store.runs().entities(run.id()), store.issues().summary(run.id()));
  }

  /**
   * Starts the always-on service built with {@link Builder#serving}: the reaper sweeps once, config
   * schedules are synced, the web server binds.
   */
  public Service serve() {
    if (service == null) {
      throw new IllegalStateException("this app was built without serving options");
    }
    service.start(plans.values());
    costs.warnAtStart();
    return service;
  }

  /**
   * The hung-run sweep, once, now; the runs it ends reach the same listeners as any other ended
   * run. With {@code dryRun} it changes nothing and lists what it would end.
   */
  public List<Reaped> reap(boolean dryRun) {
    List<Reaped> reaped = graph.reaper().sweep(dryRun);
    if (!dryRun) {
      reaped.stream().filter(Reaped::applied).forEach(graph.runEnded()::onReaped);
    }
    return reaped;
  }

  /**
   * The calls this month of the run's base (UTC month), against the budget of its config when it is
   * one of this app's, else the one stored with the run.
   */
  public Optional<MonthlyUse> monthlyUse(String runId) {
    return costs.month(runId);
  }

  /** The store, for the read-only commands (runs, issues, webhook state). */
  public Store store() {
    return store;
  }

  /** The settings this app was built from, for the caller's start-up output. */
  public Settings settings() {
    return settings;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (service != null) {
      service.stopTakingWork();
    }
    for (String runId : engine.activeRunIds()) {
      log.warn("stopping: cancelling run {} so it does not stay running", runId);
      engine.cancel(runId);
    }
    Threads.shutdown(graph.runPool(), "run pool", shutdownBound);
    Threads.shutdown(graph.fetchPool(), "fetch pool", shutdownBound);
    Threads.shutdown(graph.checkPool(), "check pool", shutdownBound);
    Threads.shutdown(graph.timers(), "run timers", shutdownBound);
    if (service != null) {
      service.closeAlerts();
      graph.alertHttp().dispatcher().executorService().shutdown();
      graph.alertHttp().connectionPool().evictAll();
    }
    for (RunPlan plan : plans.values()) {
      Service.closeQuietly("Airtable client of " + plan.baseId(), plan.client());
    }
    store.close();
  }

  private static boolean addHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
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

  /** Collects what the root needs; {@link #build()} wires it. Not thread-safe. */
  public static final class Builder {
    private static final String SQLITE_PREFIX = "jdbc:sqlite:";
    private Settings settings;
    private Clock clock = Clock.systemUTC();
    private Ticker ticker = Ticker.system();
    private String dbUrl;
    private final List<Path> configs = new ArrayList<>();
    private RunListener runListener = RunListener.none();
    private RunProbe runProbe = RunProbe.none();
    private AirtableListener airtableListener = AirtableListener.none();
    private String ownerId;
    private Duration shutdownBound = Duration.ofSeconds(10);
    private Service.Options serving;

    private Builder() {}

    /** The process settings, read once at start; without them, {@link Settings#fromProcess()}. */
    public Builder settings(Settings settings) {
      this.settings = Objects.requireNonNull(settings);
      return this;
    }

    /** Settings read from {@code environment} instead of the process's (tests). */
    public Builder environment(Map<String, String> environment) {
      return settings(Settings.from(environment));
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker);
      return this;
    }

    /** The store URL ({@code --db}); null keeps the settings' (INTEGRITY_DB_URL or default). */
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

    /** Hears every run's progress and end (e.g. the CLI's progress bars). */
    public Builder runListener(RunListener runListener) {
      this.runListener = Objects.requireNonNull(runListener);
      return this;
    }

    /** Told as each run enters each stage: a fault-injection seam for tests and soaks. */
    public Builder runProbe(RunProbe runProbe) {
      this.runProbe = Objects.requireNonNull(runProbe);
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

    public Builder shutdownBound(Duration shutdownBound) {
      this.shutdownBound = shutdownBound;
      return this;
    }

    /** Also build the always-on service (alerts, reaper, schedules, web), started by serve(). */
    public Builder serving(Service.Options options) {
      this.serving = Objects.requireNonNull(options);
      return this;
    }

    private Settings settings() {
      if (settings == null) {
        settings = Settings.fromProcess();
      }
      return settings;
    }

    private List<IntegrityConfig> loadConfigs() {
      return loadConfigs(true);
    }

    /**
     * @param tokenRequired false for offline validate only: it sends nothing
     */
    private List<IntegrityConfig> loadConfigs(boolean tokenRequired) {
      List<IntegrityConfig> loaded = new ArrayList<>();
      for (Path path : configs) {
        loaded.add(
            tokenRequired
                ? ConfigLoader.load(path, settings())
                : ConfigLoader.loadOffline(path, settings()));
      }
      return loaded;
    }

    /**
     * Loads and validates everything before anything starts: settings, configs (all problems at
     * once), then opens the store and wires the graph.
     */
    public IntegrityApp build() {
      Settings s = settings().withStoreUrl(dbUrl);
      logSettings(s);
      Wiring.Graph graph =
          Wiring.build(
              new Wiring.Inputs(
                  s,
                  loadConfigs(),
                  clock,
                  ticker,
                  runListener,
                  airtableListener,
                  ownerId != null ? ownerId : defaultOwnerId(),
                  serving,
                  runProbe));
      log.info(
          "integrity runner ready: store {}, bases {}{}",
          s.store().maskedUrl(),
          graph.plans().keySet(),
          serving == null ? "" : ", serving on " + serving.host() + ":" + serving.port());
      return new IntegrityApp(s, graph, shutdownBound, clock);
    }

    /**
     * {@code validate}: loads and compiles each config without opening the store, and with {@code
     * online} compares the checks with each base's schema. Offline, the Airtable token need not be
     * set ({@link dev.integrity.config.AirtableConfig#tokenSet()} says whether it was).
     */
    public Validation validate(boolean online) {
      Settings s = settings();
      List<Validation.Config> results = new ArrayList<>();
      List<IntegrityConfig> configs = loadConfigs(online);
      boolean scheduled = configs.stream().anyMatch(c -> !c.schedules().isEmpty());
      try (Store history = online && scheduled ? storeIfPresent(s.withStoreUrl(dbUrl)) : null) {
        for (IntegrityConfig config : configs) {
          results.add(validate(s, config, online, history));
        }
      }
      return new Validation(results);
    }

    /**
     * The run store when one is there to read (a PostgreSQL URL, or a SQLite file that exists:
     * validate never creates one), else null; one that cannot be opened is logged and left out.
     */
    private Store storeIfPresent(Settings s) {
      String url = s.store().url();
      if (url.startsWith(SQLITE_PREFIX)) {
        String file = url.substring(SQLITE_PREFIX.length());
        int query = file.indexOf('?');
        file = query < 0 ? file : file.substring(0, query);
        if (file.isBlank() || file.contains(":memory:") || !Files.exists(Path.of(file))) {
          return null;
        }
      }
      try {
        return Store.open(s.store(), clock);
      } catch (RuntimeException e) {
        log.warn("validate: the run store cannot be read, projections use a lower bound: {}", e);
        return null;
      }
    }

    private Validation.Config validate(
        Settings s, IntegrityConfig config, boolean online, Store history) {
      CheckEngine checks = CheckEngine.compile(config);
      List<String> problems = new ArrayList<>();
      if (online) {
        try (AirtableClient client =
            Clients.standalone(
                s.limits(), config.airtable().baseUrl(), config.airtable().token(), ticker)) {
          var schema =
              client.fetchSchema(
                  config.airtable().baseId(), dev.integrity.airtable.FetchControl.create());
          checks.validateAgainst(schema).forEach(p -> problems.add(p.message()));
          checks.optionMismatches(schema).forEach(p -> problems.add(p.message()));
        }
      }
      List<Projection> costs =
          online ? Projections.of(config, config.schedules(), history, clock.instant()) : null;
      return new Validation.Config(config, online ? problems : null, costs);
    }

    /**
     * A client for one base, with the process limits, for one-off commands ({@code init}, {@code
     * webhooks}); a null base URL or token takes the environment's override, then the default.
     */
    public AirtableClient client(java.net.URI baseUrl, dev.integrity.Secret token) {
      Settings s = settings();
      return Clients.standalone(
          s.limits(),
          baseUrl != null ? baseUrl : s.overrides().airtableBaseUrl(),
          token != null ? token : s.overrides().airtableToken(),
          ticker);
    }

    /** The configs given to this builder, loaded and validated (e.g. for {@code webhooks}). */
    public List<IntegrityConfig> configsLoaded() {
      return loadConfigs();
    }

    private static void logSettings(Settings s) {
      log.info("settings: {}", s);
      for (String adjustment : s.adjustments()) {
        log.info("limits: {}", adjustment);
      }
    }
  }
}
