package dev.integrity.run;

import dev.integrity.airtable.AirtableWebhooks;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.MirrorChanges;
import dev.integrity.airtable.Webhook;
import dev.integrity.airtable.WebhookOutcome;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.RunMode;
import dev.integrity.plan.FieldProjection;
import dev.integrity.store.MirrorEdit;
import dev.integrity.store.MirrorEntity;
import dev.integrity.store.MirrorRecord;
import dev.integrity.store.Store;
import dev.integrity.store.WebhookState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one run's records come from: a full scan of every table, or the mirror plus the webhook
 * payloads since the stored cursor ("incremental"). It decides once per run, after the schema is
 * read ({@link #decide}); a full run refreshes the mirror as each entity is fetched ({@link
 * #refresh}); when the run succeeds, the mirror edits (or the new webhook) are saved in the same
 * transaction as the run's ending ({@link #inEndingTransaction}), and only afterwards the new
 * cursor ({@link #afterSaved}), so a crash in between re-reads the same payloads and applies them
 * again (every edit is idempotent).
 *
 * <p>An incremental run re-checks every entity from the mirror, not only the changed records: the
 * checks whose result depends on other records ({@code unique}, {@code link} targets, a destroyed
 * record others link to) then come out exactly as a full run's, with no dependency tracking to get
 * wrong, and checking is cheap next to reading (the check engine does millions of record-checks a
 * second; the mirror is read from the local store). Thread-safe: fetch tasks call it side by side.
 */
final class IncrementalSource {
  private static final Logger log = LoggerFactory.getLogger(IncrementalSource.class);

  /** What the run does. */
  sealed interface Decision {
    RunMode mode();

    /**
     * Read every table. {@code reason}: why a run that asked for incremental does a full scan (null
     * when it asked for a full run); {@code rebuild}: create a webhook first and keep it when the
     * run succeeds, so the next incremental run can follow it.
     */
    record Full(String reason, boolean rebuild, boolean expected) implements Decision {
      /** A full scan a person should hear of: something made incremental impossible. */
      Full(String reason, boolean rebuild) {
        this(reason, rebuild, false);
      }

      @Override
      public RunMode mode() {
        return RunMode.FULL;
      }
    }

    /** Check the mirror with these edits; then store {@code nextCursor} for {@code webhookId}. */
    record FromMirror(
        Map<String, Map<String, MirrorEdit>> edits, String webhookId, long nextCursor, int payloads)
        implements Decision {
      @Override
      public RunMode mode() {
        return RunMode.INCREMENTAL;
      }
    }
  }

  private final String baseId;
  private final IntegrityConfig config;
  private final Store store;
  private final AirtableWebhooks webhooks;

  private final AtomicReference<Decision> decision = new AtomicReference<>();
  private final AtomicReference<Webhook> created = new AtomicReference<>();
  private final AtomicBoolean mirrorBroken = new AtomicBoolean();
  private final RunProbe probe;
  private volatile BaseSchema schema;

  IncrementalSource(
      String baseId,
      IntegrityConfig config,
      Store store,
      AirtableWebhooks webhooks,
      RunProbe probe) {
    this.baseId = baseId;
    this.config = config;
    this.store = store;
    this.webhooks = webhooks;
    this.probe = probe;
  }

  Decision decision() {
    return decision.get();
  }

  /**
   * Decides how the run reads its data: full when asked for full; else incremental unless the
   * webhook, the cursor or the mirror cannot be followed, then a full scan with the reason (the
   * webhook's calls have the run's deadlines, retries, rate and cancellation).
   */
  Decision decide(
      RunMode requested, BaseSchema schema, Collection<String> selected, FetchControl c) {
    this.schema = schema;
    Decision d =
        requested == RunMode.FULL ? new Decision.Full(null, false) : decideIncremental(selected, c);
    if (d instanceof Decision.Full full && full.rebuild() && !selected.containsAll(entities())) {
      // A webhook kept after this run would be ahead of the mirrors this run does not rebuild.
      d =
          new Decision.Full(
              full.reason()
                  + "; only a run of every entity can build the mirror, so the next one is a full"
                  + " scan too",
              false);
    }
    decision.set(d);
    return d;
  }

  private Decision decideIncremental(Collection<String> selected, FetchControl control) {
    for (String name : entities()) {
      EntityConfig entity = config.entities().get(name);
      if (entity.view() != null || entity.filter() != null) {
        return new Decision.Full(
            "entity "
                + name
                + " is read through a view or filter, which webhook payloads cannot follow",
            false);
      }
      // The mirror keeps checked fields, not the records' creation time: checked from it, the
      // freshness of createdTime could not be judged, and the run would not find what a full
      // run finds.
      for (var check : entity.checks()) {
        if (check instanceof dev.integrity.config.CheckSpec.Freshness f && f.createdTime()) {
          return new Decision.Full(
              "entity "
                  + name
                  + " checks "
                  + f.id()
                  + ", the records' creation time, which the mirror does not keep",
              false);
        }
      }
    }
    Optional<WebhookState> state = store.mirrors().webhook(baseId);
    if (state.isEmpty()) {
      // Expected, not a warning: every incremental series starts so.
      return new Decision.Full(
          "no webhook yet: the first incremental run is a full scan", true, true);
    }
    Map<String, MirrorChanges.Scope> scopes = new LinkedHashMap<>();
    for (String name : entities()) {
      EntityConfig entity = config.entities().get(name);
      List<String> fields = mirrorFields(entity);
      Optional<MirrorEntity> mirror = store.mirrors().entity(baseId, name);
      if (mirror.isEmpty()) {
        return new Decision.Full("entity " + name + " has no mirror yet", true);
      }
      if (!mirror.get().table().equals(entity.table())
          || !Set.copyOf(mirror.get().fields()).equals(Set.copyOf(fields))) {
        return new Decision.Full(
            "entity " + name + ": the checked fields or table changed since the mirror was built",
            true);
      }
      String now = fieldSchema(entity, fields);
      if (!store.mirrors().fieldSchema(baseId, name).map(now::equals).orElse(false)) {
        return new Decision.Full(
            "entity "
                + name
                + ": schema change of a checked field (id or type) since the mirror was built",
            true);
      }
      scopes.put(name, new MirrorChanges.Scope(entity.table(), Set.copyOf(fields)));
    }
    WebhookState hook = state.get();
    WebhookOutcome<AirtableWebhooks.Changes> read =
        webhooks.changesSince(baseId, hook.webhookId(), hook.cursor(), control);
    if (!(read instanceof WebhookOutcome.Ok<AirtableWebhooks.Changes> ok)) {
      return new Decision.Full(read.reason(), true);
    }
    AirtableWebhooks.Changes changes = ok.value();
    if (changes.expirationTime() != null && !changes.expirationTime().equals(hook.expiresAt())) {
      // The refreshed expiry, with the cursor as it was: the new cursor waits for the run.
      store
          .mirrors()
          .saveWebhook(baseId, hook.webhookId(), changes.expirationTime(), hook.cursor());
    }
    return switch (MirrorChanges.map(changes.payloads(), schema, scopes)) {
      case MirrorChanges.Result.FullScanNeeded f -> new Decision.Full(f.reason(), true);
      case MirrorChanges.Result.Changes c ->
          new Decision.FromMirror(
              toStore(c.byEntity()),
              hook.webhookId(),
              changes.nextCursor(),
              changes.payloads().size());
    };
  }

  /**
   * Before a full scan that rebuilds the mirror: forgets the old webhook (deleting it at Airtable,
   * best effort) and creates a new one, so that every change from now on reaches its payloads; the
   * listing then covers what came before. Returns why no webhook could be made, or null.
   */
  String startRebuild(FetchControl control) {
    Optional<WebhookState> old = store.mirrors().webhook(baseId);
    // Forgotten first: a crash during the scan must leave no webhook that the mirror is behind.
    store.mirrors().deleteWebhook(baseId);
    old.ifPresent(
        o -> {
          WebhookOutcome<Boolean> deleted = webhooks.delete(baseId, o.webhookId(), control);
          if (deleted.reason() != null) {
            log.info("old webhook {} not deleted: {}", o.webhookId(), deleted.reason());
          }
        });
    WebhookOutcome<Webhook> made = webhooks.create(baseId, null, control);
    if (made instanceof WebhookOutcome.Ok<Webhook> ok) {
      created.set(ok.value());
      return null;
    }
    return made.reason();
  }

  /** The records of an entity for an incremental run: the mirror with this run's edits. */
  EntityFetcher.Fetched fromMirror(String entity, Decision.FromMirror d) {
    Map<String, AirtableRecord> byId = new TreeMap<>();
    for (MirrorRecord r : store.mirrors().records(baseId, entity)) {
      byId.put(r.recordId(), new AirtableRecord(r.recordId(), null, r.fields()));
    }
    d.edits()
        .getOrDefault(entity, Map.of())
        .forEach(
            (id, edit) -> {
              switch (edit) {
                case MirrorEdit.Put put ->
                    byId.put(id, new AirtableRecord(id, null, new LinkedHashMap<>(put.fields())));
                case MirrorEdit.Patch patch -> {
                  AirtableRecord was = byId.get(id);
                  Map<String, Object> fields =
                      new LinkedHashMap<>(was == null ? Map.of() : was.fields());
                  patch
                      .fields()
                      .forEach(
                          (k, v) -> {
                            if (v == null) {
                              fields.remove(k);
                            } else {
                              fields.put(k, v);
                            }
                          });
                  byId.put(id, new AirtableRecord(id, null, fields));
                }
                case MirrorEdit.Destroy x -> byId.remove(id);
              }
            });
    // No page was listed: no latency either, so the planner keeps the last full run's figure.
    return new EntityFetcher.Fetched(new ArrayList<>(byId.values()), 0, null);
  }

  /**
   * After a full fetch of {@code entity}: replaces its mirror. A failure leaves the mirror behind
   * the listing, so the base's webhook is forgotten: the next incremental run is a full scan.
   */
  void refresh(String entity, List<AirtableRecord> records) {
    EntityConfig config = this.config.entities().get(entity);
    if (config.view() != null || config.filter() != null) {
      return; // a filtered listing is no mirror of the table
    }
    try {
      probe.at(RunStage.MIRROR, entity);
      List<String> fields = mirrorFields(config);
      Set<String> keep = new HashSet<>(fields);
      // A view that makes each row as the store reaches it, not a copy of the whole table: a
      // copy of every record as a map of its own doubled the heap of a large base (issue 18).
      List<MirrorRecord> rows =
          new java.util.AbstractList<>() {
            @Override
            public MirrorRecord get(int i) {
              AirtableRecord r = records.get(i);
              Map<String, Object> values = new LinkedHashMap<>();
              r.fields()
                  .forEach(
                      (k, v) -> {
                        if (keep.contains(k) && v != null) {
                          values.put(k, v);
                        }
                      });
              return new MirrorRecord(r.id(), values);
            }

            @Override
            public int size() {
              return records.size();
            }
          };
      store.mirrors().replace(baseId, entity, config.table(), fields, rows);
      store.mirrors().saveFieldSchema(baseId, entity, fieldSchema(config, fields));
    } catch (RuntimeException | Error e) {
      // First of all: a half-written mirror must never be trusted by the next incremental run,
      // whatever was thrown (an OutOfMemoryError while saving a large table included).
      mirrorBroken.set(true);
      try {
        log.warn(
            "could not refresh the mirror of {}; the next incremental run is a full scan: {}",
            entity,
            e.toString());
        store.mirrors().deleteWebhook(baseId);
      } catch (RuntimeException again) {
        log.warn("could not forget the webhook of base {} either: {}", baseId, again.toString());
      }
      if (e instanceof Error error) {
        // The pipeline turns it into the entity's failure with a message a person can act on.
        throw error;
      }
    }
  }

  /** Runs inside the transaction that saves a succeeded run's ending. */
  void inEndingTransaction() {
    switch (decision.get()) {
      case Decision.FromMirror m -> store.mirrors().apply(baseId, m.edits());
      case Decision.Full f -> {
        Webhook hook = created.get();
        if (f.rebuild() && hook != null && !mirrorBroken.get()) {
          store.mirrors().saveWebhook(baseId, hook.id(), hook.expirationTime(), 1);
        }
      }
      case null -> {}
    }
  }

  /** After a succeeded run was saved: the new cursor (a failure re-reads the same payloads). */
  void afterSaved() {
    if (decision.get() instanceof Decision.FromMirror m) {
      try {
        if (!store.mirrors().saveCursor(baseId, m.webhookId(), m.nextCursor())) {
          log.warn("webhook of base {} changed meanwhile; cursor not stored", baseId);
        }
      } catch (RuntimeException e) {
        log.warn(
            "could not store cursor {} of base {}; the next run re-reads those payloads: {}",
            m.nextCursor(),
            baseId,
            e.toString());
      }
    }
  }

  private List<String> entities() {
    return List.copyOf(config.entities().keySet());
  }

  /** The fields a mirror keeps: those a run asks for, or every field of the table. */
  private List<String> mirrorFields(EntityConfig entity) {
    List<String> fields = FieldProjection.fields(config, entity, schema);
    if (fields != null) {
      return fields;
    }
    return schema
        .table(entity.table())
        .map(t -> t.fields().stream().map(BaseSchema.FieldSchema::name).toList())
        .orElse(List.of());
  }

  /** The mirrored fields' names, ids and types, in name order: what a schema change alters. */
  private String fieldSchema(EntityConfig entity, List<String> fields) {
    BaseSchema.TableSchema table = schema.table(entity.table()).orElse(null);
    if (table == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(table.id());
    Map<String, String> byName = new TreeMap<>();
    for (String f : fields) {
      byName.put(f, table.field(f).map(x -> x.id() + ":" + x.type()).orElse("?"));
    }
    byName.forEach((k, v) -> out.append('\n').append(k).append('=').append(v));
    return out.toString();
  }

  /** The mirror's edits of mapped payload changes (the same three kinds). */
  static Map<String, Map<String, MirrorEdit>> toStore(
      Map<String, Map<String, MirrorChanges.RecordChange>> byEntity) {
    Map<String, Map<String, MirrorEdit>> out = new LinkedHashMap<>();
    byEntity.forEach(
        (entity, records) -> {
          Map<String, MirrorEdit> edits = new LinkedHashMap<>();
          records.forEach(
              (id, change) ->
                  edits.put(
                      id,
                      switch (change) {
                        case MirrorChanges.RecordChange.Put p -> new MirrorEdit.Put(p.fields());
                        case MirrorChanges.RecordChange.Patch p -> new MirrorEdit.Patch(p.fields());
                        case MirrorChanges.RecordChange.Destroy d -> new MirrorEdit.Destroy();
                      }));
          out.put(entity, edits);
        });
    return out;
  }
}
