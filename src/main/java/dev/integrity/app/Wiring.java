package dev.integrity.app;

import dev.integrity.IntegrityException;
import dev.integrity.Threads;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableRateLimits;
import dev.integrity.alert.AlertChannels;
import dev.integrity.alert.AlertService;
import dev.integrity.alert.AlertSettings;
import dev.integrity.alert.ChannelTimeouts;
import dev.integrity.check.CheckEngine;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.Limits;
import dev.integrity.config.Settings;
import dev.integrity.metrics.Metrics;
import dev.integrity.reaper.Reaper;
import dev.integrity.reaper.ReaperService;
import dev.integrity.reaper.ReaperSettings;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunListener;
import dev.integrity.run.RunPlan;
import dev.integrity.run.RunProbe;
import dev.integrity.run.RunSettings;
import dev.integrity.schedule.ScheduleService;
import dev.integrity.schedule.ScheduleSettings;
import dev.integrity.store.Dialect;
import dev.integrity.store.Store;
import dev.integrity.web.WebServer;
import dev.integrity.web.WebSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.OkHttpClient;

/**
 * Builds the whole graph, in dependency order, from the settings and the loaded configs: what
 * {@link IntegrityApp.Builder#build()} delegates to. Every listener is fixed here, before anything
 * can emit. Nothing escapes half-built: when a step fails, what the earlier steps opened is closed.
 * Stateless.
 */
final class Wiring {
  private Wiring() {}

  /** What the caller chose besides the settings and configs. */
  record Inputs(
      Settings settings,
      List<IntegrityConfig> configs,
      Clock clock,
      Ticker ticker,
      RunListener runListener,
      AirtableListener airtableListener,
      String ownerId,
      Service.Options serving,
      RunProbe runProbe) {}

  /** The built parts; the root owns them and closes them in {@link IntegrityApp#close()}. */
  record Graph(
      Store store,
      Map<String, RunPlan> plans,
      Listeners listeners,
      Metrics metrics,
      RunEngine engine,
      Reaper reaper,
      RunEnded runEnded,
      ExecutorService fetchPool,
      ExecutorService checkPool,
      ScheduledThreadPoolExecutor timers,
      ExecutorService runPool,
      Service service,
      OkHttpClient alertHttp) {}

  static Graph build(Inputs in) {
    Map<String, CheckEngine> checks = compile(in.configs());
    Limits limits = in.settings().limits();
    Store store =
        in.serving() == null
            ? Store.open(in.settings().store(), in.clock())
            : StoreRetry.within(
                in.serving().storeRetryWithin(),
                "opening the store",
                () -> Store.open(in.settings().store(), in.clock()));
    List<AutoCloseable> opened = new ArrayList<>(List.of(store));
    try {
      return wire(in, checks, limits, store, opened);
    } catch (RuntimeException e) {
      Collections.reverse(opened);
      opened.forEach(part -> Service.closeQuietly("a part built before the failure", part));
      throw e;
    }
  }

