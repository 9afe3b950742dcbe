package dev.integrity.store;

import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link IssueRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiIssueRepository implements IssueRepository {
  static final int DEFAULT_BATCH_SIZE = 1_000;
  private static final int STREAM_FETCH_SIZE = 1_000;
  private static final String INSERT =
      "INSERT INTO issues (run_id, entity, record_id, check_id, field, severity, message, url,"
          + " state, offending_value) VALUES (:run, :entity, :record, :check, :field, :severity, :message,"
          + " :url, :state, :value)";
  private static final String COLUMNS =
      "run_id, entity, record_id, check_id, field, severity, message, url, state, offending_value,"
          // Issues of a run whose states are not computed yet (still running) began with it.
          + " COALESCE(first_seen_at, (SELECT COALESCE(r.started_at, r.created_at) FROM runs r"
          + " WHERE r.id = issues.run_id)) AS first_seen_at, ack_id,"
          + " (SELECT a.reason FROM acks a WHERE a.id = issues.ack_id) AS ack_reason,"
          + " (SELECT a.created_by FROM acks a WHERE a.id = issues.ack_id) AS ack_by,"
          + " (SELECT a.until_at FROM acks a WHERE a.id = issues.ack_id) AS ack_until";

  private final Db db;

  JdbiIssueRepository(Db db) {
    this.db = db;
  }

  @Override
  public IssueWriter writer(String runId) {
    return writer(runId, DEFAULT_BATCH_SIZE);
  }

  @Override
  public IssueWriter writer(String runId, int batchSize) {
    Objects.requireNonNull(runId, "runId");
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
    }
    return new BatchingWriter(runId, batchSize);
  }

  /** Buffers at most one batch; each flush is one transaction. Not thread-safe. */
  private final class BatchingWriter implements IssueWriter {
    private final String runId;
    private final int batchSize;
    private final List<IssueRow> buffer;
    private long written;
    private boolean closed;

    BatchingWriter(String runId, int batchSize) {
      this.runId = runId;
      this.batchSize = batchSize;
      this.buffer = new ArrayList<>(batchSize);
    }

    @Override
    public void add(IssueRow issue) {
      if (closed) {
        throw new IllegalStateException("the issue writer of run " + runId + " is closed");
      }
      if (issue.runId() != null && !issue.runId().equals(runId)) {
        throw new IllegalArgumentException(
            "issue of run " + issue.runId() + " given to the writer of run " + runId);
      }
      buffer.add(issue);
      if (buffer.size() >= batchSize) {
        flush();
      }
    }

    @Override
    public void flush() {
      if (buffer.isEmpty()) {
        return;
      }
      int count = buffer.size();
      db.useTransaction(
          "writing " + count + " issues of run " + runId,
          h -> {
            PreparedBatch batch = h.prepareBatch(INSERT);
            for (IssueRow issue : buffer) {
              bindIssue(batch, runId, issue).add();
            }
            batch.execute();
          });
      buffer.clear();
      written += count;
    }

    @Override
    public long written() {
      return written;
    }

    @Override
    public void close() {
      if (!closed) {
        flush();
        closed = true;
      }
    }
  }

  private static PreparedBatch bindIssue(PreparedBatch batch, String runId, IssueRow issue) {
    return batch
        .bind("run", runId)
        .bind("entity", issue.entity())
        .bind("record", issue.recordId() == null ? "" : issue.recordId())
        .bind("check", issue.checkId())
        .bind("field", issue.field() == null ? "" : issue.field())
        .bind("severity", issue.severity())
        .bind("message", issue.message())
        .bind("url", issue.url())
        .bind("value", issue.value())
        .bind("state", issue.state() == null ? IssueRow.NEW : issue.state());
  }

  @Override
  public Map<String, Long> computeStates(
      String runId, String baseId, List<EntityCoverage> coverage) {
    Objects.requireNonNull(coverage, "coverage");
    refreshStatistics(db);
    return db.inTransaction(
        "computing issue states of run " + runId,
        h -> {
          joinByHashOrMerge(h, db.dialect);
          Map<String, Long> open = new java.util.LinkedHashMap<>();
          long now = db.now();
          for (EntityCoverage entity : coverage) {
            computeStates(h, runId, baseId, entity, now);
            open.put(entity.entity(), openIssues(h, runId, entity.entity()));
          }
          return open;
        });
  }

  private static final String OPEN = "('new', 'persisting')";

  /**
   * On PostgreSQL, joins within this transaction by hash or merge. A run's issues are written just
   * before its states are computed; should the statistics still expect one row per run, the planner
   * picks a nested loop that filters, 10,000 x 10,000 row comparisons (34 s for one entity,
   * measured) where a merge join takes 0.25 s. {@code SET LOCAL} ends with the transaction.
   */
  static void joinByHashOrMerge(Handle h, Dialect dialect) {
    if (dialect == Dialect.POSTGRESQL) {
      h.execute("SET LOCAL enable_nestloop = off");
    }
  }

  /**
   * On PostgreSQL, samples the issues table again so that the planner knows the run just written:
   * with statistics that predate it, it expects one row per run and reads a correlated lookup
   * through any index on run_id, filtering 10,000 x 10,000 rows (past the statement timeout,
   * measured). Outside the transaction: ANALYZE holds its lock until the end of the transaction,
   * which would queue every other base's state computation behind this one. About 0.3 s.
   */
  static void refreshStatistics(Db db) {
    if (db.dialect == Dialect.POSTGRESQL) {
      db.use("sampling the issues table", h -> h.execute("ANALYZE issues"));
    }
  }

  /** Same entity, check, record and field as the outer row {@code p} (issue fingerprint). */
  private static final String SAME_AS_P =
      " c.entity = p.entity AND c.check_id = p.check_id AND c.record_id = p.record_id"
          + " AND c.field = p.field";

  private static void computeStates(
      Handle h, String runId, String baseId, EntityCoverage cov, long now) {
    String entity = cov.entity();
    // Start over, so computing twice gives the same result: what an earlier computation added
    // (resolved, retired and carried rows) goes, and what the checks found is new again.
    h.createUpdate(
            "DELETE FROM issues WHERE run_id = :run AND entity = :entity"
                + " AND (state IN ('resolved', 'retired') OR carried = :carried)")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("carried", true)
        .execute();
    h.createUpdate(
            "UPDATE issues SET state = 'new' WHERE run_id = :run AND entity = :entity"
                + " AND state <> 'new'")
        .bind("run", runId)
        .bind("entity", entity)
        .execute();
    // The last run that checked the entity, so a partial run that did not check it resolves
    // nothing.
    Optional<String> previous = JdbiRunRepository.lastChecked(h, baseId, entity, runId);
    if (previous.isEmpty()) {
      triage(h, runId, baseId, entity, null, now);
      stampHistory(h, runId, entity, null);
      return;
    }
    h.createUpdate(
            "UPDATE issues SET state = 'persisting' WHERE run_id = :run AND entity = :entity"
                + " AND EXISTS (SELECT 1 FROM issues p WHERE p.run_id = :previous"
                + " AND p.entity = issues.entity AND p.check_id = issues.check_id"
                + " AND p.record_id = issues.record_id AND p.field = issues.field"
                + " AND p.state IN "
                + OPEN
                + ")")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("previous", previous.get())
        .execute();
    Conditions conditions = Conditions.of(cov);
    String absentNow =
        " FROM issues p WHERE p.run_id = :previous AND p.entity = :entity AND p.state IN "
            + OPEN
            + " AND NOT EXISTS (SELECT 1 FROM issues c WHERE c.run_id = :run AND"
            + SAME_AS_P
            + " AND c.state IN "
            + OPEN
            + ")";
    // The previous open issues this run could not have found (a part of their check did not run)
    // stay open: carried over as they were, persisting, first seen when they were.
    if (!cov.notEvaluated().isEmpty()) {
      conditions
          .bind(
              h.createUpdate(
                  "INSERT INTO issues (run_id, entity, record_id, check_id, field, severity,"
                      + " message, url, offending_value, state, first_seen_at, carried) SELECT :run,"
                      + " p.entity, p.record_id, p.check_id, p.field, p.severity, p.message,"
                      + " p.url, p.offending_value,"
                      + " 'persisting', p.first_seen_at, :carried"
                      + absentNow
                      + " AND "
                      + conditions.configured()
                      + " AND "
                      + conditions.unknown()
                      + " ORDER BY p.id"))
          .bind("run", runId)
          .bind("entity", entity)
          .bind("previous", previous.get())
          .bind("carried", true)
          .execute();
    }
    // The rest were evaluated and found fine (resolved), or belong to a check that is gone.
    conditions
        .bind(
            h.createUpdate(
                "INSERT INTO issues (run_id, entity, record_id, check_id, field, severity,"
                    + " message, url, offending_value, state) SELECT :run, p.entity, p.record_id,"
                    + " p.check_id, p.field, p.severity, p.message, p.url, p.offending_value, CASE WHEN "
                    + conditions.configured()
                    + " THEN 'resolved' ELSE 'retired' END"
                    + absentNow
                    + " ORDER BY p.id"))
        .bind("run", runId)
        .bind("entity", entity)
        .bind("previous", previous.get())
        .execute();
    triage(h, runId, baseId, entity, previous.get(), now);
    stampHistory(h, runId, entity, previous.get());
  }

  /**
   * Issue 22, once the states are known: the acknowledgements in force cover their open issues,
   * those that lost theirs since the previous run alert again, and acknowledgements whose issues
   * all resolved end.
   */
  private static void triage(
      Handle h, String runId, String baseId, String entity, String previous, long now) {
    AckStamps.stamp(h, runId, baseId, entity, now);
    AckStamps.markReopened(h, runId, entity, previous);
    AckStamps.endResolved(h, runId, baseId, entity, now);
  }

  /**
   * An {@link EntityCoverage} as SQL conditions on a previous issue {@code p}, with their
   * parameters: {@link #configured} (its check is in the config) and {@link #unknown} (a part that
   * did not run covers it; the same test as {@link EntityCoverage.NotEvaluated#covers}).
   */
  private record Conditions(String configured, String unknown, Map<String, Object> params) {
    static Conditions of(EntityCoverage coverage) {
      Map<String, Object> params = new HashMap<>();
      StringBuilder configured = new StringBuilder();
      for (String check : coverage.configuredChecks()) {
        String name = "cfg" + params.size();
        params.put(name, check);
        configured.append(configured.isEmpty() ? "" : ", ").append(':').append(name);
      }
      StringBuilder unknown = new StringBuilder();
      for (EntityCoverage.NotEvaluated part : coverage.notEvaluated()) {
        String check = "ne" + params.size();
        params.put(check, part.checkId());
        unknown.append(unknown.isEmpty() ? "(" : " OR ");
        switch (part) {
          case EntityCoverage.NotEvaluated.WholeCheck w ->
              unknown.append("p.check_id = :").append(check);
          case EntityCoverage.NotEvaluated.FieldsStartingWith f -> {
            String prefix = "ne" + params.size();
            params.put(prefix, f.prefix());
            // substr/length count characters in both dialects: no LIKE, so no escaping of % or _.
            unknown
                .append("(p.check_id = :")
                .append(check)
                .append(" AND substr(p.field, 1, length(:")
                .append(prefix)
                .append(")) = :")
                .append(prefix)
                .append(')');
          }
        }
      }
      return new Conditions(
          configured.isEmpty() ? "1 = 0" : "p.check_id IN (" + configured + ")",
          unknown.isEmpty() ? "1 = 0" : unknown.append(')').toString(),
          params);
    }

    <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bind(T statement) {
      params.forEach(statement::bind);
      return statement;
    }
  }

  private static long openIssues(Handle h, String runId, String entity) {
    return h.createQuery(
            "SELECT COUNT(*) FROM issues WHERE run_id = :run AND entity = :entity AND state IN "
                + OPEN)
        .bind("run", runId)
        .bind("entity", entity)
        .mapTo(Long.class)
        .one();
  }

  /**
   * Issue 12, after the states are known: a persisting, resolved or retired issue keeps the
   * first-seen time of its match in the previous run (that run's start when it predates the
   * column), a new one starts its series at this run's start; then the run's counts per check are
   * recorded for the sparklines. Kept apart from the state computation so that the two can change
   * independently.
   */
  private static void stampHistory(Handle h, String runId, String entity, String previous) {
    if (previous != null) {
      h.createUpdate(
              "UPDATE issues SET first_seen_at = COALESCE((SELECT MIN(p.first_seen_at) FROM issues p"
                  + " WHERE p.run_id = :previous AND p.entity = issues.entity"
                  + " AND p.check_id = issues.check_id AND p.record_id = issues.record_id"
                  + " AND p.field = issues.field AND p.state IN "
                  + OPEN
                  + "), (SELECT COALESCE(r.started_at, r.created_at) FROM runs r"
                  + " WHERE r.id = :previous))"
                  + " WHERE run_id = :run AND entity = :entity"
                  + " AND state IN ('persisting', 'resolved', 'retired')")
          .bind("run", runId)
          .bind("entity", entity)
          .bind("previous", previous)
          .execute();
    }
    h.createUpdate(
            "UPDATE issues SET first_seen_at = (SELECT COALESCE(r.started_at, r.created_at)"
                + " FROM runs r WHERE r.id = :run) WHERE run_id = :run AND entity = :entity"
                + " AND state = 'new'")
        .bind("run", runId)
        .bind("entity", entity)
        .execute();
    recount(h, runId, entity);
  }

  /** Records the run's counts per check of one entity (after its states or acknowledgements). */
  static void recount(Handle h, String runId, String entity) {
    h.createUpdate("DELETE FROM issue_counts WHERE run_id = :run AND entity = :entity")
        .bind("run", runId)
        .bind("entity", entity)
        .execute();
    h.createUpdate(
            "INSERT INTO issue_counts (run_id, entity, check_id, severity, open_count, new_count,"
                + " persisting, resolved, retired, acknowledged, alerting) SELECT run_id, entity,"
                + " check_id, severity,"
                + COUNT_COLUMNS
                + " FROM issues WHERE run_id = :run AND entity = :entity"
                + " GROUP BY run_id, entity, check_id, severity")
        .bind("run", runId)
        .bind("entity", entity)
        .execute();
  }

  // reopened is a boolean column: bare, it is a condition in both dialects (SQLite's 0/1 too).
  private static final String COUNT_COLUMNS =
      " SUM(CASE WHEN state IN ('new', 'persisting') THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state = 'new' THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state = 'persisting' THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state = 'resolved' THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state = 'retired' THEN 1 ELSE 0 END),"
          + " SUM(CASE WHEN state IN ('new', 'persisting') AND ack_id IS NOT NULL THEN 1 ELSE 0"
          + " END),"
          + " SUM(CASE WHEN state IN ('new', 'persisting') AND ack_id IS NULL"
          + " AND (state = 'new' OR reopened) THEN 1 ELSE 0 END)";

  /**
   * Issues whose states are computed are counted in issue_counts (a few rows); only the others (a
   * run still going, or rows from before V4) are counted from the issues themselves, found through
   * the partial index issues_uncomputed_idx. Both halves are SQL aggregates, so a 100,000-issue run
   * costs a few rows, not a scan.
   */
  private static final String COUNTS_BY_CHECK =
      "SELECT entity, check_id, severity, open_count, new_count, persisting, resolved, retired,"
          + " acknowledged, alerting FROM issue_counts WHERE run_id = :run"
          + " UNION ALL SELECT entity, check_id, severity,"
          + COUNT_COLUMNS
          + " FROM issues WHERE run_id = :run"
          // Not computed yet: stampHistory sets first_seen_at and issue_counts in one transaction.
          + " AND first_seen_at IS NULL"
          + " GROUP BY entity, check_id, severity";

  @Override
  public List<CheckCount> checkCounts(String runId) {
    return db.with(
        "counting the issues of run " + runId + " per check",
        h ->
            h.createQuery(
                    "SELECT entity, check_id, severity, SUM(open_count), SUM(new_count),"
                        + " SUM(persisting), SUM(resolved), SUM(retired), SUM(acknowledged) FROM ("
                        + COUNTS_BY_CHECK
                        + ") t GROUP BY entity, check_id, severity"
                        + " ORDER BY entity, check_id, severity")
                .bind("run", runId)
                .map(
                    (rs, ctx) ->
                        new CheckCount(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getLong(5),
                            rs.getLong(6),
                            rs.getLong(7),
                            rs.getLong(8),
                            rs.getLong(9)))
                .list());
  }

  @Override
  public List<CheckHistory> history(String runId, int runs) {
    if (runs <= 0) {
      throw new IllegalArgumentException("runs must be positive, was " + runs);
    }
    return db.with(
        "reading the issue history up to run " + runId,
        h -> {
          List<String> window =
              new ArrayList<>(
                  h.createQuery(
                          "SELECT r.id FROM runs r JOIN runs b ON b.id = :run"
                              + " WHERE r.base_id = b.base_id AND (r.created_at < b.created_at"
                              + " OR (r.created_at = b.created_at AND r.id <= b.id))"
                              + " ORDER BY r.created_at DESC, r.id DESC LIMIT :n")
                      .bind("run", runId)
                      .bind("n", runs)
                      .mapTo(String.class)
                      .list());
          java.util.Collections.reverse(window);
          if (window.isEmpty()) {
            return List.<CheckHistory>of();
          }
          Map<String, Integer> position = new HashMap<>();
          for (int i = 0; i < window.size(); i++) {
            position.put(window.get(i), i);
          }
          // A few rows per run (one per check and severity), never the issues themselves.
          Map<List<String>, long[]> series = new java.util.TreeMap<>(KEY_ORDER);
          h.createQuery(
                  "SELECT run_id, entity, check_id, SUM(open_count) FROM issue_counts"
                      + " WHERE run_id IN (<runs>) GROUP BY run_id, entity, check_id")
              .bindList("runs", window)
              .map(
                  (rs, ctx) -> {
                    long[] counts =
                        series.computeIfAbsent(
                            List.of(rs.getString(2), rs.getString(3)),
                            k -> new long[window.size()]);
                    counts[position.get(rs.getString(1))] = rs.getLong(4);
                    return null;
                  })
              .forEach(x -> {});
          List<CheckHistory> out = new ArrayList<>(series.size());
          series.forEach(
              (key, counts) ->
                  out.add(
                      new CheckHistory(
                          key.get(0),
                          key.get(1),
                          java.util.Arrays.stream(counts).boxed().toList())));
          return out;
        });
  }

  private static final java.util.Comparator<List<String>> KEY_ORDER =
      java.util.Comparator.<List<String>, String>comparing(k -> k.get(0))
          .thenComparing(k -> k.get(1));

  @Override
  public IssueSummary summary(String runId) {
    return db.with(
        "summarising the issues of run " + runId,
        h -> {
          long total = 0;
          long newCount = 0;
          long resolved = 0;
          long retired = 0;
          long acknowledged = 0;
          Map<String, Long> bySeverity = new HashMap<>();
          Map<String, Long> newBySeverity = new HashMap<>();
          Map<String, Long> ackBySeverity = new HashMap<>();
          Map<String, Long> alertingBySeverity = new HashMap<>();
          for (Map<String, Object> row :
              h.createQuery(
                      "SELECT severity, SUM(open_count) AS open_n, SUM(new_count) AS new_n,"
                          + " SUM(resolved) AS resolved_n, SUM(retired) AS retired_n,"
                          + " SUM(acknowledged) AS ack_n, SUM(alerting) AS alerting_n FROM ("
                          + COUNTS_BY_CHECK
                          + ") t GROUP BY severity")
                  .bind("run", runId)
                  .mapToMap()
                  .list()) {
            String severity = (String) row.get("severity");
            long open = ((Number) row.get("open_n")).longValue();
            total += open;
            long fresh = ((Number) row.get("new_n")).longValue();
            newCount += fresh;
            resolved += ((Number) row.get("resolved_n")).longValue();
            retired += ((Number) row.get("retired_n")).longValue();
            if (open > 0) {
              bySeverity.merge(severity, open, Long::sum);
            }
            if (fresh > 0) {
              newBySeverity.merge(severity, fresh, Long::sum);
            }
            long acked = ((Number) row.get("ack_n")).longValue();
            acknowledged += acked;
            if (acked > 0) {
              ackBySeverity.merge(severity, acked, Long::sum);
            }
            long alerting = ((Number) row.get("alerting_n")).longValue();
            if (alerting > 0) {
              alertingBySeverity.merge(severity, alerting, Long::sum);
            }
          }
          return new IssueSummary(
              total,
              bySeverity,
              newCount,
              resolved,
              retired,
              newBySeverity,
              acknowledged,
              ackBySeverity,
              alertingBySeverity);
        });
  }

  @Override
  public List<IssueRow> list(String runId, IssueQuery query, int limit, int offset) {
    return db.with(
        "listing the issues of run " + runId,
        h ->
            bind(
                    h.createQuery(
                        "SELECT "
                            + COLUMNS
                            + " FROM issues WHERE run_id = :run"
                            + condition(query)
                            + " ORDER BY id LIMIT :limit OFFSET :offset"),
                    runId,
                    query)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(JdbiIssueRepository::mapIssue)
                .list());
  }

  @Override
  public long count(String runId, IssueQuery query) {
    return db.with(
        "counting the issues of run " + runId,
        h ->
            bind(
                    h.createQuery(
                        "SELECT COUNT(*) FROM issues WHERE run_id = :run" + condition(query)),
                    runId,
                    query)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public List<IssueRow> tableIssues(String runId, int limit) {
    return db.with(
        "listing the table issues of run " + runId,
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM issues WHERE run_id = :run AND record_id = ''"
                        + " ORDER BY id LIMIT :limit")
                .bind("run", runId)
                .bind("limit", limit)
                .map(JdbiIssueRepository::mapIssue)
                .list());
  }

  @Override
  public void forEach(String runId, IssueQuery query, Consumer<IssueRow> consumer) {
    String sql = "SELECT " + COLUMNS + " FROM issues WHERE run_id = :run" + condition(query);
    String operation = "streaming the issues of run " + runId;
    switch (db.dialect) {
      // PostgreSQL only streams with a fetch size inside a transaction; SQLite streams anyway, and
      // a transaction there (BEGIN IMMEDIATE) would hold the write lock while the consumer runs.
      case POSTGRESQL ->
          db.useTransaction(operation, h -> stream(h, sql, runId, query).forEach(consumer));
      case SQLITE -> db.use(operation, h -> stream(h, sql, runId, query).forEach(consumer));
    }
  }

  private static org.jdbi.v3.core.result.ResultIterable<IssueRow> stream(
      Handle h, String sql, String runId, IssueQuery query) {
    return bind(h.createQuery(sql + " ORDER BY id").setFetchSize(STREAM_FETCH_SIZE), runId, query)
        .map(JdbiIssueRepository::mapIssue);
  }

  private static org.jdbi.v3.core.statement.Query bind(
      org.jdbi.v3.core.statement.Query q, String runId, IssueQuery query) {
    q.bind("run", runId);
    if (query.entity() != null) {
      q.bind("entity", query.entity());
    }
    List<String> within = within(query);
    for (int i = 0; i < within.size(); i++) {
      q.bind("within" + i, within.get(i));
    }
    if (query.check() != null) {
      q.bind("check", query.check());
    }
    if (query.severity() != null) {
      q.bind("severity", query.severity());
    }
    return q;
  }

  /** The query's entity set in a stable order (bound as :within0, :within1, …). */
  private static List<String> within(IssueQuery query) {
    return query.entities() == null ? List.of() : query.entities().stream().sorted().toList();
  }

  private static String withinCondition(IssueQuery query) {
    if (query.entities() == null) {
      return "";
    }
    if (query.entities().isEmpty()) {
      return " AND 1 = 0";
    }
    StringBuilder in = new StringBuilder(" AND entity IN (");
    for (int i = 0; i < query.entities().size(); i++) {
      in.append(i == 0 ? ":within" : ", :within").append(i);
    }
    return in.append(')').toString();
  }

  private static String condition(IssueQuery query) {
    String state =
        switch (query.state()) {
          case NEW -> " AND state = 'new'";
          case PERSISTING -> " AND state = 'persisting'";
          case RESOLVED -> " AND state = 'resolved'";
          case RETIRED -> " AND state = 'retired'";
          case OPEN -> " AND state IN " + OPEN;
          case ALL -> "";
        };
    String ack =
        switch (query.ack()) {
          case YES -> " AND ack_id IS NOT NULL";
          case NO -> " AND ack_id IS NULL";
          case ALL -> "";
        };
    return (query.entity() == null ? "" : " AND entity = :entity")
        + withinCondition(query)
        + (query.check() == null ? "" : " AND check_id = :check")
        + (query.severity() == null ? "" : " AND severity = :severity")
        + state
        + ack
        // reopened is a boolean column: bare, it is a condition in both dialects.
        + (query.alerting()
            ? " AND state IN " + OPEN + " AND ack_id IS NULL AND (state = 'new' OR reopened)"
            : "");
  }

  private static IssueRow mapIssue(ResultSet rs, StatementContext ctx) throws SQLException {
    String field = rs.getString("field");
    return new IssueRow(
        rs.getString("run_id"),
        rs.getString("entity"),
        rs.getString("record_id"),
        rs.getString("check_id"),
        field == null || field.isEmpty() ? null : field,
        rs.getString("severity"),
        rs.getString("message"),
        rs.getString("url"),
        rs.getString("state"),
        instant(rs.getObject("first_seen_at")),
        rs.getString("offending_value"),
        ackRef(rs));
  }

  private static dev.integrity.model.Ack.AckRef ackRef(ResultSet rs) throws SQLException {
    String id = rs.getString("ack_id");
    // A row stamped with an acknowledgement that was since deleted outright reads as
    // unacknowledged.
    String reason = rs.getString("ack_reason");
    return id == null || reason == null
        ? null
        : new dev.integrity.model.Ack.AckRef(
            id, reason, rs.getString("ack_by"), instant(rs.getObject("ack_until")));
  }

  private static java.time.Instant instant(Object epochMillis) {
    return epochMillis == null
        ? null
        : java.time.Instant.ofEpochMilli(((Number) epochMillis).longValue());
  }
}
