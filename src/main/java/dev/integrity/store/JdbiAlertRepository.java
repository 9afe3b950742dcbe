package dev.integrity.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link AlertRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiAlertRepository implements AlertRepository {
  private static final String COLUMNS =
      "id, alert_key, kind, base_id, run_id, schedule, message, state, opened_at, resolved_at";

  private final Db db;

  JdbiAlertRepository(Db db) {
    this.db = db;
  }

  @Override
  public Optional<AlertRow> openIfAbsent(
      String key, String kind, String baseId, String runId, String schedule, String message) {
    Objects.requireNonNull(key, "key");
    return db.inTransaction(
        "opening alert " + key,
        h -> {
          // The partial unique index (one open alert per key) decides: a second insert, from
          // this process or another, does nothing.
          int inserted =
              h.createUpdate(
                      "INSERT INTO alerts (alert_key, kind, base_id, run_id, schedule, message,"
                          + " state, opened_at) VALUES (:key, :kind, :base, :run, :schedule,"
                          + " :message, 'open', :now) ON CONFLICT DO NOTHING")
                  .bind("key", key)
                  .bind("kind", kind)
                  .bind("base", baseId)
                  .bind("run", runId)
                  .bind("schedule", schedule)
                  .bind("message", message)
                  .bind("now", db.now())
                  .execute();
          // Read in the same transaction: the row we inserted is the open one for this key.
          return inserted == 1 ? openRow(h, key) : Optional.<AlertRow>empty();
        });
  }

  @Override
  public boolean amend(String key, String message) {
    Objects.requireNonNull(key, "key");
    return db.inTransaction(
            "amending alert " + key,
            h ->
                h.createUpdate(
                        "UPDATE alerts SET message = :message"
                            + " WHERE alert_key = :key AND state = 'open'")
                    .bind("message", message)
                    .bind("key", key)
                    .execute())
        > 0;
  }

  @Override
  public Optional<AlertRow> renotify(String key, String message, Duration every) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
    return db.inTransaction(
        "re-notifying alert " + key,
        h -> {
          long now = db.now();
          // The WHERE decides, as a compare-and-set: of several processes seeing the condition
          // at once, one stamps the row and repeats it; the others find it freshly notified.
          int changed =
              h.createUpdate(
                      "UPDATE alerts SET notified_at = :now, message = :message"
                          + " WHERE alert_key = :key AND state = 'open'"
                          + " AND COALESCE(notified_at, opened_at) <= :cutoff")
                  .bind("now", now)
                  .bind("message", message)
                  .bind("key", key)
                  .bind("cutoff", now - every.toMillis())
                  .execute();
          return changed == 1 ? openRow(h, key) : Optional.<AlertRow>empty();
        });
  }

  @Override
  public Optional<AlertRow> resolve(String key) {
    return db.inTransaction(
        "resolving alert " + key,
        h -> {
          Optional<AlertRow> open = openRow(h, key);
          if (open.isEmpty()) {
            return Optional.<AlertRow>empty();
          }
          int changed =
              h.createUpdate(
                      "UPDATE alerts SET state = 'resolved', resolved_at = :now"
                          + " WHERE id = :id AND state = 'open'")
                  .bind("now", db.now())
                  .bind("id", open.get().id())
                  .execute();
          return changed == 1 ? byId(h, open.get().id()) : Optional.<AlertRow>empty();
        });
  }

  private Optional<AlertRow> openRow(Handle h, String key) {
    return h.createQuery(
            "SELECT " + COLUMNS + " FROM alerts WHERE alert_key = :key AND state = 'open'")
        .bind("key", key)
        .map(JdbiAlertRepository::mapAlert)
        .findOne();
  }

  private Optional<AlertRow> byId(Handle h, long id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM alerts WHERE id = :id")
        .bind("id", id)
        .map(JdbiAlertRepository::mapAlert)
        .findOne();
  }

  @Override
  public List<AlertRow> list(int limit) {
    return db.with(
        "listing alerts",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM alerts ORDER BY opened_at DESC, id DESC LIMIT :limit")
                .bind("limit", limit)
                .map(JdbiAlertRepository::mapAlert)
                .list());
  }

  @Override
  public List<AlertRow> open() {
    return db.with(
        "listing open alerts",
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM alerts WHERE state = 'open' ORDER BY opened_at, id")
                .map(JdbiAlertRepository::mapAlert)
                .list());
  }

  @Override
  public void recordDelivery(long alertId, String channel, boolean ok, String error) {
    db.use(
        "recording a delivery of alert " + alertId,
        h ->
            h.createUpdate(
                    "INSERT INTO alert_deliveries (alert_id, channel, ok, error, attempted_at)"
                        + " VALUES (:alert, :channel, :ok, :error, :now)")
                .bind("alert", alertId)
                .bind("channel", channel)
                .bind("ok", ok)
                .bind("error", error)
                .bind("now", db.now())
                .execute());
  }

  @Override
  public List<AlertDelivery> deliveries(long alertId) {
    return db.with(
        "listing the deliveries of alert " + alertId,
        h ->
            h.createQuery(
                    "SELECT alert_id, channel, ok, error, attempted_at FROM alert_deliveries"
                        + " WHERE alert_id = :alert ORDER BY id")
                .bind("alert", alertId)
                .map(
                    (rs, ctx) ->
                        new AlertDelivery(
                            rs.getLong("alert_id"),
                            rs.getString("channel"),
                            rs.getBoolean("ok"),
                            rs.getString("error"),
                            Db.instant(rs, "attempted_at")))
                .list());
  }

  private static AlertRow mapAlert(ResultSet rs, StatementContext ctx) throws SQLException {
    return new AlertRow(
        rs.getLong("id"),
        rs.getString("alert_key"),
        rs.getString("kind"),
        rs.getString("base_id"),
        rs.getString("run_id"),
        rs.getString("schedule"),
        rs.getString("message"),
        rs.getString("state"),
        Db.instant(rs, "opened_at"),
        Db.instant(rs, "resolved_at"));
  }
}