  private static Graph wire(
      Inputs in,
      Map<String, CheckEngine> checks,
      Limits limits,
      Store store,
      List<AutoCloseable> opened) {
    Metrics metrics = new Metrics(store, in.clock());
    OkHttpClient alertHttp = in.serving() == null ? null : new OkHttpClient.Builder().build();
    AlertService alerts =
        in.serving() == null
            ? null
            : alerts(in.configs(), in.serving(), limits, store, alertHttp, metrics, in.clock());
    if (alerts != null) {
      opened.add(alerts);
    }
    List<RunListener> runListeners = new ArrayList<>(List.of(in.runListener()));
    runListeners.add(metrics.runListener());
    if (alerts != null) {
      runListeners.add(alerts.runListener());
    }
    Listeners listeners =
        new Listeners(runListeners, List.of(in.airtableListener(), metrics.airtableListener()));
    Map<String, RunPlan> plans = plans(in, checks, limits, listeners);
    plans.values().forEach(plan -> opened.add(plan.client()));
    // One virtual thread per fetch task: a fetch spends its time waiting for a slot of its base
    // and its token, or for Airtable's answer, so a fixed pool would cap every run in the process
    // at its size (8 threads held 100 bases to 22-29 requests/s, issue 19). How much goes out is
    // the rate limiters' business.
    ExecutorService fetchPool =
        Executors.newThreadPerTaskExecutor(Threads.virtual("integrity-fetch"));
    opened.add(fetchPool::shutdownNow);
    // Checking is CPU work: platform threads, one per core, so that it never sits on the carriers
    // of the fetches' virtual threads (a fetch let through the send check and then kept waiting
    // for a carrier reaches Airtable late, bunched with the next ones: 429s at the token's limit).
    ExecutorService checkPool =
        Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(), Threads.named("integrity-check"));
    opened.add(checkPool::shutdownNow);
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(2, Threads.named("integrity-timer"));
    timers.setRemoveOnCancelPolicy(true);
    opened.add(timers::shutdownNow);
    ExecutorService runPool = Executors.newCachedThreadPool(Threads.named("integrity-run"));
    opened.add(runPool::shutdownNow);
    RunEngine engine =
        new RunEngine(
            store,
            RunSettings.of(limits.maxRunDuration(), limits.heartbeatInterval()),
            in.ticker(),
            fetchPool,
            checkPool,
            timers,
            in.ownerId(),
            listeners,
            in.clock(),
            in.runProbe());
    Reaper reaper = new Reaper(store, in.clock(), ReaperSettings.from(limits));
    RunEnded runEnded = new RunEnded(store, metrics, listeners);
    Service service = null;
    if (in.serving() != null) {
      RunLauncher launcher = new RunLauncher(engine, runPool);
      ScheduleService schedules =
          new ScheduleService(
              store,
              in.clock(),
              ScheduleSettings.defaults(in.ownerId())
                  .withPollingInterval(in.settings().schedulePolling())
                  .withLockAndFetch(store.dialect() == Dialect.POSTGRESQL)
                  .withHeartbeat(limits.heartbeatInterval(), limits.heartbeatStale())
                  .withThreads(in.settings().scheduledRunsPerInstance())
                  .withRunDeadline(limits.maxRunDuration()),
              new Firing(plans, launcher, metrics, alerts));
      WebServer web =
          new WebServer(
              new ServiceBackend(
                  store,
                  plans,
                  engine,
                  launcher,
                  schedules,
                  alerts,
                  metrics,
                  new Costs(store, plans, in.clock())),
              WebSettings.defaults(in.clock())
                  .withHost(in.serving().host())
                  .withPort(in.serving().port())
                  .withApiToken(in.settings().apiToken()));
      ReaperService sweeps =
          new ReaperService(
              reaper,
              timers,
              ReaperService.cadence(limits.sweepInterval(), limits.heartbeatInterval()),
              runEnded);
      service =
          new Service(
              alerts,
              schedules,
              sweeps,
              web,
              timers,
              in.serving().alertInterval(),
              in.serving().storeRetryWithin());
    }
    return new Graph(
        store, plans, listeners, metrics, engine, reaper, runEnded, fetchPool, checkPool, timers,
        runPool, service, alertHttp);
  }

  private static Map<String, CheckEngine> compile(List<IntegrityConfig> configs) {
    Map<String, CheckEngine> engines = new LinkedHashMap<>();
    for (IntegrityConfig config : configs) {
      String baseId = config.airtable().baseId();
      if (engines.containsKey(baseId)) {
        throw new IntegrityException(
            "base " + baseId + " is configured twice (" + config.source() + ")");
      }
      engines.put(baseId, CheckEngine.compile(config));
    }
    return engines;
  }

  /**
   * One client per base; one set of limiters for the process, so bases sharing a token share its
   * cap.
   */
  private static Map<String, RunPlan> plans(
      Inputs in, Map<String, CheckEngine> checks, Limits limits, AirtableListener listener) {
    Map<String, RunPlan> plans = new LinkedHashMap<>();
    AirtableRateLimits rateLimits = new AirtableRateLimits(in.ticker());
    for (IntegrityConfig config : in.configs()) {
      AirtableClient client =
          Clients.shared(
              limits,
              config.airtable().baseUrl(),
              config.airtable().token(),
              in.ticker(),
              in.clock(),
              listener,
              rateLimits);
      String baseId = config.airtable().baseId();
      plans.put(baseId, new RunPlan(config, checks.get(baseId), client));
    }
    return Collections.unmodifiableMap(plans);
  }

  /**
   * Each base's alerts go to its own config's channels, with its own new-fail-issues switch and
   * repeatAfter; alerts about an entity with an owner go to the owner's channels.
   */
  private static AlertService alerts(
      List<IntegrityConfig> configs,
      Service.Options serving,
      Limits limits,
      Store store,
      OkHttpClient http,
      Metrics metrics,
      Clock clock) {
    return new AlertService(
        store,
        clock,
        AlertSettings.of(limits, null, serving.dashboardUrl()),
        AlertChannels.routesOf(configs, http, ChannelTimeouts.defaults(), clock),
        AlertService.newDeliveryPool(),
        AlertService.newRetryTimers(),
        metrics);
  }
}
