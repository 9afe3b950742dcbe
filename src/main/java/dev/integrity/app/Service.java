package dev.integrity.app;

import dev.integrity.Threads;
import dev.integrity.alert.AlertChannels;
import dev.integrity.alert.AlertService;
import dev.integrity.alert.AlertSettings;
import dev.integrity.alert.ChannelTimeouts;
import dev.integrity.config.AlertsConfig;
import dev.integrity.metrics.Metrics;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.reaper.Reaped;
import dev.integrity.reaper.Reaper;
import dev.integrity.reaper.ReaperListener;
import dev.integrity.reaper.ReaperService;
import dev.integrity.reaper.ReaperSettings;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunPlan;
import dev.integrity.schedule.FireOutcome;
import dev.integrity.schedule.ScheduleService;
import dev.integrity.schedule.ScheduleSettings;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.Dialect;
import dev.integrity.web.WebServer;
import dev.integrity.web.WebSettings;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on service: schedules, the hung-run reaper, alerts, metrics and the web server on top
 * of an {@link IntegrityApp}. Starting wires everything in one place; {@link #close()} stops each
 * part within a bound and cancels the runs this process still executes. Thread-safe.
 */
public final class Service implements AutoCloseable {
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final IntegrityApp app;
  private final ExecutorService runPool;
  private final Metrics metrics;
  private final AlertService alerts;
  private final ScheduleService schedules;
  private final ReaperService reaper;
  private final WebServer web;
  private final OkHttpClient alertHttp;
  private final ScheduledFuture<?> alertTicker;

  /** How the service is exposed and paced. */
  public record Options(String host, int port, Duration schedulePolling, Duration alertInterval) {
    public static Options of(String host, int port) {
      return new Options(host, port, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public Options withSchedulePolling(Duration polling) {
      return new Options(host, port, polling, alertInterval);
    }
  }

  private Service(IntegrityApp app, Options options) {
    this.app = app;
    this.runPool = Executors.newCachedThreadPool(Threads.named("integrity-run"));
    this.metrics = new Metrics(app.store(), app.clock());
    app.listeners().add(metrics.runListener());
    app.listeners().add(metrics.airtableListener());

    String dashboard = "http://" + displayHost(options.host()) + ":" + options.port();
    this.alertHttp = new OkHttpClient.Builder().build();
    // Each base's alerts go to its own config's channels, with its own new-fail-issues switch.
    Map<String, AlertsConfig> alertConfigs = new LinkedHashMap<>();
    app.plans().forEach((baseId, plan) -> alertConfigs.put(baseId, plan.config().alerts()));
    this.alerts =
        new AlertService(
            app.store(),
            app.clock(),
            AlertSettings.of(app.limits(), null, dashboard),
            AlertChannels.routes(alertConfigs, alertHttp, ChannelTimeouts.defaults(), app.clock()),
            AlertService.newDeliveryPool(),
            AlertService.newRetryTimers(),
            metrics);
    app.listeners().add(alerts.runListener());

    Reaper sweeper = new Reaper(app.store(), app.clock(), ReaperSettings.from(app.limits()));
    this.reaper =
        new ReaperService(
            sweeper,
            app.timers(),
            app.limits().sweepInterval(),
            new ReaperListener() {
              @Override
              public void onReaped(Reaped r) {
                metrics.onReaped(r.reason().name().toLowerCase(java.util.Locale.ROOT));
                app.store().runs().find(r.runId()).ifPresent(run -> alerts.onRunEnded(run, null));
              }
            });

    ScheduleSettings scheduleSettings =
        ScheduleSettings.defaults(app.ownerId())
            .withPollingInterval(options.schedulePolling())
            .withLockAndFetch(app.store().dialect() == Dialect.POSTGRESQL);
    this.schedules = new ScheduleService(app.store(), app.clock(), scheduleSettings, this::fire);

    WebSettings webSettings =
        WebSettings.defaults(app.clock())
            .withHost(options.host())
            .withPort(options.port())
            .withApiToken(app.env().apiToken());
    this.web = new WebServer(new ServiceBackend(app, this), webSettings);

    this.alertTicker =
        app.timers()
            .scheduleWithFixedDelay(
                this::evaluateAlerts,
                options.alertInterval().toMillis(),
                options.alertInterval().toMillis(),
                TimeUnit.MILLISECONDS);
  }

  /**
   * Starts every part: the reaper sweeps once at start, config schedules are synced, then the web
   * server binds (refusing a non-loopback host without INTEGRITY_API_TOKEN).
   */
  public static Service start(IntegrityApp app, Options options) {
    Service service = new Service(app, options);
    try {
      service.reaper.start();
      service.schedules.start();
      for (RunPlan plan : app.plans().values()) {
        service.schedules.sync(plan.baseId(), plan.config().schedules());
      }
      service.web.start();
      log.info(
          "serving {} base(s) {} on {} (store {})",
          app.plans().size(),
          app.plans().keySet(),
          service.web.url(),
          app.store().dialect());
      return service;
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
  }

  public URI url() {
    return web.url();
  }

  public int port() {
    return web.port();
  }

  Metrics metrics() {
    return metrics;
  }

  AlertService alerts() {
    return alerts;
  }

  ScheduleService schedules() {
    return schedules;
  }

  /**
   * Creates a queued run and executes it on the run pool.
   *
   * @throws ActiveRunExistsException when the base already has an active run
   */
  RunRecord launch(RunPlan plan, Trigger trigger, String schedule, List<String> entities) {
    return launch(plan, trigger, schedule, entities, RunMode.FULL);
  }

  RunRecord launch(
      RunPlan plan, Trigger trigger, String schedule, List<String> entities, RunMode mode) {
    RunRecord queued = app.engine().submit(plan, trigger, schedule, entities, mode);
    runPool.execute(
        () -> {
          try {
            app.engine().execute(plan, queued.id());
          } catch (RuntimeException e) {
            log.error("run {} failed to execute", queued.id(), e);
          }
        });
    return queued;
  }

  private FireOutcome fire(String schedule, String baseId, List<String> entities, RunMode mode) {
    RunPlan plan = app.plans().get(baseId);
    FireOutcome outcome;
    if (plan == null) {
      outcome = new FireOutcome.Skipped("base " + baseId + " is not served by this process", null);
    } else {
      try {
        // The mode stored with the schedule (synced from the config, or set through the API).
        outcome =
            new FireOutcome.Started(launch(plan, Trigger.SCHEDULE, schedule, entities, mode).id());
      } catch (ActiveRunExistsException e) {
        outcome = FireOutcome.Skipped.activeRun(baseId, e.activeRunId());
      }
    }
    boolean skipped = outcome instanceof FireOutcome.Skipped;
    String reason = outcome instanceof FireOutcome.Skipped s ? s.reason() : null;
    if (skipped) {
      metrics.onScheduleSkipped(schedule);
    }
    alerts.onScheduleFire(schedule, baseId, skipped, reason);
    return outcome;
  }

  private void evaluateAlerts() {
    try {
      alerts.evaluate();
    } catch (RuntimeException e) {
      log.warn("alert evaluation failed; trying again next tick: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    alertTicker.cancel(false);
    closeQuietly("web server", web);
    closeQuietly("schedules", schedules);
    closeQuietly("reaper", reaper);
    RunEngine engine = app.engine();
    for (String runId : engine.activeRunIds()) {
      log.warn("stopping: cancelling run {} so it does not stay running", runId);
      engine.cancel(runId);
    }
    Threads.shutdown(runPool, "run pool", Duration.ofSeconds(10));
    closeQuietly("alerts", alerts);
    alertHttp.dispatcher().executorService().shutdown();
    alertHttp.connectionPool().evictAll();
  }

  private static void closeQuietly(String name, AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      log.warn("stopping the {} failed: {}", name, e.toString());
    }
  }

  private static String displayHost(String host) {
    return host == null || host.isBlank() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
  }
}
