package dev.integrity.store;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/** {@link RunRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiRunRepository implements RunRepository {
  private static final String ACTIVE_INDEX = "runs_one_active_per_base";
  private static final Set<RunStatus> ACTIVE = EnumSet.of(RunStatus.QUEUED, RunStatus.RUNNING);
  // Statuses only move forward (queued -> running -> terminal), so a compare-and-set needs at most
  // a couple of retries when the status changes between reading and updating it.
  private static final int CAS_ATTEMPTS = 5;
  private static final int CREATE_ATTEMPTS = 3;
  private static final String COLUMNS =
      "id, base_id, status, trigger_kind, schedule, entities, created_at, started_at,"
          + " finished_at, error, owner, heartbeat_at, last_progress_at, cancel_requested_at,"
          + " mode, mode_reason, api_calls, call_budget";

  private final Db db;
  private final RunIds ids = new RunIds();

  JdbiRunRepository(Db db) {
    this.db = db;
  }

  @Override
  public RunRecord create(String baseId, Trigger trigger, String schedule, List<String> entities) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(trigger, "trigger");
    String entitiesJson = db.toJson(entities);
    for (int attempt = 1; ; attempt++) {
      long now = db.now();
      String id = ids.next(now);
      try {
        db.jdbi.useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO runs (id, base_id, status, trigger_kind, schedule, entities,"
                            + " created_at, api_calls) VALUES (:id, :base, 'queued', :trigger,"
                            + " :schedule, :entities, :now, 0)")
                    .bind("id", id)
                    .bind("base", baseId)
                    .bind("trigger", trigger.wire())
                    .bind("schedule", schedule)
                    .bind("entities", entitiesJson)
                    .bind("now", now)
                    .execute());
        return find(id)
            .orElseThrow(() -> new StoreException("run " + id + " vanished right after insert"));
      } catch (JdbiException e) {
        if (!Db.isUniqueViolation(e, ACTIVE_INDEX, "runs.base_id")) {
          throw db.failure("creating a run of base " + baseId, e);
        }
        Optional<RunRecord> active = activeRun(baseId);
        if (active.isPresent()) {
          throw new ActiveRunExistsException(baseId, active.get().id());
        }
        // The active run ended between our insert and the lookup: try again, a few times.
        if (attempt >= CREATE_ATTEMPTS) {
          throw new ActiveRunExistsException(baseId, "unknown (it ended while we looked)");
        }
      }
    }
  }

  @Override
  public Transition claim(String runId, String owner) {
    Objects.requireNonNull(owner, "owner");
    return cas(
        "claiming run " + runId,
        runId,
        EnumSet.of(RunStatus.QUEUED),
        RunStatus.RUNNING,
        ", owner = :owner, started_at = :now, heartbeat_at = :now",
        "",
        u -> u.bind("owner", owner));
  }

  @Override
  public Transition finish(String runId, RunStatus terminal, String error) {
    requireTerminal(terminal);
    return cas(
        "finishing run " + runId,
        runId,
        ACTIVE,
        terminal,
        ", finished_at = :now, error = :error",
        "",
        u -> u.bind("error", error));
  }

  @Override
  public Transition finishUnlessCancelRequested(String runId, RunStatus terminal, String error) {
    requireTerminal(terminal);
    return cas(
        "finishing run " + runId,
        runId,
        EnumSet.of(RunStatus.RUNNING),
        terminal,
        ", finished_at = :now, error = :error",
        " AND cancel_requested_at IS NULL",
        u -> u.bind("error", error));
  }

  @Override
  public Transition finishIf(String runId, RunStatus expected, RunStatus terminal, String error) {
    requireTerminal(terminal);
    Objects.requireNonNull(expected, "expected");
    return cas(
        "finishing run " + runId,
        runId,
        EnumSet.of(expected),
        terminal,
        ", finished_at = :now, error = :error",
        "",
        u -> u.bind("error", error));
  }

  @Override
  public Transition reapStale(String runId, Instant staleBefore, String error) {
    return cas(
        "reaping stale run " + runId,
        runId,
        EnumSet.of(RunStatus.RUNNING),
        RunStatus.ERROR,
        ", finished_at = :now, error = :error",
        " AND COALESCE(heartbeat_at, started_at, created_at) < :before",
        u -> u.bind("error", error).bind("before", staleBefore.toEpochMilli()));
  }

  @Override
  public Transition reapOverdue(String runId, Instant startedBefore, String error) {
    return cas(
        "reaping overdue run " + runId,
        runId,
        EnumSet.of(RunStatus.RUNNING),
        RunStatus.TIMEOUT,
        ", finished_at = :now, error = :error",
        " AND COALESCE(started_at, created_at) < :before",
        u -> u.bind("error", error).bind("before", startedBefore.toEpochMilli()));
  }

  @Override
  public Transition reapUnclaimed(String runId, Instant createdBefore, String error) {
    return cas(
        "reaping unclaimed run " + runId,
        runId,
        EnumSet.of(RunStatus.QUEUED),
        RunStatus.ERROR,
        ", finished_at = :now, error = :error",
        " AND created_at < :before",
        u -> u.bind("error", error).bind("before", createdBefore.toEpochMilli()));
  }

  /**
   * Moves the run from one of {@code from} to {@code to} with {@code UPDATE … WHERE status = <what
   * we read>}: the database decides who wins, and a loser reports the status it found.
   */
  private Transition cas(
      String operation,
      String runId,
      Set<RunStatus> from,
      RunStatus to,
      String set,
      String extraCondition,
      UnaryOperator<Update> binder) {
    Objects.requireNonNull(runId, "runId");
    return db.with(
        operation,
        h -> {
          for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            RunStatus current =
                status(h, runId).orElseThrow(() -> new RunNotFoundException(runId, operation));
            if (!from.contains(current)) {
              return new Transition.Lost(current);
            }
            Update update =
                h.createUpdate(
                        "UPDATE runs SET status = :to"
                            + set
                            + " WHERE id = :id AND status = :from"
                            + extraCondition)
                    .bind("to", to.wire())
                    .bind("id", runId)
                    .bind("from", current.wire())
                    .bind("now", db.now());
            if (binder.apply(update).execute() == 1) {
              return new Transition.Applied(current, to);
            }
            RunStatus after =
                status(h, runId).orElseThrow(() -> new RunNotFoundException(runId, operation));
            if (after == current) {
              // Same status, so the extra condition (heartbeat, age) did not hold.
              return new Transition.Lost(current);
            }
          }
          throw new StoreException(
              operation + ": status kept changing over " + CAS_ATTEMPTS + " attempts");
        });
  }

  private static void requireTerminal(RunStatus terminal) {
    if (terminal == null || !terminal.terminal()) {
      throw new IllegalArgumentException(
          "a run can only finish with a terminal status, not " + terminal);
    }
  }

  private static Optional<RunStatus> status(Handle h, String runId) {
    return h.createQuery("SELECT status FROM runs WHERE id = :id")
        .bind("id", runId)
        .mapTo(String.class)
        .findOne()
        .map(RunStatus::parse);
  }

  @Override
  public Heartbeat heartbeat(String runId, String owner, boolean progressed) {
    String operation = "heartbeat of run " + runId;
    return db.with(
        operation,
        h -> {
          h.createUpdate(
                  "UPDATE runs SET heartbeat_at = :now"
                      + (progressed ? ", last_progress_at = :now" : "")
                      + " WHERE id = :id AND status = 'running' AND owner = :owner")
              .bind("now", db.now())
              .bind("id", runId)
              .bind("owner", owner)
              .execute();
          RunRecord run =
              find(h, runId).orElseThrow(() -> new RunNotFoundException(runId, operation));
          return new Heartbeat(
              run.status(),
              run.cancelRequestedAt() != null,
              run.status() == RunStatus.RUNNING && Objects.equals(owner, run.owner()));
        });
  }

  @Override
  public CancelOutcome requestCancel(String runId) {
    return db.with(
        "cancelling run " + runId,
        h -> {
          for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            Optional<RunStatus> current = status(h, runId);
            if (current.isEmpty()) {
              return CancelOutcome.NOT_FOUND;
            }
            switch (current.get()) {
              case QUEUED -> {
                int changed =
                    h.createUpdate(
                            "UPDATE runs SET status = 'cancelled', finished_at = :now,"
                                + " cancel_requested_at = :now, error = :error"
                                + " WHERE id = :id AND status = 'queued'")
                        .bind("now", db.now())
                        .bind("error", "cancelled before it started")
                        .bind("id", runId)
                        .execute();
                if (changed == 1) {
                  return CancelOutcome.CANCELLED;
                }
              }
              case RUNNING -> {
                int changed =
                    h.createUpdate(
                            "UPDATE runs SET cancel_requested_at = COALESCE(cancel_requested_at,"
                                + " :now) WHERE id = :id AND status = 'running'")
                        .bind("now", db.now())
                        .bind("id", runId)
                        .execute();
                if (changed == 1) {
                  return CancelOutcome.REQUESTED;
                }
              }
              case SUCCEEDED, ERROR, TIMEOUT, CANCELLED -> {
                return CancelOutcome.ALREADY_ENDED;
              }
            }
          }
          throw new StoreException(
              "cancelling run "
                  + runId
                  + ": status kept changing over "
                  + CAS_ATTEMPTS
                  + " attempts");
        });
  }

  @Override
  public Optional<RunRecord> find(String runId) {
    return db.with("reading run " + runId, h -> find(h, runId));
  }

  private Optional<RunRecord> find(Handle h, String runId) {
    return h.createQuery("SELECT " + COLUMNS + " FROM runs WHERE id = :id")
        .bind("id", runId)
        .map(this::mapRun)
        .findOne();
  }

  @Override
  public List<RunRecord> list(RunQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM runs WHERE 1 = 1");
    if (query.status() != null) {
      sql.append(" AND status = :status");
    }
    if (query.baseId() != null) {
      sql.append(" AND base_id = :base");
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
    return db.with(
        "listing runs",
        h -> {
          var q = h.createQuery(sql.toString()).bind("limit", query.limit());
          if (query.status() != null) {
            q.bind("status", query.status().wire());
          }
          if (query.baseId() != null) {
            q.bind("base", query.baseId());
          }
          return q.map(this::mapRun).list();
        });
  }

  @Override
  public Optional<RunRecord> activeRun(String baseId) {
    return db.with(
        "reading the active run of base " + baseId,
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM runs WHERE base_id = :base AND status IN ('queued', 'running')")
                .bind("base", baseId)
                .map(this::mapRun)
                .findFirst());
  }

  @Override
  public List<RunRecord> withStatus(RunStatus status) {
    return db.with(
        "listing " + status.wire() + " runs",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM runs WHERE status = :status ORDER BY created_at, id")
                .bind("status", status.wire())
                .map(this::mapRun)
                .list());
  }

  @Override
  public Optional<RunRecord> lastSucceededCovering(
      String baseId, String entity, String beforeRunId) {
    return db.with(
        "finding the last succeeded run of base " + baseId + " covering " + entity,
        h -> lastSucceededCovering(h, baseId, entity, beforeRunId).map(id -> find(h, id).get()));
  }

  /** The id of the newest succeeded run of the base that covered the entity, before a run. */
  static Optional<String> lastSucceededCovering(
      Handle h, String baseId, String entity, String beforeRunId) {
    String sql =
        "SELECT r.id FROM runs r"
            + (beforeRunId == null ? "" : " JOIN runs b ON b.id = :before")
            + " WHERE r.base_id = :base AND r.status = 'succeeded'"
            + " AND EXISTS (SELECT 1 FROM run_entities e WHERE e.run_id = r.id AND e.name = :entity)"
            + (beforeRunId == null
                ? ""
                : " AND (r.created_at < b.created_at OR (r.created_at = b.created_at AND r.id < b.id))")
            + " ORDER BY r.created_at DESC, r.id DESC LIMIT 1";
    var query = h.createQuery(sql).bind("base", baseId).bind("entity", entity);
    if (beforeRunId != null) {
      query.bind("before", beforeRunId);
    }
    return query.mapTo(String.class).findOne();
  }

  @Override
  public Optional<RunRecord> lastChecked(String baseId, String entity, String beforeRunId) {
    return db.with(
        "finding the last run of base " + baseId + " that checked " + entity,
        h -> lastChecked(h, baseId, entity, beforeRunId).map(id -> find(h, id).get()));
  }

  /**
   * The id of the newest run of the base, before a run, that checked the entity whatever its
   * ending: a partial run (error, timeout) that checked it counts, one that did not is passed over.
   */
  static Optional<String> lastChecked(Handle h, String baseId, String entity, String beforeRunId) {
    String sql =
        "SELECT r.id FROM runs r"
            + (beforeRunId == null ? "" : " JOIN runs b ON b.id = :before")
            + " WHERE r.base_id = :base AND EXISTS (SELECT 1 FROM run_entities e"
            + " WHERE e.run_id = r.id AND e.name = :entity AND e.checked = :checked)"
            + (beforeRunId == null
                ? ""
                : " AND (r.created_at < b.created_at OR (r.created_at = b.created_at AND r.id < b.id))")
            + " ORDER BY r.created_at DESC, r.id DESC LIMIT 1";
    var query =
        h.createQuery(sql).bind("base", baseId).bind("entity", entity).bind("checked", true);
    if (beforeRunId != null) {
      query.bind("before", beforeRunId);
    }
    return query.mapTo(String.class).findOne();
  }

  @Override
  public List<EntityCount> checkedCounts(
      String baseId, String entity, String throughRunId, int limit) {
    Objects.requireNonNull(throughRunId, "throughRunId");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
    return db.with(
        "reading the record counts of " + entity + " up to run " + throughRunId,
        h ->
            h.createQuery(
                    "SELECT r.id, r.created_at, e.records FROM runs r"
                        + " JOIN runs b ON b.id = :through"
                        + " JOIN run_entities e ON e.run_id = r.id AND e.name = :entity"
                        + " WHERE r.base_id = :base AND e.checked = :checked"
                        + " AND (r.created_at < b.created_at"
                        + " OR (r.created_at = b.created_at AND r.id <= b.id))"
                        + " ORDER BY r.created_at DESC, r.id DESC LIMIT :limit")
                .bind("through", throughRunId)
                .bind("entity", entity)
                .bind("base", baseId)
                .bind("checked", true)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new EntityCount(
                            rs.getString(1), Db.instant(rs, "created_at"), rs.getLong(3)))
                .list());
  }

  @Override
  public void saveEntities(String runId, List<EntityProgress> entities) {
    db.useTransaction(
        "saving the entities of run " + runId,
        h -> {
          int start =
              h.createQuery(
                      "SELECT COALESCE(MAX(position), -1) + 1 FROM run_entities WHERE run_id = :run")
                  .bind("run", runId)
                  .mapTo(Integer.class)
                  .one();
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO run_entities (run_id, name, table_name, status, records, pages,"
                      + " duration_ms, error, checked, issues, page_latency_ms, partial_checks,"
                      + " position) VALUES (:run, :name, :table, :status, :records, :pages,"
                      + " :duration, :error, :checked, :issues, :latency, :partial, :position)");
          int position = start;
          for (EntityProgress entity : entities) {
            bindEntity(batch, runId, entity).bind("position", position++).add();
          }
          if (!entities.isEmpty()) {
            batch.execute();
          }
        });
  }

  @Override
  public void updateEntity(EntityProgress progress) {
    db.use(
        "updating entity " + progress.name() + " of run " + progress.runId(),
        h ->
            bindEntity(
                    h.createUpdate(
                        "INSERT INTO run_entities (run_id, name, table_name, status, records,"
                            + " pages, duration_ms, error, checked, issues, page_latency_ms,"
                            + " partial_checks, position) VALUES (:run, :name, :table, :status,"
                            + " :records, :pages, :duration, :error, :checked, :issues, :latency,"
                            + " :partial, (SELECT COALESCE(MAX(position), -1) + 1"
                            + " FROM run_entities WHERE run_id = :run)) ON CONFLICT (run_id, name)"
                            + " DO UPDATE SET table_name = excluded.table_name, status ="
                            + " excluded.status, records = excluded.records, pages ="
                            + " excluded.pages, duration_ms = excluded.duration_ms, error ="
                            + " excluded.error, checked = excluded.checked, issues ="
                            + " excluded.issues, page_latency_ms = excluded.page_latency_ms,"
                            + " partial_checks = excluded.partial_checks"),
                    progress.runId(),
                    progress)
                .execute());
  }

  private <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindEntity(
      T statement, String runId, EntityProgress entity) {
    return statement
        .bind("run", runId)
        .bind("name", entity.name())
        .bind("table", entity.table())
        .bind("status", entity.status().wire())
        .bind("records", entity.records())
        .bind("pages", entity.pages())
        .bind("duration", entity.durationMs())
        .bind("error", entity.error())
        .bind("checked", entity.checked())
        .bind("issues", entity.issues())
        .bind("latency", entity.pageLatencyMs())
        .bind("partial", db.toJson(entity.partialChecks()));
  }

  @Override
  public List<EntityProgress> entities(String runId) {
    return db.with(
        "reading the entities of run " + runId,
        h ->
            h.createQuery(
                    "SELECT run_id, name, table_name, status, records, pages, duration_ms, error,"
                        + " checked, issues, page_latency_ms, partial_checks FROM run_entities"
                        + " WHERE run_id = :run"
                        + " ORDER BY position")
                .bind("run", runId)
                .map(
                    (rs, ctx) ->
                        new EntityProgress(
                            rs.getString("run_id"),
                            rs.getString("name"),
                            rs.getString("table_name"),
                            EntityStatus.parse(rs.getString("status")),
                            rs.getLong("records"),
                            rs.getInt("pages"),
                            Db.nullableLong(rs, "duration_ms"),
                            rs.getString("error"),
                            rs.getBoolean("checked"),
                            rs.getLong("issues"),
                            Db.nullableLong(rs, "page_latency_ms"),
                            db.fromJson(rs.getString("partial_checks"))))
                .list());
  }

  @Override
  public Optional<LastEntityFetch> lastFetch(String baseId, String entity) {
    return db.with(
        "finding the last run of base " + baseId + " that fetched " + entity,
        h ->
            h.createQuery(
                    "SELECT e.run_id, e.name, e.pages, e.page_latency_ms, e.duration_ms"
                        + " FROM run_entities e JOIN runs r ON r.id = e.run_id"
                        + " WHERE r.base_id = :base AND e.name = :entity AND e.status = 'fetched'"
                        + " AND e.pages > 0" // an incremental run lists no page: no figure to plan
                        // by
                        + " ORDER BY r.created_at DESC, r.id DESC LIMIT 1")
                .bind("base", baseId)
                .bind("entity", entity)
                .map(
                    (rs, ctx) ->
                        new LastEntityFetch(
                            rs.getString("run_id"),
                            rs.getString("name"),
                            rs.getInt("pages"),
                            Db.nullableLong(rs, "page_latency_ms"),
                            Db.nullableLong(rs, "duration_ms")))
                .findOne());
  }

  private RunRecord mapRun(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RunRecord(
        rs.getString("id"),
        rs.getString("base_id"),
        RunStatus.parse(rs.getString("status")),
        Trigger.parse(rs.getString("trigger_kind")),
        rs.getString("schedule"),
        db.fromJson(rs.getString("entities")),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "started_at"),
        Db.instant(rs, "finished_at"),
        rs.getString("error"),
        rs.getString("owner"),
        Db.instant(rs, "heartbeat_at"),
        Db.instant(rs, "last_progress_at"),
        Db.instant(rs, "cancel_requested_at"),
        RunMode.parse(rs.getString("mode")),
        rs.getString("mode_reason"),
        Db.nullableLong(rs, "api_calls"),
        Db.nullableLong(rs, "call_budget"));
  }

  @Override
  public void recordApiCalls(String runId, long calls, Long budget) {
    db.use(
        "saving the API calls of run " + runId,
        h ->
            // Never lower: a late heartbeat's count must not undo the ending's.
            h.createUpdate(
                    "UPDATE runs SET api_calls = :calls, call_budget = :budget WHERE id = :id"
                        + " AND (api_calls IS NULL OR api_calls <= :calls)")
                .bind("calls", calls)
                .bind("budget", budget)
                .bind("id", runId)
                .execute());
  }

  @Override
  public long apiCallsSince(String baseId, Instant since) {
    return db.with(
        "summing the API calls of base " + baseId,
        h ->
            h.createQuery(
                    "SELECT COALESCE(SUM(api_calls), 0) FROM runs"
                        + " WHERE base_id = :base AND created_at >= :since")
                .bind("base", baseId)
                .bind("since", since.toEpochMilli())
                .mapTo(Long.class)
                .one());
  }

  @Override
  public Optional<RunRecord> lastCounted(String baseId, String schedule) {
    return db.with(
        "finding the last counted run of base " + baseId,
        h -> {
          var q =
              h.createQuery(
                  "SELECT "
                      + COLUMNS
                      + " FROM runs WHERE base_id = :base AND status = 'succeeded'"
                      + " AND api_calls IS NOT NULL AND api_calls > 0"
                      + (schedule == null ? "" : " AND schedule = :schedule")
                      + " ORDER BY created_at DESC, id DESC LIMIT 1");
          q.bind("base", baseId);
          if (schedule != null) {
            q.bind("schedule", schedule);
          }
          return q.map(this::mapRun).findFirst();
        });
  }

  @Override
  public void setMode(String runId, RunMode mode, String reason) {
    Objects.requireNonNull(mode, "mode");
    db.use(
        "saving the mode of run " + runId,
        h ->
            h.createUpdate("UPDATE runs SET mode = :mode, mode_reason = :reason WHERE id = :id")
                .bind("mode", mode.wire())
                .bind("reason", reason)
                .bind("id", runId)
                .execute());
  }
}
