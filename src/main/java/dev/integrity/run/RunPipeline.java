package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.AirtableWebhooks;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.EvaluationInterruptedException;
import dev.integrity.check.TargetRecords;
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
import dev.integrity.store.Store;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The plain pipeline of one run: schema, mode, plan, then the {@link RunGraph} of per-entity tasks
 * (fetch, then check once the link targets are in, then persist). It never decides how the run
 * ends: each task hands whatever it throws to the {@link RunLifecycle}, which owns the ending,
 * deadline, heartbeat and cancel. Thread-safe: its fetch tasks run on the fetch pool, its check
 * tasks on the check pool.
 */
final class RunPipeline {
  private static final Logger log = LoggerFactory.getLogger(RunPipeline.class);

  private final RunRecord record;
  private final RunPlan plan;
  private final Store store;
  private final RunSettings settings;
  private final Ticker ticker;
  private final ExecutorService pool;

  /** Set once the schema is read: {@code computed: all} needs it. */
  private volatile EntityChecker checker;

  private final java.time.Instant runStart;

  private final ExecutorService checkPool;
  private final IncrementalSource source;
  private final RunLifecycle lifecycle;
  private final RunEntities entities;
  private final RunProbe probe;

  /** Set once the fetch is planned (after the schema), before any fetch starts. */
  private volatile RunGraph graph;

  private final Map<String, EntityFetcher> fetchers = new ConcurrentHashMap<>();

  /** Records of fetched entities until they are checked. */
  private final Map<String, List<AirtableRecord>> records = new ConcurrentHashMap<>();

  /**
   * Record ids of fetched entities that link checks point to, and the records themselves ({@link
   * TargetRecords}) of those that rules read through {@code linked}; absent = not fetched.
   */
  private final Map<String, Set<String>> recordIds = new ConcurrentHashMap<>();

  private volatile BaseSchema schema;

  RunPipeline(RunRecord record, RunPlan plan, RunEngine.Parts parts) {
    this.record = record;
    this.plan = plan;
    this.store = parts.store();
    this.settings = parts.settings();
    this.ticker = parts.ticker();
    this.pool = parts.fetchPool();
    // The run's start by its injected clock: what freshness measures the newest value's age at.
    this.runStart = parts.clock().instant();
    this.checkPool = parts.checkPool();
    List<EntityState> states = new ArrayList<>();
    for (String name : record.entities()) {
      EntityConfig entity = plan.config().entities().get(name);
      states.add(new EntityState(record.id(), name, entity.table(), ticker));
    }
    this.lifecycle = new RunLifecycle(record.id(), states, parts);
    lifecycle.callBudget(plan.config().airtable().monthlyCallBudget().calls());
    this.entities = lifecycle.entities();
    this.probe = lifecycle.probe();
    this.source =
        new IncrementalSource(
            plan.baseId(),
            plan.config(),
            store,
            new AirtableWebhooks(plan.client(), parts.clock()),
            probe);
    lifecycle.completion(
        new RunLifecycle.Completion() {
          @Override
          public void inEndingTransaction() {
            source.inEndingTransaction();
          }

          @Override
          public void afterSaved() {
            source.afterSaved();
          }
        });
  }

  String id() {
    return record.id();
  }

  /** The run's arbiter, which a cancel reaches. */
  RunLifecycle lifecycle() {
    return lifecycle;
  }

