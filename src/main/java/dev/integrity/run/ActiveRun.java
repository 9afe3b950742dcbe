package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.AirtableWebhooks;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.EvaluationInterruptedException;
import dev.integrity.config.EntityConfig;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.plan.FetchPlan;
import dev.integrity.plan.FetchPlanner;
import dev.integrity.plan.FieldProjection;
import dev.integrity.plan.LastFetch;
import dev.integrity.store.Heartbeat;
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
 * One run being executed by this process: reads the schema, then runs the {@link RunGraph} of
 * per-entity tasks (fetch, then check once the link targets are in) and settles one {@link
 * RunEnding}. An entity whose fetch fails ends {@code error} and the others go on; at the deadline
 * whatever was checked is kept. Thread-safe: workers, timers and cancel callers touch it.
 */
final class ActiveRun {
  private static final Logger log = LoggerFactory.getLogger(ActiveRun.class);

  private final RunRecord record;
  private final RunPlan plan;
  private final Store store;
  private final RunSettings settings;
  private final Ticker ticker;
  private final ExecutorService pool;
  private final ScheduledExecutorService timers;
  private final String ownerId;
  private final RunListener listener;
  private final EntityChecker checker;
  private final IncrementalSource source;

  /** Set once the fetch is planned (after the schema), before any fetch starts. */
  private volatile RunGraph graph;

  private final Map<String, EntityFetcher> fetchers = new ConcurrentHashMap<>();

  private final FetchControl control = FetchControl.create();
  private final RunEnding ending = new RunEnding();
  private final AtomicReference<String> phase = new AtomicReference<>("starting");
  private final AtomicBoolean progressed = new AtomicBoolean();
  private final RunEntities entities;

  /** Records of fetched entities until they are checked. */
  private final Map<String, List<AirtableRecord>> records = new ConcurrentHashMap<>();

  /** Record ids of fetched entities that link checks point to; absent = not fetched. */
  private final Map<String, Set<String>> recordIds = new ConcurrentHashMap<>();

  private final long startNanos;
  private volatile BaseSchema schema;

  ActiveRun(RunRecord record, RunPlan plan, RunEngine.Parts parts) {
    this.record = record;
    this.plan = plan;
    this.store = parts.store();
    this.settings = parts.settings();
    this.ticker = parts.ticker();
    this.pool = parts.fetchPool();
    this.timers = parts.timers();
    this.ownerId = parts.ownerId();
    this.listener = parts.listener();
    this.checker = new EntityChecker(record.id(), plan.baseId(), plan.checks(), store);
    this.startNanos = ticker.nanoTime();
    List<EntityState> states = new ArrayList<>();
    for (String name : record.entities()) {
      EntityConfig entity = plan.config().entities().get(name);
      states.add(new EntityState(record.id(), name, entity.table(), ticker));
    }
    this.entities = new RunEntities(states, this::persist);
    this.source =
        new IncrementalSource(
            plan.baseId(),
            plan.config(),
            store,
            new AirtableWebhooks(plan.client(), parts.clock()));
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
          String.join(", ", entities.names()),
          record.trigger().wire(),
          describeLimits());
      store.runs().saveEntities(id(), entities.all().stream().map(EntityState::snapshot).toList());
      deadline =
          timers.schedule(
              this::onDeadline, settings.maxRunDuration().toNanos(), TimeUnit.NANOSECONDS);
      long beat = settings.heartbeatInterval().toNanos();
      heartbeat = timers.scheduleAtFixedRate(this::onHeartbeat, beat, beat, TimeUnit.NANOSECONDS);

