package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.AirtableRecord;
import dev.integrity.airtable.BaseSchema;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.TableFetch;
import dev.integrity.check.CheckEngine;
import dev.integrity.config.EntityConfig;
import dev.integrity.store.EntityProgress;
import dev.integrity.store.EntityStatus;
import dev.integrity.store.Heartbeat;
import dev.integrity.store.IssueRow;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.RunRecord;
import dev.integrity.store.RunStatus;
import dev.integrity.store.Store;
import dev.integrity.store.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One run being executed by this process. The first of completion, deadline, cancel, failure or
 * "ended elsewhere" to settle {@link #ending} decides the outcome; the store's compare-and-set then
 * makes it final across processes. Thread-safe: workers, timers and cancel callers touch it.
 */
final class ActiveRun {
  private static final Logger log = LoggerFactory.getLogger(ActiveRun.class);

  private final RunRecord record;
  private final RunPlan plan;
  private final Store store;
  private final RunSettings settings;
  private final Ticker ticker;
  private final ExecutorService fetchPool;
  private final ScheduledExecutorService timers;
  private final String ownerId;
  private final RunListener listener;

  private final FetchControl control = FetchControl.create();
  private final AtomicReference<Ending> ending = new AtomicReference<>();
  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicBoolean progressed = new AtomicBoolean();
  private final Map<String, EntityState> entities = new LinkedHashMap<>();
  private final Map<String, List<AirtableRecord>> fetched = new ConcurrentHashMap<>();
  private final long startNanos;
  private volatile long endedNanos;

  /** Open until the ending is in the store, so execute() never returns a run still "running". */
  private final CountDownLatch settled = new CountDownLatch(1);

  /** How and why the run ended; set once. */
  record Ending(RunStatus status, String message) {}

  ActiveRun(RunRecord record, RunPlan plan, RunEngine.Parts parts) {
    this.record = record;
    this.plan = plan;
    this.store = parts.store();
    this.settings = parts.settings();
    this.ticker = parts.ticker();
    this.fetchPool = parts.fetchPool();
    this.timers = parts.timers();
    this.ownerId = parts.ownerId();
    this.listener = parts.listener();
    this.startNanos = ticker.nanoTime();
    for (String name : record.entities()) {
      EntityConfig entity = plan.config().entities().get(name);
      entities.put(name, new EntityState(record.id(), name, entity.table()));
    }
  }

  String id() {
    return record.id();
  }

  void execute() {
    MDC.put("run", id());
    ScheduledFuture<?> deadline = null;
    ScheduledFuture<?> heartbeat = null;
    try {
      log.info(
          "run {} started: base {}, entities {}, trigger {}; limits: {}",
          id(),
          plan.baseId(),
          String.join(", ", entities.keySet()),
          record.trigger().wire(),
          describeLimits());
      store
          .runs()
          .saveEntities(id(), entities.values().stream().map(EntityState::snapshot).toList());
      deadline =
          timers.schedule(
              this::onDeadline, settings.maxRunDuration().toNanos(), TimeUnit.NANOSECONDS);
      long beat = settings.heartbeatInterval().toNanos();
      heartbeat = timers.scheduleAtFixedRate(this::onHeartbeat, beat, beat, TimeUnit.NANOSECONDS);

      phase.set("reading the base schema");
      BaseSchema schema = plan.client().fetchSchema(plan.baseId(), control);
      List<String> problems = schemaProblems(schema);
      if (!problems.isEmpty()) {
        end(RunStatus.ERROR, "configuration error: " + String.join("; ", problems));
        return;
      }
      phase.set("fetching");
      fetchAll();
      if (ending.get() != null) {
        return;
      }
      phase.set("checking");
      check(schema);
      if (ending.get() != null) {
        return;
      }
      end(RunStatus.SUCCEEDED, null);
    } catch (FetchCancelledException | RunEndedException e) {
      // Whoever cancelled has settled the ending already; nothing to add.
      if (ending.get() == null) {
        end(RunStatus.ERROR, e.getMessage());
      }
    } catch (AirtableException e) {
      end(RunStatus.ERROR, phase.get() + " failed: " + e.getMessage());
    } catch (RuntimeException | Error e) {
      log.error("run {} failed unexpectedly while {}", id(), phase.get(), e);
      end(RunStatus.ERROR, "unexpected error while " + phase.get() + ": " + e);
    } finally {
      if (deadline != null) {
        deadline.cancel(false);
      }
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
      awaitSettled();
      MDC.remove("run");
    }
  }

  private void awaitSettled() {
    try {
      if (!settled.await(settings.windDown().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("run {}: its ending was not saved within {}", id(), settings.windDown());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String describeLimits() {
    var l = plan.config().limits();
    return String.format(
        "request %d s (connect %d s, read %d s), %d retries, %d requests/s, run deadline %d s,"
            + " heartbeat %d s",
        l.requestTimeout().toSeconds(),
        l.connectTimeout().toSeconds(),
        l.readTimeout().toSeconds(),
        l.maxRetries(),
        l.rateLimitPerSecond(),
        settings.maxRunDuration().toSeconds(),
        settings.heartbeatInterval().toSeconds());
  }

  /** Problems of the selected entities' tables and checks against the base (missing fields). */
  private List<String> schemaProblems(BaseSchema schema) {
    return plan.checks().validateAgainst(schema).stream()
        .filter(p -> entities.containsKey(p.entity()))
        .map(CheckEngine.SchemaProblem::message)
        .toList();
  }

  private void fetchAll() {
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    for (EntityState entity : entities.values()) {
      tasks.add(CompletableFuture.runAsync(() -> fetchOne(entity), fetchPool));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new));
    awaitWorkers(all);
  }

  /** Waits for the workers, but never longer than the wind-down once the run has ended. */
  private void awaitWorkers(CompletableFuture<Void> all) {
    while (true) {
      try {
        all.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        long ended = endedNanos;
        if (ended != 0 && ticker.nanoTime() - ended > settings.windDown().toNanos()) {
          log.warn(
              "run {}: fetch workers still busy {} after the run ended; leaving them",
              id(),
              settings.windDown());
          return;
        }
      } catch (ExecutionException e) {
        return; // each worker reports its own failure through end()
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        end(RunStatus.ERROR, "interrupted while " + phase.get());
        return;
      }
    }
  }

  private void fetchOne(EntityState entity) {
    MDC.put("run", id());
    MDC.put("entity", entity.name);
    try {
      if (ending.get() != null || !entity.start()) {
        return;
      }
      persist(entity);
      long t0 = ticker.nanoTime();
      log.info("fetching {} (table {}) started", entity.name, entity.table);
      TableFetch result =
          plan.client()
              .listRecords(
                  plan.baseId(),
                  entity.table,
                  ListOptions.all(),
                  control,
                  page -> {
                    entity.progress(page.recordsSoFar(), page.page(), ticker.nanoTime() - t0);
                    progressed.set(true);
                    persist(entity);
                  });
      long took = ticker.nanoTime() - t0;
      if (entity.finish(
          EntityStatus.FETCHED, result.records().size(), result.pages(), took, null)) {
        fetched.put(entity.name, result.records());
        persist(entity);
        log.info(
            "fetched {}: {} records, {} pages, {} ms",
            entity.name,
            result.records().size(),
            result.pages(),
            TimeUnit.NANOSECONDS.toMillis(took));
      }
    } catch (FetchCancelledException e) {
      // The run's ending has already decided this entity's status.
    } catch (AirtableException e) {
      if (entity.fail(EntityStatus.ERROR, e.getMessage(), ticker.nanoTime())) {
        persist(entity);
      }
      end(RunStatus.ERROR, "fetching " + entity.name + " failed: " + e.getMessage());
    } catch (RuntimeException e) {
      log.error("fetching {} failed unexpectedly", entity.name, e);
      if (entity.fail(EntityStatus.ERROR, e.toString(), ticker.nanoTime())) {
        persist(entity);
      }
      end(RunStatus.ERROR, "fetching " + entity.name + " failed: " + e);
    } finally {
      MDC.remove("entity");
      MDC.remove("run");
    }
  }

  private void check(BaseSchema schema) {
    Map<String, Set<String>> ids = new LinkedHashMap<>();
    fetched.forEach(
        (name, records) ->
            ids.put(name, records.stream().map(AirtableRecord::id).collect(Collectors.toSet())));
    try (IssueWriter writer = store.issues().writer(id())) {
      for (EntityState entity : entities.values()) {
        List<AirtableRecord> records = fetched.getOrDefault(entity.name, List.of());
        String tableId = schema.table(entity.table).map(BaseSchema.TableSchema::id).orElseThrow();
        long[] count = {0};
        plan.checks()
            .evaluate(
                entity.name,
                records,
                ids,
                issue -> {
                  if (ending.get() != null) {
                    throw new RunEndedException();
                  }
                  count[0]++;
                  writer.add(
                      new IssueRow(
                          id(),
                          issue.entity(),
                          issue.recordId(),
                          issue.checkId(),
                          issue.field(),
                          issue.severity().wire(),
                          issue.message(),
                          recordUrl(plan.baseId(), tableId, issue.recordId()),
                          "new"));
                });
        log.info("checked {}: {} records, {} issues", entity.name, records.size(), count[0]);
      }
    }
    store.issues().computeStates(id(), plan.baseId(), List.copyOf(entities.keySet()));
  }

  static String recordUrl(String baseId, String tableId, String recordId) {
    return "https://airtable.com/" + baseId + "/" + tableId + "/" + recordId;
  }

  private void onDeadline() {
    MDC.put("run", id());
    try {
      Duration limit = settings.maxRunDuration();
      String message =
          String.format(
              "Run exceeded MAX_RUN_DURATION_SECONDS (%d s) after %.1f s while %s; %s",
              limit.toSeconds(),
              (ticker.nanoTime() - startNanos) / 1e9,
              phase.get(),
              describeEntities());
      end(RunStatus.TIMEOUT, message);
    } catch (RuntimeException e) {
      log.error("run {}: deadline handling failed", id(), e);
    } finally {
      MDC.remove("run");
    }
  }

  private String describeEntities() {
    Map<EntityStatus, List<String>> by = new LinkedHashMap<>();
    for (EntityState e : entities.values()) {
      by.computeIfAbsent(e.status(), s -> new ArrayList<>()).add(e.name);
    }
    return by.entrySet().stream()
        .map(e -> e.getKey().wire() + ": " + String.join(", ", e.getValue()))
        .collect(Collectors.joining("; "));
  }

  private void onHeartbeat() {
    MDC.put("run", id());
    try {
      if (ending.get() != null) {
        return;
      }
      Heartbeat beat = store.runs().heartbeat(id(), ownerId, progressed.getAndSet(false));
      if (!beat.stillOwned()) {
        String message = "run was ended elsewhere as " + beat.status().wire();
        if (ending.compareAndSet(null, new Ending(beat.status(), message))) {
          endedNanos = ticker.nanoTime();
          settled.countDown();
          control.cancel(message);
          log.warn("run {}: {}; stopping its work", id(), message);
        }
        return;
      }
      if (beat.cancelRequested()) {
        end(RunStatus.CANCELLED, "cancelled by request");
        return;
      }
      long now = ticker.nanoTime();
      for (EntityState e : entities.values()) {
        EntityProgress p = e.snapshot();
        if (p.status() == EntityStatus.FETCHING) {
          log.info(
              "still fetching {}: {} records, {} pages, {} s",
              e.name,
              String.format("%,d", p.records()),
              p.pages(),
              String.format("%.1f", e.elapsedSeconds(now)));
        }
      }
    } catch (RuntimeException e) {
      log.warn("run {}: heartbeat failed: {}", id(), e.toString());
    } finally {
      MDC.remove("run");
    }
  }

  /**
   * Settles the run's outcome if nobody has; returns whether this call ended the run in the store.
   */
  boolean end(RunStatus status, String message) {
    if (!ending.compareAndSet(null, new Ending(status, message))) {
      return false;
    }
    String outerRun = MDC.get("run");
    MDC.put("run", id());
    try {
      return persistEnding(status, message);
    } finally {
      if (outerRun == null) {
        MDC.remove("run");
      } else {
        MDC.put("run", outerRun);
      }
    }
  }

  private boolean persistEnding(RunStatus status, String message) {
    endedNanos = ticker.nanoTime();
    if (status != RunStatus.SUCCEEDED) {
      control.cancel(message == null ? status.wire() : message);
    }
    Transition transition;
    try {
      settleEntities(status, message);
      transition = store.runs().finish(id(), status, message);
    } finally {
      settled.countDown();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(endedNanos - startNanos);
    switch (transition) {
      case Transition.Applied applied -> {
        switch (status) {
          case SUCCEEDED -> log.info("run {} succeeded in {} ms", id(), ms);
          case TIMEOUT -> log.error("run {} timed out: {}", id(), message);
          case CANCELLED -> log.warn("run {} cancelled after {} ms", id(), ms);
          default -> log.error("run {} ended {}: {}", id(), status.wire(), message);
        }
      }
      case Transition.Lost lost ->
          log.warn(
              "run {} was already {}; this process's '{}' came too late",
              id(),
              lost.current().wire(),
              status.wire());
    }
    return transition.applied();
  }

  private void settleEntities(RunStatus status, String message) {
    long now = ticker.nanoTime();
    for (EntityState e : entities.values()) {
      boolean changed =
          switch (status) {
            case TIMEOUT ->
                e.fail(EntityStatus.TIMEOUT, "timed out: " + e.progressText(), now)
                    || e.skip("not started before the run's deadline");
            case CANCELLED ->
                e.fail(EntityStatus.SKIPPED, "cancelled: " + e.progressText(), now)
                    || e.skip("cancelled before it started");
            case ERROR ->
                e.fail(EntityStatus.SKIPPED, "stopped: " + message, now)
                    || e.skip("not started: " + message);
            default -> false;
          };
      if (changed) {
        persist(e);
      }
    }
  }

  private void persist(EntityState entity) {
    EntityProgress snapshot = entity.snapshot();
    try {
      store.runs().updateEntity(snapshot);
    } catch (RuntimeException e) {
      log.warn("run {}: could not save progress of {}: {}", id(), entity.name, e.toString());
    }
    RunEngine.safely(() -> listener.onEntityProgress(id(), snapshot));
  }

  /** Thrown into the check engine to stop evaluating once the run has ended. */
  private static final class RunEndedException extends RuntimeException {
    RunEndedException() {
      super("run ended while checking", null, false, false);
    }
  }

  /** One entity's progress; guarded by its own monitor, transitions are compare-and-set. */
  private final class EntityState {
    final String runId;
    final String name;
    final String table;
    private EntityStatus status = EntityStatus.PENDING;
    private long records;
    private int pages;
    private long startedNanos;
    private Long durationMs;
    private String error;

    EntityState(String runId, String name, String table) {
      this.runId = runId;
      this.name = name;
      this.table = table;
    }

    synchronized boolean start() {
      if (status != EntityStatus.PENDING) {
        return false;
      }
      status = EntityStatus.FETCHING;
      startedNanos = ticker.nanoTime();
      return true;
    }

    synchronized void progress(long records, int pages, long elapsedNanos) {
      if (status == EntityStatus.FETCHING) {
        this.records = records;
        this.pages = pages;
        this.durationMs = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
      }
    }

    synchronized boolean finish(
        EntityStatus to, long records, int pages, long tookNanos, String error) {
      if (status != EntityStatus.FETCHING) {
        return false;
      }
      this.status = to;
      this.records = records;
      this.pages = pages;
      this.durationMs = TimeUnit.NANOSECONDS.toMillis(tookNanos);
      this.error = error;
      return true;
    }

    /** FETCHING -> {@code to}; keeps the counts reached so far. */
    synchronized boolean fail(EntityStatus to, String error, long nowNanos) {
      if (status != EntityStatus.FETCHING) {
        return false;
      }
      this.status = to;
      this.error = error;
      this.durationMs = TimeUnit.NANOSECONDS.toMillis(nowNanos - startedNanos);
      return true;
    }

    synchronized boolean skip(String reason) {
      if (status != EntityStatus.PENDING) {
        return false;
      }
      this.status = EntityStatus.SKIPPED;
      this.error = reason;
      return true;
    }

    synchronized EntityStatus status() {
      return status;
    }

    synchronized String progressText() {
      return String.format("%,d records, %d pages so far", records, pages);
    }

    synchronized double elapsedSeconds(long nowNanos) {
      return (nowNanos - startedNanos) / 1e9;
    }

    synchronized EntityProgress snapshot() {
      return new EntityProgress(runId, name, table, status, records, pages, durationMs, error);
    }
  }
}
