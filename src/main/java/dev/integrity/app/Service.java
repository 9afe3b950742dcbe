package dev.integrity.app;

import dev.integrity.alert.AlertService;
import dev.integrity.reaper.ReaperService;
import dev.integrity.run.RunPlan;
import dev.integrity.schedule.ScheduleService;
import dev.integrity.web.WebServer;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The always-on parts that {@link IntegrityApp} built for serving: the hung-run reaper, schedules,
 * the alert ticker and the web server. The root starts them with {@link IntegrityApp#serve()} and
 * stops them first when it closes. Thread-safe.
 */
public final class Service {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final AlertService alerts;
  private final ScheduleService schedules;
  private final ReaperService reaper;
  private final WebServer web;
  private final ScheduledExecutorService timers;
  private final Duration alertInterval;
  private final Duration storeRetryWithin;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile ScheduledFuture<?> alertTicker;

  /**
   * How the service is exposed and paced; {@code storeRetryWithin} is how long starting the
   * schedules retries a store that does not answer (a database restarting, a connection cut) before
   * the service gives up.
   */
  public record Options(String host, int port, Duration alertInterval, Duration storeRetryWithin) {
    public static final Duration DEFAULT_STORE_RETRY_WITHIN = Duration.ofSeconds(60);

    public Options {
      Objects.requireNonNull(alertInterval, "alertInterval");
      Objects.requireNonNull(storeRetryWithin, "storeRetryWithin");
    }

    public static Options of(String host, int port) {
      return new Options(host, port, Duration.ofSeconds(30), DEFAULT_STORE_RETRY_WITHIN);
    }

    public Options withStoreRetryWithin(Duration within) {
      return new Options(host, port, alertInterval, within);
    }

    /** The dashboard's address as links in alerts should show it. */
    String dashboardUrl() {
      String shown = host == null || host.isBlank() || host.equals("0.0.0.0") ? "127.0.0.1" : host;
      return "http://" + shown + ":" + port;
    }
  }

  Service(
      AlertService alerts,
      ScheduleService schedules,
      ReaperService reaper,
      WebServer web,
      ScheduledExecutorService timers,
      Duration alertInterval,
      Duration storeRetryWithin) {
    this.alerts = alerts;
    this.schedules = schedules;
    this.reaper = reaper;
    this.web = web;
    this.timers = timers;
    this.alertInterval = alertInterval;
    this.storeRetryWithin = storeRetryWithin;
  }

  /**
   * Starts every part: the reaper sweeps once at start, config schedules are synced, then the web
   * server binds (refusing a non-loopback host without INTEGRITY_API_TOKEN).
   */
  void start(Collection<RunPlan> plans) {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the service was started already");
    }
    reaper.start();
    startSchedules(plans);
    alertTicker =
        timers.scheduleWithFixedDelay(
            this::evaluateAlerts,
            alertInterval.toMillis(),
            alertInterval.toMillis(),
            TimeUnit.MILLISECONDS);
    web.start();
    log.info("serving {} base(s) on {}", plans.size(), web.url());
  }

  /**
   * Starts the schedules and syncs each config's, retrying with backoff while the store does not
   * answer, at most {@code storeRetryWithin}: a connection cut as the service starts (found by the
   * chaos soak: the process exited with "listing schedules failed") is a pause, not an exit. Both
   * steps can be repeated: the start only completes once, the sync upserts.
   */
  private void startSchedules(Collection<RunPlan> plans) {
    StoreRetry.within(
        storeRetryWithin,
        "starting the schedules",
        () -> {
          schedules.start();
          for (RunPlan plan : plans) {
            schedules.sync(plan.baseId(), plan.config().schedules());
          }
          return null;
        });
  }

  public URI url() {
    return web.url();
  }

  public int port() {
    return web.port();
  }

  ScheduleService schedules() {
    return schedules;
  }

  private void evaluateAlerts() {
    try {
      alerts.evaluate();
    } catch (RuntimeException e) {
      log.warn("alert evaluation failed; trying again next tick: {}", e.toString());
    }
  }

  /** Stops taking work: the ticker, the web server, schedules and the reaper. */
  void stopTakingWork() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ScheduledFuture<?> ticker = alertTicker;
    if (ticker != null) {
      ticker.cancel(false);
    }
    closeQuietly("web server", web);
    closeQuietly("schedules", schedules);
    closeQuietly("reaper", reaper);
  }

  /** Last: alerts raised while runs were being cancelled are still delivered within a bound. */
  void closeAlerts() {
    closeQuietly("alerts", alerts);
  }

  static void closeQuietly(String name, AutoCloseable part) {
    try {
      part.close();
    } catch (Exception e) {
      log.warn("stopping the {} failed: {}", name, e.toString());
    }
  }
}
