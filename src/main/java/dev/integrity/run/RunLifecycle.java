package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.airtable.FetchControl;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunStatus;
import dev.integrity.store.Heartbeat;
import dev.integrity.store.Store;
import dev.integrity.store.Transition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The lifecycle arbiter of one run: its state, its one {@link #end}, its deadline, heartbeat and
 * cancel. Whatever a worker throws reaches it ({@link #entityFailed}, {@link #runFailed}) and ends
 * the entity or the run {@code error}; it refuses {@code succeeded} unless every planned entity is
 * checked. The pipeline ({@link RunPipeline}) does the work and knows nothing of timers or the
 * store's run row, the way db-scheduler keeps executing apart from heartbeats and dead-execution
 * detection. Thread-safe: workers, timers and cancel callers touch it.
 */
final class RunLifecycle {
  private static final Logger log = LoggerFactory.getLogger(RunLifecycle.class);

  /** The pipeline's part of a succeeded ending: its mirror edits commit with the run's row. */
  interface Completion {
    /** Runs inside the transaction that saves a succeeded ending. */
    void inEndingTransaction();

    /** Runs once that transaction committed. */
    void afterSaved();
  }

  private final String runId;
  private final Store store;
  private final RunSettings settings;
  private final Ticker ticker;
  private final ScheduledExecutorService timers;
  private final String ownerId;
  private final RunListener listener;
  private final RunProbe probe;
  private final RunEntities entities;
  private final long startNanos;

  private final FetchControl control = FetchControl.create();
  private final RunEnding ending = new RunEnding();
  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicBoolean progressed = new AtomicBoolean();
  private volatile Completion completion;
  private volatile Long callBudget;
  private volatile long callsSaved = -1;
  private volatile ScheduledFuture<?> deadline;
  private volatile ScheduledFuture<?> heartbeat;

  RunLifecycle(String runId, List<EntityState> states, RunEngine.Parts parts) {
    this.runId = runId;
    this.store = parts.store();
    this.settings = parts.settings();
    this.ticker = parts.ticker();
    this.timers = parts.timers();
    this.ownerId = parts.ownerId();
    this.listener = parts.listener();
    this.probe = parts.probe();
    this.entities = new RunEntities(states, this::persist);
    this.startNanos = ticker.nanoTime();
  }

  String id() {
    return runId;
  }

  RunEntities entities() {
    return entities;
  }

  FetchControl control() {
    return control;
  }

  RunProbe probe() {
    return probe;
  }

  boolean ended() {
    return ending.ended();
  }

  /** Ticker time of the ending; 0 while the run goes on. */
  long endedNanos() {
    return ending.endedNanos();
  }

  String phase() {
    return phase.get();
  }

  void phase(String now) {
    phase.set(now);
  }

  /** Some entity fetched a page since the last heartbeat. */
  void progressed() {
    progressed.set(true);
  }

  /** The base's monthly call budget (null: none), saved with the run's API calls. */
  void callBudget(Long calls) {
    this.callBudget = calls;
  }

  /**
   * Saves the API calls sent so far when they changed (each heartbeat, and once the run has ended,
   * so that a run the reaper ends keeps the calls of its last beat). Never throws: the count is
   * worth less than the run.
   */
  private void saveCalls() {
    long calls = control.calls();
    if (calls == callsSaved) {
      return;
    }
    try {
      store.runs().recordApiCalls(runId, calls, callBudget);
      callsSaved = calls;
    } catch (RuntimeException e) {
      log.warn("run {}: could not save its API calls: {}", runId, e.toString());
    }
  }

  /** Set once the pipeline knows its mode; a succeeded ending commits it. */
  void completion(Completion completion) {
    this.completion = completion;
  }

  /** Runs {@code commit} unless the run has ended; see {@link RunEnding#commitUnlessEnded}. */
  boolean commitUnlessEnded(Runnable commit) {
    return ending.commitUnlessEnded(commit);
  }

  /** Starts the deadline and the heartbeat. */
  void begin() {
    deadline =
        timers.schedule(
            this::onDeadline, settings.maxRunDuration().toNanos(), TimeUnit.NANOSECONDS);
    long beat = settings.heartbeatInterval().toNanos();
    heartbeat = timers.scheduleAtFixedRate(this::onHeartbeat, beat, beat, TimeUnit.NANOSECONDS);
  }

  /** Stops the timers and waits, within the wind-down, until the ending is in the store. */
  void close() {
    ScheduledFuture<?> d = deadline;
    if (d != null) {
      d.cancel(false);
    }
    ScheduledFuture<?> h = heartbeat;
    if (h != null) {
      h.cancel(false);
    }
    try {
      if (!ending.awaitSaved(settings.windDown())) {
        log.warn("run {}: its ending was not saved within {}", runId, settings.windDown());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    saveCalls();
  }

  /**
   * Every task has run: the run succeeded only if every planned entity was checked, else it ended
   * {@code error}. A cancel requested through the store since the last heartbeat still wins: the
   * requester was told "requested", and the run has not ended yet.
   */
  void complete() {
    boolean cancelRequested =
        store.runs().find(runId).map(r -> r.cancelRequestedAt() != null).orElse(false);
    if (cancelRequested) {
      end(RunStatus.CANCELLED, "cancelled by request");
      return;
    }
    end(RunStatus.SUCCEEDED, null);
  }

  /**
   * Something was thrown while working on one entity: the entity ends {@code error} (a failed
   * fetch) or stays unchecked with its check failed; the other entities go on. Never throws.
   */
  void entityFailed(String name, RunStage stage, Throwable t) {
    try {
      EntityState entity = entities.get(name);
      if (entity == null) {
        runFailed(stage.doing(), t);
        return;
      }
      String why = RunFailure.describe(t, stage, entity.table, entity.records());
      boolean changed =
          entity.status() == EntityStatus.FETCHING
              ? entity.fail(EntityStatus.ERROR, why)
              : entity.checkFailed(why);
      if (changed) {
        persist(entity);
        logFailure(t, "{}; the other entities go on", why);
      } else if (!ending.ended()) {
        // Thrown after the entity settled (a listener, a log call): the entity keeps its state,
        // but the run must not read as a clean success.
        logFailure(t, "{} after {} had settled", why, name);
        if (RunFailure.fatal(t)) {
          end(RunStatus.ERROR, why);
        }
      }
    } catch (Throwable again) {
      lastResort(t, again);
    }
  }

  /** Something was thrown outside any one entity: the run ends {@code error}. Never throws. */
  void runFailed(String doing, Throwable t) {
    try {
      String why = RunFailure.describe(t, doing, null, -1);
      logFailure(t, "run {} failed: {}", runId, why);
      end(RunStatus.ERROR, why);
    } catch (Throwable again) {
      lastResort(t, again);
    }
  }

  /**
   * Settles the run's outcome if nobody has; returns whether this call ended the run in the store.
   * A {@code succeeded} asked for while some entity is unchecked becomes {@code error}.
   *
   * @param headline why the run ended, or null when the entities say it all
   */
  boolean end(RunStatus status, String headline) {
    if (status == RunStatus.SUCCEEDED && !entities.allChecked()) {
      status = RunStatus.ERROR;
      headline = entities.anyFailed() ? null : "not every entity was checked";
    }
    if (!ending.settle(new RunEnding.Ending(status, headline), ticker.nanoTime())) {
      return false;
    }
    String outerRun = MDC.get("run");
    MDC.put("run", runId);
    try {
      return persistEnding(status, headline);
    } finally {
      if (outerRun == null) {
        MDC.remove("run");
      } else {
        MDC.put("run", outerRun);
      }
    }
  }

  private boolean persistEnding(RunStatus status, String headline) {
    if (status != RunStatus.SUCCEEDED) {
      control.cancel(headline == null ? status.wire() : headline);
    }
    Transition transition;
    String message;
    try {
      probe.at(RunStage.ENDING, null);
      entities.settle(status, headline);
      message = entities.message(status, headline);
      transition = finish(status, message);
      if (isCompletion(status)
          && transition instanceof Transition.Lost lost
          && lost.current() == RunStatus.RUNNING) {
        // A cancel was requested between the last look at the store and this save: its requester
        // was told "requested", so the run ends cancelled.
        status = RunStatus.CANCELLED;
        message = entities.message(status, "cancelled by request");
        transition = store.runs().finish(runId, status, message);
      }
    } catch (Throwable t) {
      // The ending could not be saved as decided; try once to save it as an error. If the store is
      // down, the run's heartbeat stops with this process's work and the reaper ends it.
      message = RunFailure.describe(t, RunStage.ENDING, null, -1);
      logFailure(t, "run {}: {}", runId, message);
      status = RunStatus.ERROR;
      try {
        transition = store.runs().finish(runId, status, message);
      } catch (Throwable again) {
        log.error("run {}: cannot save its ending; the reaper will end it: {}", runId, again);
        return false;
      }
    } finally {
      ending.markSaved();
    }

    long ms = TimeUnit.NANOSECONDS.toMillis(ending.endedNanos() - startNanos);
    switch (transition) {
      case Transition.Applied applied -> {
        switch (status) {
          case SUCCEEDED -> log.info("run {} succeeded in {} ms", runId, ms);
          case TIMEOUT -> log.error(RunReport.ENDING, "run {} timed out: {}", runId, message);
          case CANCELLED -> log.warn("run {} cancelled after {} ms", runId, ms);
          default ->
              log.error(RunReport.ENDING, "run {} ended {}: {}", runId, status.wire(), message);
        }
      }
      case Transition.Lost lost ->
          log.warn(
              "run {} was already {}; this process's '{}' came too late",
              runId,
              lost.current().wire(),
              status.wire());
    }
    return transition.applied();
  }

  /** The run's own completion (every task ran), which a cancel requested meanwhile overrides. */
  private static boolean isCompletion(RunStatus status) {
    return status == RunStatus.SUCCEEDED || status == RunStatus.ERROR;
  }

  /**
   * Saves the ending; a succeeded run's mirror edits (or new webhook) commit in the same
   * transaction. If those fail, the run ends {@code error} and the mirror stays as it was.
   */
  private Transition finish(RunStatus status, String message) {
    if (status != RunStatus.SUCCEEDED) {
      return isCompletion(status)
          ? store.runs().finishUnlessCancelRequested(runId, status, message)
          : store.runs().finish(runId, status, message);
    }
    Completion done = completion;
    try {
      Transition saved =
          store.inTransaction(
              "saving run " + runId + " with its mirror",
              () -> {
                if (done != null) {
                  done.inEndingTransaction();
                }
                return store.runs().finishUnlessCancelRequested(runId, status, message);
              });
      if (saved.applied() && done != null) {
        done.afterSaved();
      }
      return saved;
    } catch (RuntimeException e) {
      log.error("run {}: saving the mirror with the run failed", runId, e);
      return store.runs().finish(runId, RunStatus.ERROR, "saving the mirror failed: " + e);
    }
  }

  private void onDeadline() {
    MDC.put("run", runId);
    try {
      String message;
      try {
        probe.at(RunStage.DEADLINE, null);
        Duration limit = settings.maxRunDuration();
        message =
            String.format(
                "Run exceeded MAX_RUN_DURATION_SECONDS (%d s) after %.1f s while %s",
                limit.toSeconds(), (ticker.nanoTime() - startNanos) / 1e9, phase.get());
      } catch (Throwable t) {
        // The deadline holds even if describing it failed.
        logFailure(t, "run {}: describing its deadline failed", runId);
        message = "Run exceeded MAX_RUN_DURATION_SECONDS";
      }
      end(RunStatus.TIMEOUT, message);
    } catch (Throwable t) {
      lastResort(t, null);
    } finally {
      MDC.remove("run");
    }
  }

  private void onHeartbeat() {
    MDC.put("run", runId);
    try {
      if (ending.ended()) {
        return;
      }
      probe.at(RunStage.HEARTBEAT, null);
      Heartbeat beat = store.runs().heartbeat(runId, ownerId, progressed.getAndSet(false));
      if (!beat.stillOwned()) {
        String message = "run was ended elsewhere as " + beat.status().wire();
        if (ending.settle(new RunEnding.Ending(beat.status(), message), ticker.nanoTime())) {
          ending.markSaved();
          control.cancel(message);
          log.warn("run {}: {}; stopping its work", runId, message);
        }
        return;
      }
      if (beat.cancelRequested()) {
        end(RunStatus.CANCELLED, "cancelled by request");
        return;
      }
      saveCalls();
      for (EntityState e : entities.all()) {
        var p = e.snapshot();
        if (p.status() == EntityStatus.FETCHING) {
          log.info(
              "still fetching {}: {} records, {} pages, {} s",
              e.name,
              String.format("%,d", p.records()),
              p.pages(),
              String.format("%.1f", e.elapsedSeconds()));
        }
      }
    } catch (RuntimeException e) {
      // The store may be down for seconds: the next beat tries again, and a run whose beats stay
      // away past RUN_HEARTBEAT_STALE_SECONDS is ended by the reaper.
      log.warn("run {}: heartbeat failed: {}", runId, e.toString());
    } catch (Throwable t) {
      // An Error here would cancel the fixed-rate heartbeat silently: end the run instead.
      runFailed(RunStage.HEARTBEAT.doing(), t);
    } finally {
      MDC.remove("run");
    }
  }

  /** Saves an entity's changed state and tells the listeners; never throws an exception. */
  void persist(EntityState entity) {
    var snapshot = entity.snapshot();
    try {
      store.runs().updateEntity(snapshot);
    } catch (RuntimeException e) {
      log.warn("run {}: could not save progress of {}: {}", runId, entity.name, e.toString());
    }
    RunEngine.safely(() -> listener.onEntityProgress(runId, snapshot));
  }

  /** Logs a failure with its stack trace, unless logging itself fails (the heap may be gone). */
  private static void logFailure(Throwable t, String format, Object... args) {
    try {
      Object[] withCause = java.util.Arrays.copyOf(args, args.length + 1);
      withCause[args.length] = t;
      log.error(format, withCause);
    } catch (Throwable ignored) {
      // Nothing more can be said; the run's state carries the message.
    }
  }

  /** Handling a failure failed too: the run's heartbeat stops with it and the reaper ends it. */
  private void lastResort(Throwable first, Throwable again) {
    try {
      log.error(
          "run {}: could not record a failure ({}); its heartbeat will go stale and the reaper"
              + " will end it",
          runId,
          first,
          again);
    } catch (Throwable ignored) {
      // Out of options; see above.
    }
  }
}