      phase.set("reading the base schema");
      schema = plan.client().fetchSchema(plan.baseId(), control);
      List<String> problems = schemaProblems(schema);
      if (!problems.isEmpty()) {
        end(RunStatus.ERROR, "configuration error: " + String.join("; ", problems));
        return;
      }
      chooseMode();
      phase.set("planning the fetch");
      FetchPlan fetchPlan = planFetch();
      graph = RunGraph.of(plan.config(), fetchPlan.order());
      phase.set("fetching and checking");
      awaitWorkers(graph.start(pool, this::fetch, this::check));
      if (!ending.ended()) {
        endAfterTheLastTask();
      }
    } catch (FetchCancelledException e) {
      // Whoever cancelled has settled the ending already; nothing to add.
      if (!ending.ended()) {
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
      awaitSaved();
      MDC.remove("run");
    }
  }

  /**
   * Full scan or mirror plus payloads, saved with the run (and why an incremental run did a full
   * scan, in the log and the run JSON).
   */
  private void chooseMode() {
    phase.set("choosing a full or an incremental run");
    IncrementalSource.Decision decision =
        source.decide(record.mode(), schema, entities.names(), control);
    String reason = null;
    switch (decision) {
      case IncrementalSource.Decision.FromMirror m ->
          log.info(
              "run {} is incremental: {} payloads of webhook {} applied to the mirror of every"
                  + " entity, which is re-checked whole",
              id(),
              m.payloads(),
              m.webhookId());
      case IncrementalSource.Decision.Full f -> {
        reason = f.reason();
        if (f.rebuild()) {
          phase.set("creating the webhook");
          String failed = source.startRebuild(control);
          if (failed != null) {
            reason = reason + "; no webhook: " + failed;
          }
        }
        if (reason != null) {
          log.warn("run {} asked for incremental and does a full scan: {}", id(), reason);
        }
      }
    }
    store.runs().setMode(id(), decision.mode(), reason);
  }

  /**
   * Every task has run: the run succeeded, or ended {@code error} if an entity failed. A cancel
   * requested through the store since the last heartbeat still wins: the requester was told
   * "requested", and the run has not ended yet.
   */
  private void endAfterTheLastTask() {
    boolean cancelRequested =
        store.runs().find(id()).map(r -> r.cancelRequestedAt() != null).orElse(false);
    if (cancelRequested) {
      end(RunStatus.CANCELLED, "cancelled by request");
      return;
    }
    end(entities.anyFailed() ? RunStatus.ERROR : RunStatus.SUCCEEDED, null);
  }

  private void awaitSaved() {
    try {
      if (!ending.awaitSaved(settings.windDown())) {
        log.warn("run {}: its ending was not saved within {}", id(), settings.windDown());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String describeLimits() {
    var l = plan.client().settings();
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

  /**
   * The fetch plan from the last run that fetched each entity (a first run has none and reads as
   * before, in config order), logged with each table's reason; then each entity's reads: its
   * partitions, view, filter and projected fields.
   */
  private FetchPlan planFetch() {
    Map<String, LastFetch> last = new LinkedHashMap<>();
    for (String name : entities.names()) {
      try {
        store
            .runs()
            .lastFetch(plan.baseId(), name)
            .ifPresent(
                f -> {
                  Long perPage = f.perPageMs();
                  if (perPage != null && f.pages() > 0) {
                    last.put(name, new LastFetch(f.pages(), Duration.ofMillis(perPage)));
                  }
                });
      } catch (RuntimeException e) {
        // Without last run's figures the entity is read as one iteration: slower, still correct.
        log.warn("run {}: could not read the last fetch of {}: {}", id(), name, e.toString());
      }
    }
    FetchPlan fetchPlan =
        new FetchPlanner()
            .plan(
                List.copyOf(entities.names()), last, plan.client().settings().rateLimitPerSecond());
    log.info("run {}: fetch plan: {}", id(), fetchPlan.reason());
    for (FetchPlan.Table table : fetchPlan.tables()) {
      EntityConfig config = plan.config().entities().get(table.entity());
      List<String> fields = FieldProjection.fields(config, schema);
      List<ListOptions> reads = table.listOptions(fields, config.view(), config.filter());
      if (!last.isEmpty()) {
        log.info("run {}: {}", id(), table.reason());
      }
      log.info("run {}: {}", id(), FieldProjection.describe(config, fields));
      fetchers.put(
          table.entity(),
          new PartitionedFetch(
              plan.client(),
              plan.baseId(),
              table.entity(),
              reads,
              table.last() == null ? 0 : table.last().pages()));
    }
    return fetchPlan;
  }

  /** Problems of the selected entities' tables and checks against the base (missing fields). */
  private List<String> schemaProblems(BaseSchema schema) {
    return plan.checks().validateAgainst(schema).stream()
        .filter(p -> entities.contains(p.entity()))
        .map(CheckEngine.SchemaProblem::message)
        .toList();
  }

  /** Waits for the workers, but never longer than the wind-down once the run has ended. */
  private void awaitWorkers(CompletableFuture<Void> all) {
    while (true) {
      try {
        all.get(100, TimeUnit.MILLISECONDS);
        return;
      } catch (TimeoutException e) {
        long ended = ending.endedNanos();
        if (ended != 0 && ticker.nanoTime() - ended > settings.windDown().toNanos()) {
          log.warn(
              "run {}: workers still busy {} after the run ended; leaving them",
              id(),
              settings.windDown());
          return;
        }
      } catch (ExecutionException e) {
        return; // each task records its own failure in its entity
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        end(RunStatus.ERROR, "interrupted while " + phase.get());
        return;
      }
    }
  }

  /** The fetch task of one entity: its failure is the entity's, never the whole run's. */
  private void fetch(String name) {
    EntityState entity = entities.get(name);
    MDC.put("run", id());
    MDC.put("entity", name);
    try {
      if (ending.ended() || !entity.start()) {
        return;
      }
      persist(entity);
      long t0 = ticker.nanoTime();
      log.info("fetching {} (table {}) started", name, entity.table);
      EntityFetcher.Fetched result;
      if (source.decision() instanceof IncrementalSource.Decision.FromMirror fromMirror) {
        result = source.fromMirror(name, fromMirror);
      } else {
        result =
            fetchers
                .get(name)
                .fetch(
                    entity.table,
                    control,
                    (soFar, pages) -> {
                      entity.progress(soFar, pages);
                      progressed.set(true);
                      persist(entity);
                    });
        source.refresh(name, result.records());
      }

      if (graph.linked().contains(name)) {
        recordIds.put(
            name, result.records().stream().map(AirtableRecord::id).collect(Collectors.toSet()));
      }
      records.put(name, result.records());
      if (entity.fetched(result.records().size(), result.pages(), result.pageLatencyMs())) {
        persist(entity);
        log.info(
            "fetched {}: {} records, {} pages, {} ms, {} ms per page",
            name,
            result.records().size(),
            result.pages(),
            TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - t0),
            result.pageLatencyMs());
      } else {
        // The run's ending got there first and decided the entity's status.
        records.remove(name);
        recordIds.remove(name);
      }
    } catch (FetchCancelledException e) {
      // The run's ending has already decided this entity's status.
    } catch (AirtableException e) {
      failFetch(entity, e.getMessage());
    } catch (RuntimeException e) {
      log.error("fetching {} failed unexpectedly", name, e);
      failFetch(entity, e.toString());
    } finally {
      MDC.remove("entity");
      MDC.remove("run");
    }
  }

  private void failFetch(EntityState entity, String why) {
    if (entity.fail(EntityStatus.ERROR, why)) {
      log.error("fetching {} failed; the other entities go on: {}", entity.name, why);
      persist(entity);
    }
  }

  /** The check task of one entity, once its fetch and its link targets' fetches settled. */
  private void check(String name) {
    EntityState entity = entities.get(name);
    List<AirtableRecord> fetched = records.remove(name);
    if (fetched == null || ending.ended() || entity.status() != EntityStatus.FETCHED) {
      return;
    }
    MDC.put("run", id());
    MDC.put("entity", name);
    try {
      String tableId = schema.table(entity.table).map(BaseSchema.TableSchema::id).orElseThrow();
      EntityChecker.Checked checked =
          checker.check(name, tableId, fetched, recordIds, ending::ended);
      List<String> partial = checked.coverage().partialChecks();
      boolean kept =
          ending.commitUnlessEnded(
              () -> {
                long open = checker.store(name, checked);
                if (entity.checked(open, partial)) {
                  persist(entity);
                }
              });
      if (kept) {
        log.info(
            "checked {}: {} records, {} issues{}",
            name,
            fetched.size(),
            checked.issues().size(),
            partial.isEmpty()
                ? ""
                : "; not run whole, for want of a link target: "
                    + String.join(", ", partial)
                    + " (their earlier issues stay open)");
      }
    } catch (EntityChecker.RunEndedException | EvaluationInterruptedException e) {
      // The run ended while checking: the entity stays unchecked, nothing of it is stored.
    } catch (RuntimeException e) {
      log.error("checking {} failed", name, e);
      if (entity.checkFailed(e.toString())) {
        persist(entity);
      }
    } finally {
      MDC.remove("entity");
      MDC.remove("run");
    }
  }

  private void onDeadline() {
    MDC.put("run", id());
    try {
      Duration limit = settings.maxRunDuration();
      String message =
          String.format(
              "Run exceeded MAX_RUN_DURATION_SECONDS (%d s) after %.1f s while %s",
              limit.toSeconds(), (ticker.nanoTime() - startNanos) / 1e9, phase.get());
      end(RunStatus.TIMEOUT, message);
    } catch (RuntimeException e) {
      log.error("run {}: deadline handling failed", id(), e);
    } finally {
      MDC.remove("run");
    }
  }

  private void onHeartbeat() {
    MDC.put("run", id());
    try {
      if (ending.ended()) {
        return;
      }
      Heartbeat beat = store.runs().heartbeat(id(), ownerId, progressed.getAndSet(false));
      if (!beat.stillOwned()) {
        String message = "run was ended elsewhere as " + beat.status().wire();
        if (ending.settle(new RunEnding.Ending(beat.status(), message), ticker.nanoTime())) {
          ending.markSaved();
          control.cancel(message);
          log.warn("run {}: {}; stopping its work", id(), message);
        }
        return;
      }
      if (beat.cancelRequested()) {
        end(RunStatus.CANCELLED, "cancelled by request");
        return;
      }
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
      log.warn("run {}: heartbeat failed: {}", id(), e.toString());
    } finally {
      MDC.remove("run");
    }
  }

  /**
   * Settles the run's outcome if nobody has; returns whether this call ended the run in the store.
   *
   * @param headline why the run ended, or null when the entities say it all
   */
  boolean end(RunStatus status, String headline) {
    if (!ending.settle(new RunEnding.Ending(status, headline), ticker.nanoTime())) {
      return false;
    }
    String outerRun = MDC.get("run");
    MDC.put("run", id());
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
      entities.settle(status, headline);
      message = entities.message(status, headline);
      transition = finish(status, message);
      if (completion(status)
          && transition instanceof Transition.Lost lost
          && lost.current() == RunStatus.RUNNING) {
        // A cancel was requested between the last look at the store and this save: its requester
        // was told "requested", so the run ends cancelled.
        status = RunStatus.CANCELLED;
        message = entities.message(status, "cancelled by request");
        transition = store.runs().finish(id(), status, message);
      }
    } finally {
      ending.markSaved();
    }

    long ms = TimeUnit.NANOSECONDS.toMillis(ending.endedNanos() - startNanos);
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

  /**
   * Saves the ending; a succeeded run's mirror edits (or new webhook) commit in the same
   * transaction. If those fail, the run ends {@code error} and the mirror stays as it was.
   */
  /** The run's own completion (every task ran), which a cancel requested meanwhile overrides. */
  private static boolean completion(RunStatus status) {
    return status == RunStatus.SUCCEEDED || status == RunStatus.ERROR;
  }

  private Transition finish(RunStatus status, String message) {
    if (status != RunStatus.SUCCEEDED) {
      return completion(status)
          ? store.runs().finishUnlessCancelRequested(id(), status, message)
          : store.runs().finish(id(), status, message);
    }
    try {
      Transition saved =
          store.inTransaction(
              "saving run " + id() + " with its mirror",
              () -> {
                source.inEndingTransaction();
                return store.runs().finishUnlessCancelRequested(id(), status, message);
              });
      if (saved.applied()) {
        source.afterSaved();
      }
      return saved;
    } catch (RuntimeException e) {
      log.error("run {}: saving the mirror with the run failed", id(), e);
      return store.runs().finish(id(), RunStatus.ERROR, "saving the mirror failed: " + e);
    }
  }

  private void persist(EntityState entity) {
    var snapshot = entity.snapshot();
    try {
      store.runs().updateEntity(snapshot);
    } catch (RuntimeException e) {
      log.warn("run {}: could not save progress of {}: {}", id(), entity.name, e.toString());
    }
    RunEngine.safely(() -> listener.onEntityProgress(id(), snapshot));
  }
}
