package dev.integrity.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** {@link MirrorRepository} over JDBI; same SQL for SQLite and PostgreSQL. Thread-safe. */
final class JdbiMirrorRepository implements MirrorRepository {
  private static final TypeReference<LinkedHashMap<String, Object>> FIELDS =
      new TypeReference<>() {};
  private static final int BATCH = 500;

  private final Db db;
  private final ObjectMapper json = JsonMapper.create();

  JdbiMirrorRepository(Db db) {
    this.db = db;
  }

  @Override
  public void replace(
      String baseId, String entity, String table, List<String> fields, List<MirrorRecord> records) {
    Objects.requireNonNull(baseId, "baseId");
    Objects.requireNonNull(entity, "entity");
    db.useTransaction(
        "replacing the mirror of entity " + entity + " of base " + baseId,
        h -> {
          h.createUpdate("DELETE FROM mirror_records WHERE base_id = :base AND entity = :entity")
              .bind("base", baseId)
              .bind("entity", entity)
              .execute();
          h.createUpdate(
                  "INSERT INTO mirror_entities (base_id, entity, table_name, fields, refreshed_at)"
                      + " VALUES (:base, :entity, :table, :fields, :now) ON CONFLICT (base_id,"
                      + " entity) DO UPDATE SET table_name = excluded.table_name, fields ="
                      + " excluded.fields, refreshed_at = excluded.refreshed_at")
              .bind("base", baseId)
              .bind("entity", entity)
              .bind("table", table)
              .bind("fields", db.toJson(fields))
              .bind("now", db.now())
              .execute();
          PreparedBatch batch = null;
          int n = 0;
          for (MirrorRecord r : records) {
            if (batch == null) {
              batch =
                  h.prepareBatch(
                      "INSERT INTO mirror_records (base_id, entity, record_id, fields) VALUES"
                          + " (:base, :entity, :id, :fields)");
            }
            batch
                .bind("base", baseId)
                .bind("entity", entity)
                .bind("id", r.recordId())
                .bind("fields", encode(r.fields()))
                .add();
            if (++n % BATCH == 0) {
              batch.execute();
              batch = null;
            }
          }
          if (batch != null) {
            batch.execute();
          }
        });
  }

  @Override
  public void apply(String baseId, Map<String, Map<String, MirrorEdit>> edits) {
    db.useTransaction(
        "applying changes to the mirror of base " + baseId,
        h -> {
          for (var e : edits.entrySet()) {
            String entity = e.getKey();
            if (entity(h, baseId, entity).isEmpty()) {
              throw new StoreException(
                  "entity "
                      + entity
                      + " of base "
                      + baseId
                      + " has no mirror yet: a full run must build it first");
            }
            for (var r : e.getValue().entrySet()) {
              apply(h, baseId, entity, r.getKey(), r.getValue());
            }
          }
        });
  }

  private void apply(Handle h, String baseId, String entity, String recordId, MirrorEdit edit) {
    switch (edit) {
      case MirrorEdit.Put put -> put(h, baseId, entity, recordId, put.fields());
      case MirrorEdit.Patch patch -> {
        Map<String, Object> merged = new LinkedHashMap<>(record(h, baseId, entity, recordId));
        patch
            .fields()
            .forEach(
                (k, v) -> {
                  if (v == null) {
                    merged.remove(k);
                  } else {
                    merged.put(k, v);
                  }
                });
        put(h, baseId, entity, recordId, merged);
      }
      case MirrorEdit.Destroy d ->
          h.createUpdate(
                  "DELETE FROM mirror_records WHERE base_id = :base AND entity = :entity AND"
                      + " record_id = :id")
              .bind("base", baseId)
              .bind("entity", entity)
              .bind("id", recordId)
              .execute();
    }
  }

  private void put(
      Handle h, String baseId, String entity, String recordId, Map<String, Object> fields) {
    h.createUpdate(
            "INSERT INTO mirror_records (base_id, entity, record_id, fields) VALUES (:base,"
                + " :entity, :id, :fields) ON CONFLICT (base_id, entity, record_id) DO UPDATE SET"
                + " fields = excluded.fields")
        .bind("base", baseId)
        .bind("entity", entity)
        .bind("id", recordId)
        .bind("fields", encode(fields))
        .execute();
  }

  private Map<String, Object> record(Handle h, String baseId, String entity, String recordId) {
    return h.createQuery(
            "SELECT fields FROM mirror_records WHERE base_id = :base AND entity = :entity AND"
                + " record_id = :id")
        .bind("base", baseId)
        .bind("entity", entity)
        .bind("id", recordId)
        .mapTo(String.class)
        .findOne()
        .map(this::decode)
        .orElse(Map.of());
  }

  @Override
  public Optional<MirrorEntity> entity(String baseId, String entity) {
    return db.with(
        "reading the mirror of entity " + entity + " of base " + baseId,
        h -> entity(h, baseId, entity));
  }

