package dev.integrity.store;

import dev.integrity.model.RunMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link ScheduleRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiScheduleRepository implements ScheduleRepository {
  private static final String COLUMNS =
      "name, base_id, cron, timezone, entities, enabled, source, created_at, updated_at, mode";

  private final Db db;

  JdbiScheduleRepository(Db db) {
    this.db = db;
  }

  @Override
  public ScheduleRow upsert(ScheduleRow schedule) {
    Objects.requireNonNull(schedule.name(), "name");
    return db.with(
        "saving schedule " + schedule.name(),
        h -> {
          insert(
                  h,
                  schedule,
                  " ON CONFLICT (name) DO UPDATE SET base_id = excluded.base_id, cron ="
                      + " excluded.cron, timezone = excluded.timezone, entities ="
                      + " excluded.entities, enabled = excluded.enabled, source = excluded.source,"
                      + " mode = excluded.mode, updated_at = excluded.updated_at")
              .execute();
          return find(h, schedule.name()).orElseThrow();
        });
  }

  @Override
  public Optional<ScheduleRow> insertIfAbsent(ScheduleRow schedule) {
    Objects.requireNonNull(schedule.name(), "name");
    return db.with(
        "creating schedule " + schedule.name(),
        h -> {
          int inserted = insert(h, schedule, " ON CONFLICT (name) DO NOTHING").execute();
          // The row count says who won: 0 means another creation got there first.
          return inserted == 1 ? find(h, schedule.name()) : Optional.<ScheduleRow>empty();
        });
  }

  /** The insert of a schedule row, stamped now, with the given conflict clause. */
  private org.jdbi.v3.core.statement.Update insert(
      Handle h, ScheduleRow schedule, String onConflict) {
    long now = db.now();
    return h.createUpdate(
            "INSERT INTO schedules (name, base_id, cron, timezone, entities, enabled, source,"
                + " created_at, updated_at, mode) VALUES (:name, :base, :cron, :tz, :entities,"
                + " :enabled, :source, :now, :now, :mode)"
                + onConflict)
        .bind("name", schedule.name())
        .bind("base", schedule.baseId())
        .bind("cron", schedule.cron())
        .bind("tz", schedule.timezone())
        .bind("entities", db.toJson(schedule.entities()))
        .bind("enabled", schedule.enabled())
        .bind("source", schedule.source())
        .bind("mode", schedule.mode().wire())
        .bind("now", now);
  }

  @Override
  public Optional<ScheduleRow> find(String name) {
    return db.with("reading schedule " + name, h -> find(h, name));
  }

  private Optional<ScheduleRow> find(Handle h, String name) {
    return h.createQuery("SELECT " + COLUMNS + " FROM schedules WHERE name = :name")
        .bind("name", name)
        .map(this::mapSchedule)
        .findOne();
  }

  @Override
  public List<ScheduleRow> list() {
    return db.with(
        "listing schedules",
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM schedules ORDER BY name")
                .map(this::mapSchedule)
                .list());
  }

  @Override
  public boolean delete(String name) {
    return db.with(
        "deleting schedule " + name,
        h ->
            h.createUpdate("DELETE FROM schedules WHERE name = :name").bind("name", name).execute()
                == 1);
  }

  @Override
  public void recordFire(FireRow fire) {
    Objects.requireNonNull(fire.schedule(), "schedule");
    db.use(
        "recording a fire of schedule " + fire.schedule(),
        h ->
            h.createUpdate(
                    "INSERT INTO schedule_fires (schedule, base_id, fired_at, outcome, run_id,"
                        + " reason) VALUES (:schedule, :base, :at, :outcome, :run, :reason)")
                .bind("schedule", fire.schedule())
                .bind("base", fire.baseId())
                .bind("at", fire.firedAt() == null ? db.now() : fire.firedAt().toEpochMilli())
                .bind("outcome", fire.outcome())
                .bind("run", fire.runId())
                .bind("reason", fire.reason())
                .execute());
  }

  @Override
  public List<FireRow> fires(String schedule, int limit) {
    return db.with(
        "listing the fires of schedule " + schedule,
        h ->
            h.createQuery(
                    "SELECT schedule, base_id, fired_at, outcome, run_id, reason"
                        + " FROM schedule_fires WHERE schedule = :schedule"
                        + " ORDER BY id DESC LIMIT :limit")
                .bind("schedule", schedule)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new FireRow(
                            rs.getString("schedule"),
                            rs.getString("base_id"),
                            Db.instant(rs, "fired_at"),
                            rs.getString("outcome"),
                            rs.getString("run_id"),
                            rs.getString("reason")))
                .list());
  }

  @Override
  public int consecutiveSkips(String schedule) {
    return db.with(
        "counting skipped fires of schedule " + schedule,
        h ->
            h.createQuery(
                    "SELECT COUNT(*) FROM schedule_fires WHERE schedule = :schedule"
                        + " AND outcome = 'skipped' AND id > COALESCE((SELECT MAX(id) FROM"
                        + " schedule_fires WHERE schedule = :schedule AND outcome = 'started'),"
                        + " 0)")
                .bind("schedule", schedule)
                .mapTo(Integer.class)
                .one());
  }

  private ScheduleRow mapSchedule(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ScheduleRow(
        rs.getString("name"),
        rs.getString("base_id"),
        rs.getString("cron"),
        rs.getString("timezone"),
        db.fromJson(rs.getString("entities")),
        rs.getBoolean("enabled"),
        rs.getString("source"),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "updated_at"),
        RunMode.parse(rs.getString("mode")));
  }
}