  /** Executes the run on the calling thread; returns once its ending is saved. Never throws. */
  void execute() {
    MDC.put("run", id());
    FetchControl control = lifecycle.control();
    try {
      log.info(
          "run {} started: base {}, entities {}, trigger {}; limits: {}",
          id(),
          plan.baseId(),
          String.join(", ", entities.names()),
          record.trigger().wire(),
          describeLimits());
      store.runs().saveEntities(id(), entities.all().stream().map(EntityState::snapshot).toList());
      lifecycle.begin();

      lifecycle.phase("reading the base schema");
      probe.at(RunStage.SCHEMA, null);
      schema = plan.client().fetchSchema(plan.baseId(), control);
      List<String> problems = schemaProblems(schema);
      if (!problems.isEmpty()) {
        lifecycle.end(RunStatus.ERROR, "configuration error: " + String.join("; ", problems));
        return;
      }
      checker =
          new EntityChecker(
              record.id(), plan.baseId(), plan.checks().resolve(schema), store, runStart);
      chooseMode();
      lifecycle.phase("planning the fetch");
      FetchPlan fetchPlan = planFetch();
      graph = RunGraph.of(plan.config(), fetchPlan.order());
      lifecycle.phase("fetching and checking");
      awaitWorkers(graph.start(pool, checkPool, this::fetch, this::check, this::escaped));
      if (!lifecycle.ended()) {
        lifecycle.complete();
      }
    } catch (FetchCancelledException e) {
      // Whoever cancelled has settled the ending already; nothing to add.
      if (!lifecycle.ended()) {
        lifecycle.end(RunStatus.ERROR, e.getMessage());
      }
    } catch (AirtableException e) {
      lifecycle.end(RunStatus.ERROR, lifecycle.phase() + " failed: " + e.getMessage());
    } catch (Throwable t) {
      lifecycle.runFailed(lifecycle.phase(), t);
    } finally {
      records.clear();
      recordIds.clear();
      lifecycle.close();
      MDC.remove("run");
    }
  }

  /** A task let something escape (it should not): the entity ends as if its task had thrown it. */
  private void escaped(String name, RunStage stage, Throwable t) {
    lifecycle.entityFailed(name, stage, t);
  }

