package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.common.CancelOutcome;
import dev.integrity.config.EntityConfig;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.Store;
import dev.integrity.store.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and executes runs: claims a queued run, fetches its entities concurrently under the
 * base's rate limit, checks them, and ends it exactly once (succeeded, error, timeout or cancelled)
 * whatever races between completion, deadline, cancel and reaper. Thread-safe: runs of different
 * bases execute side by side.
 */
public final class RunEngine {
  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);

  private final Store store;
  private final Parts parts;
  private final Map<String, RunLifecycle> active = new ConcurrentHashMap<>();

  /** What every run of this engine shares; immutable. */
  record Parts(
      Store store,
      RunSettings settings,
      Ticker ticker,
      ExecutorService fetchPool,
      ExecutorService checkPool,
      ScheduledExecutorService timers,
      String ownerId,
      RunListener listener,
      Clock clock,
      RunProbe probe) {}

  /**
   * @param fetchPool runs one task per entity being fetched, which mostly waits (for a rate slot,
   *     for Airtable): virtual threads, so that no thread count caps the runs; owned by the caller
   * @param checkPool runs the checks and persisting of fetched entities, CPU work that must not
   *     hold the carriers of the fetches' virtual threads (a fetch admitted to send and then kept
   *     off its carrier would reach Airtable late and bunched); owned by the caller
   * @param timers fires deadlines and heartbeats; owned by the caller
   * @param ownerId identifies this process in the store (host, pid, instance)
   * @param clock wall-clock time for webhook expiries (incremental runs)
   * @param probe told as each run enters each stage; {@link RunProbe#none()} but in fault-injection
   *     tests and soaks
   */
  public RunEngine(
      Store store,
      RunSettings settings,
      Ticker ticker,
      ExecutorService fetchPool,
      ExecutorService checkPool,
      ScheduledExecutorService timers,
      String ownerId,
      RunListener listener,
      Clock clock,
      RunProbe probe) {
    this.store = store;
    this.parts =
        new Parts(
            store, settings, ticker, fetchPool, checkPool, timers, ownerId, listener, clock, probe);
  }

  /**
   * Creates a queued run of the plan's base for the given entities (all when empty).
   *
   * @throws UnknownEntityException when an entity is not in the config
   * @throws dev.integrity.store.ActiveRunExistsException when the base already has an active run
   */
  public RunRecord submit(RunPlan plan, Trigger trigger, String schedule, List<String> entities) {
    return submit(plan, trigger, schedule, entities, RunMode.FULL);
  }

  /**
   * As {@link #submit(RunPlan, Trigger, String, List)}, asking for {@code mode}: an incremental run
   * may still do a full scan (its first one, or a fallback), and then says why.
   */
  public RunRecord submit(
      RunPlan plan, Trigger trigger, String schedule, List<String> entities, RunMode mode) {
    List<String> selected = select(plan, entities);
    RunRecord created = store.runs().create(plan.baseId(), trigger, schedule, selected);
    RunRecord queued = created;
    if (mode != RunMode.FULL) {
      store.runs().setMode(created.id(), mode, null);
      queued = store.runs().find(created.id()).orElse(created);
    }
    RunRecord submitted = queued;
    safely(() -> parts.listener().onRunSubmitted(submitted));
    return queued;
  }

  /** Claims and executes a queued run on the calling thread; returns its final record. */
  public RunRecord execute(RunPlan plan, String runId) {
    RunRecord queued =
        store.runs().find(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
    Transition claim = store.runs().claim(runId, parts.ownerId());
    if (!claim.applied()) {
      log.warn("run {} could not be claimed: it is already {}", runId, queued.status().wire());
      return store.runs().find(runId).orElseThrow();
    }
    RunPipeline run;
    try {
      run = new RunPipeline(queued, plan, parts);
    } catch (RuntimeException e) {
      // Claimed but unable to start: end it now rather than leave it to the reaper.
      log.error("run {} could not start", runId, e);
      store.runs().finish(runId, RunStatus.ERROR, "could not start: " + e);
      return store.runs().find(runId).orElseThrow();
    }
    active.put(runId, run.lifecycle());
    try {
      run.execute();
    } finally {
      active.remove(runId);
    }
    RunRecord ended = store.runs().find(runId).orElseThrow();
    safely(() -> parts.listener().onRunEnded(ended));
    return ended;
  }

  /**
   * Cancels a run: at once when this process owns it, else through the store (its owner stops at
   * its next heartbeat).
   */
  public CancelOutcome cancel(String runId) {
    RunLifecycle run = active.get(runId);
    if (run != null && run.end(RunStatus.CANCELLED, "cancelled by request")) {
      return CancelOutcome.CANCELLED;
    }
    return switch (store.runs().requestCancel(runId)) {
      case REQUESTED -> requested(runId);
      case CANCELLED -> CancelOutcome.CANCELLED;
      case ALREADY_ENDED -> CancelOutcome.ALREADY_ENDED;
      case NOT_FOUND -> CancelOutcome.NOT_FOUND;
    };
  }

  /**
   * A cancel request is in the store. The run may have become active here meanwhile (it was being
   * claimed when the cancel came) or may have ended: settle it now, or say what the store says.
   */
  private CancelOutcome requested(String runId) {
    RunLifecycle late = active.get(runId);
    if (late != null && late.end(RunStatus.CANCELLED, "cancelled by request")) {
      return CancelOutcome.CANCELLED;
    }
    RunStatus now = store.runs().find(runId).map(RunRecord::status).orElse(RunStatus.RUNNING);
    if (now == RunStatus.CANCELLED) {
      return CancelOutcome.CANCELLED;
    }
    return now.terminal() ? CancelOutcome.ALREADY_ENDED : CancelOutcome.REQUESTED;
  }

  /** Ids of the runs this process is executing now. */
  public List<String> activeRunIds() {
    return List.copyOf(active.keySet());
  }

  private static List<String> select(RunPlan plan, List<String> requested) {
    Map<String, EntityConfig> defined = plan.config().entities();
    if (requested == null || requested.isEmpty()) {
      return List.copyOf(defined.keySet());
    }
    List<String> unknown = new ArrayList<>();
    for (String name : requested) {
      if (!defined.containsKey(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw new UnknownEntityException(
          plan.config().source(), unknown, List.copyOf(defined.keySet()));
    }
    // Keep the config's order so output is stable whatever order the user typed.
    return defined.keySet().stream().filter(requested::contains).toList();
  }

  static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("run listener failed: {}", e.toString());
    }
  }
}
