package dev.integrity.store;

import dev.integrity.model.Ack;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** {@link AckRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiAckRepository implements AckRepository {
  private static final int MAX_TEXT = 1_000;
  private final Db db;
  private final RunIds ids = new RunIds();

  JdbiAckRepository(Db db) {
    this.db = db;
  }

  @Override
  public Ack create(NewAck in) {
    return createAll(List.of(Objects.requireNonNull(in, "ack"))).get(0);
  }

  @Override
  public List<Ack> createAll(List<NewAck> in) {
    long now = db.now();
    List<Ack> acks = in.stream().map(a -> validated(a, now)).toList();
    if (acks.isEmpty()) {
      return acks;
    }
    JdbiIssueRepository.refreshStatistics(db);
    db.useTransaction(
        acks.size() == 1 ? "acknowledging " + acks.get(0).scope() : "acknowledging " + acks.size(),
        h -> {
          var batch =
              h.prepareBatch(
                  "INSERT INTO acks (id, base_id, entity, check_id, record_id, field, reason,"
                      + " created_by, until_at, created_at) VALUES (:id, :base, :entity, :check,"
                      + " :record, :field, :reason, :by, :until, :created)");
          for (Ack ack : acks) {
            batch
                .bind("id", ack.id())
                .bind("base", ack.baseId())
                .bind("entity", ack.entity())
                .bind("check", ack.checkId())
                .bind("record", ack.recordId())
                .bind("field", ack.field())
                .bind("reason", ack.reason())
                .bind("by", ack.by())
                .bind("until", ack.until() == null ? null : ack.until().toEpochMilli())
                .bind("created", now)
                .add();
          }
          batch.execute();
          // One update per latest run touched, however many acknowledgements cover it.
          new java.util.LinkedHashSet<>(
                  acks.stream().map(a -> List.of(nullToEmpty(a.baseId()), a.entity())).toList())
              .forEach(
                  key ->
                      restampLatest(h, key.get(0).isEmpty() ? null : key.get(0), key.get(1), now));
        });
    return acks;
  }

  private Ack validated(NewAck in, long now) {
    Objects.requireNonNull(in, "ack");
    String entity = required(in.entity(), "entity");
    String check = required(in.checkId(), "check");
    String reason = required(in.reason(), "reason");
    if (in.until() != null && in.until().toEpochMilli() <= now) {
      throw new IllegalArgumentException(
          "until " + in.until() + " is not in the future: an acknowledgement must end later");
    }
    return new Ack(
        "ack_" + ids.next(now).substring("run_".length()),
        blankToNull(in.baseId()),
        entity,
        check,
        blankToNull(in.recordId()),
        blankToNull(in.field()),
        reason,
        blankToNull(in.by()),
        in.until(),
        Instant.ofEpochMilli(now),
        null,
        null);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  @Override
  public List<Ack> list(boolean includeEnded) {
    return db.with(
        "listing acknowledgements",
        h ->
            h.createQuery(
                    "SELECT * FROM acks"
                        + (includeEnded ? "" : " WHERE ended_at IS NULL")
                        + " ORDER BY created_at DESC, id DESC")
                .map(JdbiAckRepository::map)
                .list());
  }

  @Override
  public Optional<Ack> find(String id) {
    return db.with("reading acknowledgement " + id, h -> find(h, id));
  }

  private static Optional<Ack> find(Handle h, String id) {
    return h.createQuery("SELECT * FROM acks WHERE id = :id")
        .bind("id", id)
        .map(JdbiAckRepository::map)
        .findOne();
  }

  @Override
  public Optional<Ack> revoke(String id) {
    JdbiIssueRepository.refreshStatistics(db);
    return db.inTransaction(
        "revoking acknowledgement " + id,
        h -> {
          long now = db.now();
          int changed =
              h.createUpdate(
                      "UPDATE acks SET ended_at = :now, end_reason = 'revoked'"
                          + " WHERE id = :id AND ended_at IS NULL")
                  .bind("id", id)
                  .bind("now", now)
                  .execute();
          Optional<Ack> ack = find(h, id);
          if (changed == 1 && ack.isPresent()) {
            restampLatest(h, ack.get().baseId(), ack.get().entity(), now);
          }
          return ack;
        });
  }

  @Override
  public boolean seen(String baseId, String entity, String checkId) {
    return db.with(
        "looking for issues of " + entity + " / " + checkId,
        h ->
            h.createQuery(
                        "SELECT COUNT(*) FROM issue_counts c JOIN runs r ON r.id = c.run_id"
                            + " WHERE c.entity = :entity AND c.check_id = :check"
                            + (baseId == null ? "" : " AND r.base_id = :base"))
                    .bind("entity", entity)
                    .bind("check", checkId)
                    .bind("base", baseId)
                    .mapTo(Long.class)
                    .one()
                > 0);
  }

  @Override
  public Map<String, Long> covering() {
    return db.with(
        "counting the issues acknowledgements cover",
        h -> {
          List<Ack> open =
              h.createQuery("SELECT * FROM acks WHERE ended_at IS NULL ORDER BY created_at, id")
                  .map(JdbiAckRepository::map)
                  .list();
          Map<String, Long> out = new LinkedHashMap<>();
          open.forEach(a -> out.put(a.id(), 0L));
          // One grouped count per (base, entity) latest run, not one query per acknowledgement.
          Map<List<String>, List<BaseRun>> latest = new LinkedHashMap<>();
          for (Ack ack : open) {
            latest.computeIfAbsent(
                java.util.Arrays.asList(ack.baseId(), ack.entity()),
                k -> latestRuns(h, ack.baseId(), ack.entity()));
          }
          java.util.Set<List<String>> counted = new java.util.HashSet<>();
          latest.forEach(
              (key, runs) -> {
                for (BaseRun run : runs) {
                  if (!counted.add(List.of(run.run(), key.get(1)))) {
                    continue;
                  }
                  h.createQuery(
                          "SELECT ack_id, COUNT(*) FROM issues WHERE run_id = :run"
                              + " AND entity = :entity AND ack_id IS NOT NULL"
                              + " AND state IN ('new', 'persisting') GROUP BY ack_id")
                      .bind("run", run.run())
                      .bind("entity", key.get(1))
                      .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                      .forEach(
                          e -> {
                            if (out.containsKey(e.getKey())) {
                              out.merge(e.getKey(), e.getValue(), Long::sum);
                            }
                          });
                }
              });
          return out;
        });
  }

  /** A run of a base. */
  private record BaseRun(String base, String run) {}

  /**
   * The latest run that checked the acknowledgement's entity, of its base or (when it names none)
   * of every base: the runs whose issues a new or revoked acknowledgement changes.
   */
  private static List<BaseRun> latestRuns(Handle h, String baseId, String entity) {
    List<String> bases =
        baseId != null
            ? List.of(baseId)
            : h.createQuery("SELECT DISTINCT base_id FROM runs").mapTo(String.class).list();
    return bases.stream()
        .flatMap(
            base ->
                JdbiRunRepository.lastChecked(h, base, entity, null).stream()
                    .map(run -> new BaseRun(base, run)))
        .toList();
  }

  private void restampLatest(Handle h, String baseId, String entity, long now) {
    JdbiIssueRepository.joinByHashOrMerge(h, db.dialect);
    for (BaseRun latest : latestRuns(h, baseId, entity)) {
      AckStamps.stamp(h, latest.run(), latest.base(), entity, now);
      JdbiIssueRepository.recount(h, latest.run(), entity);
    }
  }

  private static Ack map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Ack(
        rs.getString("id"),
        rs.getString("base_id"),
        rs.getString("entity"),
        rs.getString("check_id"),
        rs.getString("record_id"),
        rs.getString("field"),
        rs.getString("reason"),
        rs.getString("created_by"),
        instant(rs.getObject("until_at")),
        instant(rs.getObject("created_at")),
        instant(rs.getObject("ended_at")),
        rs.getString("end_reason"));
  }

  private static Instant instant(Object millis) {
    return millis == null ? null : Instant.ofEpochMilli(((Number) millis).longValue());
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(name + " is longer than " + MAX_TEXT + " characters");
    }
    return value.trim();
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