  /**
   * Full scan or mirror plus payloads, saved with the run (and why an incremental run did a full
   * scan, in the log and the run JSON).
   */
  private void chooseMode() {
    lifecycle.phase("choosing a full or an incremental run");
    IncrementalSource.Decision decision =
        source.decide(record.mode(), schema, entities.names(), lifecycle.control());
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
        boolean webhookFailed = false;
        if (f.rebuild()) {
          lifecycle.phase("creating the webhook");
          String failed = source.startRebuild(lifecycle.control());
          if (failed != null) {
            reason = reason + "; no webhook: " + failed;
            webhookFailed = true;
          }
        }
        if (reason != null && f.expected() && !webhookFailed) {
          log.info("run {} asked for incremental and does a full scan: {}", id(), reason);
        } else if (reason != null) {
          log.warn("run {} asked for incremental and does a full scan: {}", id(), reason);
        }
      }
    }
    store.runs().setMode(id(), decision.mode(), reason);
  }

  private String describeLimits() {
    var l = plan.client().settings();
    return String.format(
        "request %d s (connect %d s, read %d s), %d retries, %d requests/s (a refused rate"
            + " probed again within %d min), run deadline %d s, heartbeat %d s",
        l.requestTimeout().toSeconds(),
        l.connectTimeout().toSeconds(),
        l.readTimeout().toSeconds(),
        l.maxRetries(),
        l.rateLimitPerSecond(),
        l.rateRule().maxProbe().toMinutes(),
        settings.maxRunDuration().toSeconds(),
        settings.heartbeatInterval().toSeconds());
  }

  /**
   * The fetch plan from the last run that fetched each entity (a table no run fetched is read from
   * its first page first, see {@link PartitionedFetch}), logged with each table's reason; then each
   * entity's reads: its partitions, view, filter and projected fields.
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
    FetchPlanner planner = new FetchPlanner();
    int rate = plan.client().settings().rateLimitPerSecond();
    FetchPlan fetchPlan = planner.plan(List.copyOf(entities.names()), last, rate);
    log.info("run {}: fetch plan: {}", id(), fetchPlan.reason());
    for (FetchPlan.Table table : fetchPlan.tables()) {
      EntityConfig config = plan.config().entities().get(table.entity());
      List<String> fields = FieldProjection.fields(plan.config(), config, schema);
      if (!last.isEmpty()) {
        log.info("run {}: {}", id(), table.reason());
      }
      log.info("run {}: {}", id(), FieldProjection.describe(plan.config(), config, fields));
      fetchers.put(
          table.entity(),
          new PartitionedFetch(
              plan.client(),
              plan.baseId(),
              table,
              fields,
              config.view(),
              config.filter(),
              planner,
              rate));
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
        long ended = lifecycle.endedNanos();
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
        lifecycle.end(RunStatus.ERROR, "interrupted while " + lifecycle.phase());
        return;
      }
    }
  }

  /**
   * The fetch task of one entity: whatever it throws is the entity's, never the whole run's (an
   * {@code OutOfMemoryError} included: the records held so far are dropped with the stack).
   */
  private void fetch(String name) {
    EntityState entity = entities.get(name);
    MDC.put("run", id());
    MDC.put("entity", name);
    try {
      if (lifecycle.ended() || !entity.start()) {
        return;
      }
      lifecycle.persist(entity);
      long t0 = ticker.nanoTime();
      log.info("fetching {} (table {}) started", name, entity.table);
      EntityFetcher.Fetched result;
      if (source.decision() instanceof IncrementalSource.Decision.FromMirror fromMirror) {
        probe.at(RunStage.FETCH, name);
        result = source.fromMirror(name, fromMirror);
      } else {
        result =
            fetchers
                .get(name)
                .fetch(
                    entity.table,
                    lifecycle.control(),
                    (soFar, pages) -> {
                      entity.progress(soFar, pages);
                      lifecycle.progressed();
                      lifecycle.persist(entity);
                      probe.at(RunStage.FETCH, name);
                    });
        source.refresh(name, result.records());
      }

      if (graph.readByRules().contains(name)) {
        recordIds.put(name, TargetRecords.of(result.records()));
      } else if (graph.linked().contains(name)) {
        recordIds.put(
            name, result.records().stream().map(AirtableRecord::id).collect(Collectors.toSet()));
      }
      records.put(name, result.records());
      if (entity.fetched(result.records().size(), result.pages(), result.pageLatencyMs())) {
        lifecycle.persist(entity);
        log.info(
            "fetched {}: {} records, {} pages ({} list requests), {} ms, {} ms per page",
            name,
            result.records().size(),
            result.pages(),
            result.requests(),
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
      if (entity.fail(EntityStatus.ERROR, e.getMessage())) {
        log.error("fetching {} failed; the other entities go on: {}", name, e.getMessage());
        lifecycle.persist(entity);
      }
    } catch (Throwable t) {
      records.remove(name);
      recordIds.remove(name);
      lifecycle.entityFailed(name, RunStage.FETCH, t);
    } finally {
      MDC.remove("entity");
      MDC.remove("run");
    }
  }

  /**
   * The check task of one entity, once its fetch and its link targets' fetches settled; then its
   * issues are persisted under the ending's commit lock. Whatever it throws leaves the entity
   * unchecked with its check failed.
   */
  private void check(String name) {
    EntityState entity = entities.get(name);
    List<AirtableRecord> fetched = records.remove(name);
    if (fetched == null || lifecycle.ended() || entity.status() != EntityStatus.FETCHED) {
      return;
    }
    MDC.put("run", id());
    MDC.put("entity", name);
    RunStage stage = RunStage.CHECK;
    try {
      probe.at(RunStage.CHECK, name);
      String tableId = schema.table(entity.table).map(BaseSchema.TableSchema::id).orElseThrow();
      EntityChecker.Checked checked =
          checker.check(name, tableId, fetched, recordIds, lifecycle::ended);
      fetched = null; // the records may go before the issues are written
      List<String> partial = checked.coverage().partialChecks();
      stage = RunStage.PERSIST;
      boolean kept =
          lifecycle.commitUnlessEnded(
              () -> {
                probe.at(RunStage.PERSIST, name);
                long open = checker.store(name, checked);
                if (entity.checked(open, partial)) {
                  lifecycle.persist(entity);
                }
              });
      if (kept) {
        log.info(
            "checked {}: {} records, {} issues{}",
            name,
            entity.records(),
            checked.issues().size(),
            partial.isEmpty()
                ? ""
                : "; not run whole (a link target's records not fetched, or a table check without"
                    + " what it needs): "
                    + String.join(", ", partial)
                    + " (their earlier issues stay open)");
      }
    } catch (EntityChecker.RunEndedException | EvaluationInterruptedException e) {
      // The run ended while checking: the entity stays unchecked, nothing of it is stored.
    } catch (Throwable t) {
      fetched = null;
      lifecycle.entityFailed(name, stage, t);
    } finally {
      MDC.remove("entity");
      MDC.remove("run");
    }
  }
}
