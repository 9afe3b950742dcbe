package dev.integrity.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mirror of incremental runs (per base, the checked fields of every record of every entity) and
 * the base's webhook state. Every method joins the transaction of {@link Store#inTransaction} when
 * called inside one, so applying payloads and saving the run they belong to commit together.
 * Thread-safe.
 */
public interface MirrorRepository {
  /**
   * Replaces the whole mirror of {@code entity} (a full run): which table and fields it holds and
   * every record.
   */
  void replace(
      String baseId, String entity, String table, List<String> fields, List<MirrorRecord> records);

  /**
   * Applies edits by entity, then record id; idempotent. An entity that has no mirror is refused
   * (the run must be a full scan first).
   *
   * @throws StoreException naming the entity without a mirror
   */
  void apply(String baseId, Map<String, Map<String, MirrorEdit>> edits);

  /** The mirror of {@code entity}, if a full run built one. */
  Optional<MirrorEntity> entity(String baseId, String entity);

  /** Every mirrored record of {@code entity}, by record id. */
  List<MirrorRecord> records(String baseId, String entity);

  /** Forgets the base's mirror (every entity); the next incremental run is a full scan. */
  void drop(String baseId);

  Optional<WebhookState> webhook(String baseId);

  /** Remembers the base's webhook (a new one, or its new expiry), with the cursor to read from. */
  void saveWebhook(String baseId, String webhookId, Instant expiresAt, long cursor);

  /**
   * Stores the cursor to read from next, after the run that applied the payloads before it was
   * saved; false (and nothing stored) when the base's webhook is no longer {@code webhookId}.
   */
  boolean saveCursor(String baseId, String webhookId, long cursor);

  /** Forgets the base's webhook; false when there was none. */
  boolean deleteWebhook(String baseId);

  /**
   * Remembers the field ids and types {@code entity}'s mirror was built with (an opaque text the
   * run compares with the schema at its start); nothing when the entity has no mirror.
   */
  void saveFieldSchema(String baseId, String entity, String fieldSchema);

  /** What {@link #saveFieldSchema} stored, if the entity has a mirror and it was stored. */
  Optional<String> fieldSchema(String baseId, String entity);
}