  private Optional<MirrorEntity> entity(Handle h, String baseId, String entity) {
    return h.createQuery(
            "SELECT table_name, fields, refreshed_at FROM mirror_entities WHERE base_id = :base"
                + " AND entity = :entity")
        .bind("base", baseId)
        .bind("entity", entity)
        .map(
            (rs, ctx) ->
                new MirrorEntity(
                    baseId,
                    entity,
                    rs.getString("table_name"),
                    db.fromJson(rs.getString("fields")),
                    Db.instant(rs, "refreshed_at")))
        .findOne();
  }

  @Override
  public List<MirrorRecord> records(String baseId, String entity) {
    return db.with(
        "reading the mirrored records of entity " + entity + " of base " + baseId,
        h ->
            h.createQuery(
                    "SELECT record_id, fields FROM mirror_records WHERE base_id = :base AND entity"
                        + " = :entity ORDER BY record_id")
                .bind("base", baseId)
                .bind("entity", entity)
                .map(
                    (rs, ctx) ->
                        new MirrorRecord(rs.getString("record_id"), decode(rs.getString("fields"))))
                .list());
  }

  @Override
  public void drop(String baseId) {
    db.useTransaction(
        "dropping the mirror of base " + baseId,
        h -> {
          h.createUpdate("DELETE FROM mirror_records WHERE base_id = :base")
              .bind("base", baseId)
              .execute();
          h.createUpdate("DELETE FROM mirror_entities WHERE base_id = :base")
              .bind("base", baseId)
              .execute();
        });
  }

  @Override
  public Optional<WebhookState> webhook(String baseId) {
    return db.with(
        "reading the webhook of base " + baseId,
        h ->
            h.createQuery(
                    "SELECT webhook_id, expires_at, next_cursor, updated_at FROM webhook_state"
                        + " WHERE base_id = :base")
                .bind("base", baseId)
                .map(
                    (rs, ctx) ->
                        new WebhookState(
                            baseId,
                            rs.getString("webhook_id"),
                            Db.instant(rs, "expires_at"),
                            rs.getLong("next_cursor"),
                            Db.instant(rs, "updated_at")))
                .findOne());
  }

  @Override
  public void saveWebhook(String baseId, String webhookId, Instant expiresAt, long cursor) {
    Objects.requireNonNull(webhookId, "webhookId");
    db.use(
        "saving the webhook of base " + baseId,
        h ->
            h.createUpdate(
                    "INSERT INTO webhook_state (base_id, webhook_id, expires_at, next_cursor,"
                        + " updated_at) VALUES (:base, :id, :expires, :cursor, :now) ON CONFLICT"
                        + " (base_id) DO UPDATE SET webhook_id = excluded.webhook_id, expires_at ="
                        + " excluded.expires_at, next_cursor = excluded.next_cursor, updated_at ="
                        + " excluded.updated_at")
                .bind("base", baseId)
                .bind("id", webhookId)
                .bind("expires", Db.millis(expiresAt))
                .bind("cursor", cursor)
                .bind("now", db.now())
                .execute());
  }

  @Override
  public boolean saveCursor(String baseId, String webhookId, long cursor) {
    return db.with(
        "saving the webhook cursor of base " + baseId,
        h ->
            h.createUpdate(
                        "UPDATE webhook_state SET next_cursor = :cursor, updated_at = :now WHERE"
                            + " base_id = :base AND webhook_id = :id")
                    .bind("base", baseId)
                    .bind("id", webhookId)
                    .bind("cursor", cursor)
                    .bind("now", db.now())
                    .execute()
                == 1);
  }

  @Override
  public boolean deleteWebhook(String baseId) {
    return db.with(
        "forgetting the webhook of base " + baseId,
        h ->
            h.createUpdate("DELETE FROM webhook_state WHERE base_id = :base")
                    .bind("base", baseId)
                    .execute()
                == 1);
  }

  @Override
  public void saveFieldSchema(String baseId, String entity, String fieldSchema) {
    db.use(
        "saving the field schema of the mirror of entity " + entity + " of base " + baseId,
        h ->
            h.createUpdate(
                    "UPDATE mirror_entities SET field_schema = :schema WHERE base_id = :base AND"
                        + " entity = :entity")
                .bind("schema", fieldSchema)
                .bind("base", baseId)
                .bind("entity", entity)
                .execute());
  }

  @Override
  public Optional<String> fieldSchema(String baseId, String entity) {
    return db.with(
        "reading the field schema of the mirror of entity " + entity + " of base " + baseId,
        h ->
            h
                .createQuery(
                    "SELECT field_schema FROM mirror_entities WHERE base_id = :base AND entity ="
                        + " :entity")
                .bind("base", baseId)
                .bind("entity", entity)
                .mapTo(String.class)
                .list()
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst());
  }

  private String encode(Map<String, Object> fields) {
    try {
      return json.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot encode mirrored values as JSON: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> decode(String text) {
    try {
      return json.readValue(text, FIELDS);
    } catch (JsonProcessingException e) {
      throw new StoreException("a mirrored record is not a JSON object: " + e.getMessage(), e);
    }
  }
}
