package dev.integrity.store;

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
          + " state) VALUES (:run, :entity, :record, :check, :field, :severity, :message, :url,"
          + " :state)";
  private static final String COLUMNS =
      "run_id, entity, record_id, check_id, field, severity, message, url, state";

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
        .bind("state", issue.state() == null ? IssueRow.NEW : issue.state());
  }

  @Override
  public void computeStates(String runId, String baseId, List<String> entities) {
    db.useTransaction(
        "computing issue states of run " + runId,
        h -> {
          for (String entity : entities) {
            computeStates(h, runId, baseId, entity);
          }
        });
  }

  private static void computeStates(Handle h, String runId, String baseId, String entity) {
    // Start over, so computing twice gives the same result.
    h.createUpdate(
            "DELETE FROM issues WHERE run_id = :run AND entity = :entity AND state = 'resolved'")
        .bind("run", runId)
        .bind("entity", entity)
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
      return;
    }
    h.createUpdate(
            "UPDATE issues SET state = 'persisting' WHERE run_id = :run AND entity = :entity"
                + " AND EXISTS (SELECT 1 FROM issues p WHERE p.run_id = :previous"
                + " AND p.entity = issues.entity AND p.check_id = issues.check_id"
                + " AND p.record_id = issues.record_id AND p.field = issues.field"
                + " AND p.state <> 'resolved')")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("previous", previous.get())
        .execute();
    h.createUpdate(
            "INSERT INTO issues (run_id, entity, record_id, check_id, field, severity, message,"
                + " url, state) SELECT :run, p.entity, p.record_id, p.check_id, p.field,"
                + " p.severity, p.message, p.url, 'resolved' FROM issues p"
                + " WHERE p.run_id = :previous AND p.entity = :entity AND p.state <> 'resolved'"
                + " AND NOT EXISTS (SELECT 1 FROM issues c WHERE c.run_id = :run"
                + " AND c.entity = p.entity AND c.check_id = p.check_id"
                + " AND c.record_id = p.record_id AND c.field = p.field"
                + " AND c.state <> 'resolved') ORDER BY p.id")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("previous", previous.get())
        .execute();
  }

  @Override
  public IssueSummary summary(String runId) {
    return db.with(
        "summarising the issues of run " + runId,
        h -> {
          long total = 0;
          long newCount = 0;
          long resolved = 0;
          Map<String, Long> bySeverity = new HashMap<>();
          for (Map<String, Object> row :
              h.createQuery(
                      "SELECT severity, state, COUNT(*) AS n FROM issues WHERE run_id = :run"
                          + " GROUP BY severity, state")
                  .bind("run", runId)
                  .mapToMap()
                  .list()) {
            String severity = (String) row.get("severity");
            String state = (String) row.get("state");
            long n = ((Number) row.get("n")).longValue();
            if (IssueRow.RESOLVED.equals(state)) {
              resolved += n;
              continue;
            }
            total += n;
            bySeverity.merge(severity, n, Long::sum);
            if (IssueRow.NEW.equals(state)) {
              newCount += n;
            }
          }
          return new IssueSummary(total, bySeverity, newCount, resolved);
        });
  }

  @Override
  public List<IssueRow> list(String runId, IssueFilter filter, int limit, int offset) {
    return db.with(
        "listing the issues of run " + runId,
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM issues WHERE run_id = :run"
                        + condition(filter)
                        + " ORDER BY id LIMIT :limit OFFSET :offset")
                .bind("run", runId)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(JdbiIssueRepository::mapIssue)
                .list());
  }

  @Override
  public void forEach(String runId, IssueFilter filter, Consumer<IssueRow> consumer) {
    String sql = "SELECT " + COLUMNS + " FROM issues WHERE run_id = :run" + condition(filter);
    String operation = "streaming the issues of run " + runId;
    switch (db.dialect) {
      // PostgreSQL only streams with a fetch size inside a transaction; SQLite streams anyway, and
      // a transaction there (BEGIN IMMEDIATE) would hold the write lock while the consumer runs.
      case POSTGRESQL -> db.useTransaction(operation, h -> stream(h, sql, runId).forEach(consumer));
      case SQLITE -> db.use(operation, h -> stream(h, sql, runId).forEach(consumer));
    }
  }

  private static org.jdbi.v3.core.result.ResultIterable<IssueRow> stream(
      Handle h, String sql, String runId) {
    return h.createQuery(sql + " ORDER BY id")
        .setFetchSize(STREAM_FETCH_SIZE)
        .bind("run", runId)
        .map(JdbiIssueRepository::mapIssue);
  }

  private static String condition(IssueFilter filter) {
    return switch (filter) {
      case NEW -> " AND state = 'new'";
      case RESOLVED -> " AND state = 'resolved'";
      case ALL -> "";
    };
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
        rs.getString("state"));
  }
}
