package dev.integrity.schedule;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.logging.LogLevel;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTaskWithPersistentSchedule;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.PersistentCronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import dev.integrity.config.ScheduleConfig;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.ScheduleView;
import dev.integrity.store.Dialect;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.store.StoreException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires runs on cron schedules through db-scheduler: each schedule is one instance of a recurring
 * task with a persistent cron schedule, so a fire runs once across all processes sharing the
 * database, missed fires after downtime collapse into one, and fires never queue up (a fire while
 * the base is busy is skipped and recorded). A fire holds its db-scheduler worker until its run has
 * ended: the worker is the unit of work, so an instance carries at most {@code threads} scheduled
 * runs, lock-and-fetch polling leaves the other due fires to the other instances, and a fire whose
 * instance died is found by db-scheduler's dead-execution detection and fires again at its next
 * time. One per process; thread-safe.
 */
public final class ScheduleService implements AutoCloseable {
  /** db-scheduler's task name; the instance id is the schedule name. */
  static final String TASK_NAME = "integrity-schedule";

  static final String SOURCE_CONFIG = "config";
  static final String SOURCE_API = "api";

  private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);

  private final Store store;
  private final ScheduleSettings settings;
  private final RecurringTaskWithPersistentSchedule<PersistentCronSchedule> task;
  private final Scheduler scheduler;
  private final Object lock = new Object();
  private State state = State.NEW;

  private enum State {
    NEW,
    STARTED,
    CLOSED
  }

  /**
   * @param clock wall-clock time for db-scheduler (when fires are due) and fire records; tests pass
   *     a settable one
   * @throws IllegalArgumentException when {@code lockAndFetch} is asked of a SQLite store
   */
  public ScheduleService(Store store, Clock clock, ScheduleSettings settings, FireHandler handler) {
    this.store = Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    FireExecution fires =
        new FireExecution(store, clock, settings, Objects.requireNonNull(handler, "handler"));
    if (settings.lockAndFetch() && store.dialect() != Dialect.POSTGRESQL) {
      throw new IllegalArgumentException(
          "lock-and-fetch polling needs PostgreSQL; the store is "
              + store.dialect().name().toLowerCase(java.util.Locale.ROOT)
              + " (SQLite serves one instance: use plain fetch polling)");
    }
    this.task =
        Tasks.recurringWithPersistentSchedule(
                TaskDescriptor.of(TASK_NAME, PersistentCronSchedule.class))
            .onDeadExecution(fires::deadExecution)
            .executeStateful(fires::execute);
    SchedulerBuilder builder =
        Scheduler.create(store.dataSource(), task)
            // cron-utils keeps the sub-second part of the time a fire completed, so a fire done at
            // 12:01:00.620 would next be due at 12:02:00.620; whole seconds keep fires (and the
            // next fire times the API shows) on the cron grid.
            .clock(() -> clock.instant().truncatedTo(ChronoUnit.SECONDS))
            .schedulerName(new SchedulerName.Fixed(settings.instanceName()))
            .threads(settings.threads())
            .pollingInterval(settings.pollingInterval())
            .shutdownMaxWait(settings.shutdownMaxWait())
            .heartbeatInterval(settings.heartbeatInterval())
            .missedHeartbeatsLimit(settings.missedHeartbeats())
            .failureLogging(LogLevel.WARN, true);
    if (settings.lockAndFetch()) {
      builder.pollUsingLockAndFetch(0.5, 1.0);
    }
    this.scheduler = builder.build();
  }

  /**
   * Schedules every enabled stored schedule (keeping the fire time each already has, so one missed
   * during downtime fires once now), unschedules those deleted or disabled, and starts polling.
   */
  public void start() {
    synchronized (lock) {
      switch (state) {
        case STARTED -> {
          return;
        }
        case CLOSED -> throw new IllegalStateException("the schedule service is closed");
        case NEW -> {}
      }
      reconcile();
      scheduler.start();
      state = State.STARTED;
      log.info(
          "schedules started: instance {}, polling every {}{}",
          settings.instanceName(),
          settings.pollingInterval(),
          settings.lockAndFetch() ? " (lock and fetch)" : "");
    }
  }

  /**
   * Stores the base's schedules from its config file (source {@code config}) and schedules them;
   * config schedules of the base that the file no longer has are deleted. Schedules created through
   * the API are left alone. A schedule whose cron and zone are unchanged keeps its pending fire
   * time, so a fire missed while the service was down runs once now.
   *
   * @throws ScheduleException naming the first invalid schedule; nothing is changed then
   */
  public void sync(String baseId, List<ScheduleConfig> fromConfig) {
    Objects.requireNonNull(fromConfig, "fromConfig");
    syncRows(
        baseId,
        fromConfig.stream()
            .map(
                c ->
                    new ScheduleRow(
                        c.name(),
                        baseId,
                        c.cron(),
                        c.timezone().getId(),
                        c.entities(),
                        true,
                        SOURCE_CONFIG,
                        null,
                        null,
                        c.incremental() ? RunMode.INCREMENTAL : RunMode.FULL))
            .toList());
  }

  private void syncRows(String baseId, List<ScheduleRow> fromConfig) {
    Crons.requireBase(null, baseId);
    List<ScheduleRow> rows = new ArrayList<>();
    for (ScheduleRow row : fromConfig) {
      ScheduleRow normalized =
          new ScheduleRow(
              row.name(),
              baseId,
              row.cron(),
              row.timezone(),
              row.entities(),
              true,
              SOURCE_CONFIG,
              null,
              null,
              row.mode());
      validate(normalized);
      rows.add(normalized);
    }
    synchronized (lock) {
      Set<String> names = new HashSet<>();
      for (ScheduleRow row : rows) {
        names.add(row.name());
        ensureScheduled(store.schedules().upsert(row));
      }
      for (ScheduleRow stored : store.schedules().list()) {
        if (baseId.equals(stored.baseId())
            && SOURCE_CONFIG.equals(stored.source())
            && !names.contains(stored.name())) {
          log.info(
              "schedule {} is no longer in the config of base {}: deleted", stored.name(), baseId);
          deleteLocked(stored.name());
        }
      }
    }
  }

  /**
   * Creates or replaces a schedule (source {@code api} unless the row says otherwise) and schedules
   * it; a disabled one stays stored but never fires. A schedule whose cron and zone are unchanged
   * keeps its next fire time.
   *
   * @throws ScheduleException when the name, base, cron or time zone is invalid
   */
  public ScheduleRow put(ScheduleRow row) {
    ScheduleRow normalized = normalize(row);
    synchronized (lock) {
      ScheduleRow stored = store.schedules().upsert(normalized);
      ensureScheduled(stored);
      logSaved(stored);
      return stored;
    }
  }

  /**
   * Creates a schedule only if none of that name exists (one conditional insert in the store, so
   * concurrent creations through several instances cannot both win) and schedules it.
   *
   * @return the created row, or empty when the name was taken
   * @throws ScheduleException when the name, base, cron or time zone is invalid
   */
  public Optional<ScheduleRow> create(ScheduleRow row) {
    ScheduleRow normalized = normalize(row);
    synchronized (lock) {
      Optional<ScheduleRow> stored = store.schedules().insertIfAbsent(normalized);
      stored.ifPresent(
          s -> {
            ensureScheduled(s);
            logSaved(s);
          });
      return stored;
    }
  }

  private void logSaved(ScheduleRow stored) {
    log.info(
        "schedule {} saved: base {}, cron '{}' in {}, {} runs, {}",
        stored.name(),
        stored.baseId(),
        stored.cron(),
        stored.timezone(),
        stored.mode().wire(),
        stored.enabled() ? "enabled" : "disabled");
  }

  private ScheduleRow normalize(ScheduleRow row) {
    Objects.requireNonNull(row, "row");
    ScheduleRow normalized =
        new ScheduleRow(
            row.name(),
            row.baseId(),
            row.cron() == null ? null : row.cron().trim(),
            row.timezone() == null ? null : row.timezone().trim(),
            row.entities(),
            row.enabled(),
            row.source() == null || row.source().isBlank() ? SOURCE_API : row.source(),
            null,
            null,
            row.mode());
    validate(normalized);
    return normalized;
  }

  /**
   * Deletes the schedule and its pending fire (its fire history stays); false when there was none.
   */
  public boolean delete(String name) {
    synchronized (lock) {
      return deleteLocked(name);
    }
  }

  private boolean deleteLocked(String name) {
    boolean deleted = store.schedules().delete(name);
    unschedule(name);
    if (deleted) {
      log.info("schedule {} deleted", name);
    }
    return deleted;
  }

  /**
   * Every schedule by name as the API shows it, with its last run, next fire time and skips in a
   * row.
   */
  public List<ScheduleView> list() {
    return store.schedules().list().stream().map(this::view).toList();
  }

  /** One schedule as the API shows it, or empty when there is none of that name. */
  public Optional<ScheduleView> find(String name) {
    return store.schedules().find(name).map(this::view);
  }

  /** Stops db-scheduler, waiting for fires in progress at most {@code shutdownMaxWait}. */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      boolean started = state == State.STARTED;
      state = State.CLOSED;
      // Also when never started: stop() shuts down the executors db-scheduler built.
      scheduler.stop();
      if (started) {
        log.info("schedules stopped: instance {}", settings.instanceName());
      }
    }
  }

  /** Polls for due fires now instead of at the end of the polling interval. */
  void checkNow() {
    scheduler.triggerCheckForDueExecutions();
  }

  // -------------------------------------------------------------------------- db-scheduler state

  private void reconcile() {
    Set<String> enabled = new HashSet<>();
    for (ScheduleRow row : store.schedules().list()) {
      if (row.enabled()) {
        enabled.add(row.name());
      }
      try {
        ensureScheduled(row);
      } catch (ScheduleException e) {
        // A row stored by an older or buggy writer must not keep the others from firing.
        log.error(
            "stored schedule {} is invalid and does not fire: {}", row.name(), e.getMessage());
        unschedule(row.name());
      }
    }
    List<String> orphans = new ArrayList<>();
    scheduler.fetchScheduledExecutionsForTask(
        TASK_NAME,
        PersistentCronSchedule.class,
        execution -> {
          String name = execution.getTaskInstance().getId();
          if (!enabled.contains(name)) {
            orphans.add(name);
          }
        });
    orphans.forEach(this::unschedule);
  }

  private void ensureScheduled(ScheduleRow row) {
    TaskInstanceId id = TaskInstanceId.of(TASK_NAME, row.name());
    if (!row.enabled()) {
      unschedule(row.name());
      return;
    }
    PersistentCronSchedule desired = FireExecution.data(row);
    Optional<ScheduledExecution<Object>> existing =
        dbScheduler(() -> scheduler.getScheduledExecution(id), row.name());
    if (existing.isEmpty()) {
      boolean created =
          dbScheduler(
              () -> scheduler.scheduleIfNotExists(task.schedulableInstance(row.name(), desired)),
              row.name());
      if (created) {
        log.info("schedule {} scheduled: cron '{}' in {}", row.name(), row.cron(), row.timezone());
      }
      return;
    }
    if (sameSchedule(existing.get().getData(), desired)) {
      // Keep its pending fire time: a fire missed during downtime is due now and runs once.
      return;
    }
    try {
      dbScheduler(
          () -> scheduler.reschedule(task.schedulableInstance(row.name(), desired)), row.name());
      log.info("schedule {} rescheduled: cron '{}' in {}", row.name(), row.cron(), row.timezone());
    } catch (TaskInstanceCurrentlyExecutingException e) {
      // The fire in progress returns the stored definition, so the change applies from its next
      // fire.
      log.info(
          "schedule {} is firing right now; its new cron applies from the next fire", row.name());
    }
  }

  private void unschedule(String name) {
    TaskInstanceId id = TaskInstanceId.of(TASK_NAME, name);
    try {
      if (dbScheduler(() -> scheduler.getScheduledExecution(id), name).isPresent()) {
        dbScheduler(
            () -> {
              scheduler.cancel(id);
              return null;
            },
            name);
        log.info("schedule {} unscheduled: no pending fire", name);
      }
    } catch (TaskInstanceCurrentlyExecutingException e) {
      // The fire in progress finds the schedule gone or disabled and returns "never".
      log.info("schedule {} is firing right now; it will not fire again", name);
    } catch (RuntimeException e) {
      // A concurrent delete by another instance is fine; anything else is reported.
      if (dbScheduler(() -> scheduler.getScheduledExecution(id), name).isPresent()) {
        throw e;
      }
    }
  }

  private static boolean sameSchedule(Object stored, PersistentCronSchedule desired) {
    if (!(stored instanceof PersistentCronSchedule persistent)) {
      return false;
    }
    Schedule schedule = persistent.getSchedule();
    return schedule != null && schedule.equals(desired.getSchedule());
  }

  private interface SchedulerCall<T> {
    T call();
  }

  /** Runs a db-scheduler call, turning its database failures into a {@link StoreException}. */
  private <T> T dbScheduler(SchedulerCall<T> call, String name) {
    try {
      return call.call();
    } catch (TaskInstanceCurrentlyExecutingException e) {
      throw e;
    } catch (com.github.kagkarlsson.shaded.jdbc.SQLRuntimeException e) {
      throw new StoreException(
          "db-scheduler could not update schedule " + name + " in the store: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------------------------------- views

  private ScheduleView view(ScheduleRow row) {
    int skips = store.schedules().consecutiveSkips(row.name());
    // The newest started fire comes right after the skips in a row, newest first.
    List<FireRow> fires = store.schedules().fires(row.name(), skips + 1);
    FireRow lastFire = fires.isEmpty() ? null : fires.getFirst();
    Optional<RunRecord> lastRun =
        fires.stream()
            .filter(f -> FireRow.STARTED.equals(f.outcome()) && f.runId() != null)
            .findFirst()
            .flatMap(f -> store.runs().find(f.runId()));
    Instant next = null;
    if (row.enabled()) {
      next =
          dbScheduler(
                  () -> scheduler.getScheduledExecution(TaskInstanceId.of(TASK_NAME, row.name())),
                  row.name())
              .map(ScheduledExecution::getExecutionTime)
              .filter(at -> at.isBefore(Schedule.NEVER))
              .orElse(null);
    }
    // The one place a stored schedule, its fires and its last run become the API's flat values.
    return new ScheduleView(
        row.name(),
        row.baseId(),
        row.cron(),
        row.timezone(),
        row.entities(),
        row.enabled(),
        row.mode().wire(),
        lastRun.map(RunRecord::id).orElse(null),
        lastRun.map(r -> r.status().wire()).orElse(null),
        next,
        skips,
        lastFire == null
            ? null
            : new ScheduleView.LastFire(
                lastFire.firedAt(), lastFire.outcome(), lastFire.runId(), lastFire.reason()));
  }

  private static void validate(ScheduleRow row) {
    Crons.requireName(row.name());
    Crons.requireBase(row.name(), row.baseId());
    Crons.schedule(row.name(), row.cron(), row.timezone());
  }
}
