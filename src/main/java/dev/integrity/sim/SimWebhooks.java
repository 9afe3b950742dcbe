package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Airtable's webhooks API for the simulated base, and the edits that feed it. Create, list,
 * payloads (cursor, {@code limit} up to 50, {@code mightHaveMore}), refresh and delete; a webhook
 * lives {@link #LIFETIME} from its creation or last refresh or payload listing, is then disabled
 * (listed with {@code isHookEnabled: false}, records no new payloads, its past payloads still
 * readable) and gone {@link #LIFETIME} later; payloads are kept {@link #RETENTION}; at most {@link
 * #MAX_WEBHOOKS} per base; every route needs the {@code webhook:manage} scope, tableData needs
 * {@code data.records:read}, tableFields {@code schema.bases:read}. Time comes from the simulator's
 * clock. Thread-safe (one lock for the hooks and the base's edits).
 *
 * <p>A cursor whose payloads were dropped (older than the retention) is answered as Airtable does,
 * with the payloads it still keeps: the answer's {@code cursor} then moves on by more than the
 * number of payloads returned, which is how a client can tell that payloads were lost.
 */
final class SimWebhooks {
  static final Duration LIFETIME = Duration.ofDays(7);
  static final Duration RETENTION = Duration.ofDays(7);
  static final int MAX_WEBHOOKS = 10;
  static final int MAX_PAYLOADS_PER_PAGE = 50;
  static final String SCOPE_MANAGE = "webhook:manage";
  static final String SCOPE_RECORDS = "data.records:read";
  static final String SCOPE_SCHEMA = "schema.bases:read";

  /** The webhook routes; which one a request is, is decided by {@link Api.Route#of}. */
  enum Action {
    CREATE,
    LIST,
    PAYLOADS,
    REFRESH,
    DELETE
  }

  /** One stored payload: its cursor number, when it happened, and its JSON. */
  private record Payload(long number, Instant timestamp, ObjectNode json) {}

  private static final class Hook {
    final String id;
    final String notificationUrl;
    final JsonNode specification;
    final Set<String> dataTypes;
    final String recordChangeScope;
    final Set<String> cellValueFields; // null: none; contains "all": every field
    final boolean previousValues;
    Instant expiration;
    long nextCursor = 1;
    final List<Payload> payloads = new ArrayList<>();

    Hook(
        String id,
        String notificationUrl,
        JsonNode specification,
        Set<String> dataTypes,
        String recordChangeScope,
        Set<String> cellValueFields,
        boolean previousValues,
        Instant expiration) {
      this.id = id;
      this.notificationUrl = notificationUrl;
      this.specification = specification;
      this.dataTypes = dataTypes;
      this.recordChangeScope = recordChangeScope;
      this.cellValueFields = cellValueFields;
      this.previousValues = previousValues;
      this.expiration = expiration;
    }

    boolean enabled(Instant now) {
      return now.isBefore(expiration);
    }

    boolean gone(Instant now) {
      return !now.isBefore(expiration.plus(LIFETIME));
    }
  }

  private final LiveBase live;
  private final Clock clock;
  private final Set<String> scopes;
  private final ObjectMapper mapper;
  private final Consumer<Dataset> onChange;
  private final Random random;
  private final Map<String, Hook> hooks = new LinkedHashMap<>();

  /**
   * @param onChange told of the dataset after each transaction, before its payloads are readable,
   *     so a client that reads a payload and then lists records sees the change
   */
  SimWebhooks(
      LiveBase live,
      Clock clock,
      Set<String> scopes,
      ObjectMapper mapper,
      Consumer<Dataset> onChange) {
    this.live = live;
    this.clock = clock;
    this.scopes = Set.copyOf(scopes);
    this.mapper = mapper;
    this.onChange = onChange;
    this.random = new Random(live.dataset().baseId().hashCode() * 31L + 7);
  }

  // ------------------------------------------------------------------------------------ edits

  /** Applies one transaction and records it as one payload for every interested webhook. */
  synchronized Edits.Result apply(Edits edits) {
    Instant now = clock.instant();
    var before = new WebhookCellFormat(live.dataset());
    LiveBase.Transaction txn = live.apply(edits, now);
    var after = new WebhookCellFormat(live.dataset());
    onChange.accept(live.dataset());
    prune(now);
    for (Hook hook : hooks.values()) {
      if (!hook.enabled(now)) {
        continue; // a disabled webhook records nothing
      }
      ObjectNode payload = payload(hook, txn, before, after);
      if (payload != null) {
        hook.payloads.add(new Payload(hook.nextCursor++, now, payload));
      }
    }
    return new Edits.Result(txn.number(), txn.created());
  }

  /** What one write request did: its transaction and the base after it. */
  record Written(Edits.Result result, Dataset after) {}

  /**
   * Plans a transaction against the base as it is now and applies it, as one step: no other edit
   * comes between what {@code plan} validated and what is applied. {@code plan} may throw to refuse
   * the request; the base is then unchanged.
   */
  synchronized Written write(java.util.function.Function<Dataset, Edits> plan) {
    Edits edits = plan.apply(live.dataset());
    Edits.Result result = apply(edits);
    return new Written(result, live.dataset());
  }

  /**
   * Records an error payload ({@code "error": true} and {@code code} in place of the changes) for
   * every active webhook, as Airtable does when a webhook breaks; answers how many got one.
   */
  synchronized int recordError(String code) {
    Instant now = clock.instant();
    prune(now);
    int recorded = 0;
    for (Hook hook : hooks.values()) {
      if (!hook.enabled(now)) {
        continue;
      }
      ObjectNode p = mapper.createObjectNode();
      p.put("timestamp", RecordJson.formatInstant(now));
      p.put("baseTransactionNumber", live.transactions());
      p.put("error", true);
      p.put("code", code);
      p.put("payloadFormat", "v0");
      hook.payloads.add(new Payload(hook.nextCursor++, now, p));
      recorded++;
    }
    return recorded;
  }

  /**
   * The payload of one transaction for one webhook, or null when nothing in it interests the hook.
   * Cell values are in the webhook format: previous values through the base as it was before the
   * transaction, the others through the base after it.
   */
  private ObjectNode payload(
      Hook hook, LiveBase.Transaction txn, WebhookCellFormat before, WebhookCellFormat after) {
    boolean data = hook.dataTypes.contains("tableData");
    boolean fields = hook.dataTypes.contains("tableFields");
    ObjectNode tables = mapper.createObjectNode();
    for (var e : txn.tables().entrySet()) {
      if (hook.recordChangeScope != null && !hook.recordChangeScope.equals(e.getKey())) {
        continue;
      }
      String tableId = e.getKey();
      LiveBase.TableChange c = e.getValue();
      ObjectNode t = mapper.createObjectNode();
      if (data && c.hasData()) {
        if (!c.createdRecords().isEmpty()) {
          ObjectNode created = t.putObject("createdRecordsById");
          c.createdRecords()
              .forEach(
                  (id, r) -> {
                    ObjectNode rn = created.putObject(id);
                    rn.put("createdTime", RecordJson.formatInstant(r.createdTime()));
                    rn.set(
                        "cellValuesByFieldId",
                        mapper.valueToTree(after.cells(tableId, id, r.cellValuesByFieldId())));
                  });
        }
        if (!c.changedRecords().isEmpty()) {
          ObjectNode changed = t.putObject("changedRecordsById");
          c.changedRecords()
              .forEach(
                  (id, r) -> {
                    ObjectNode rn = changed.putObject(id);
                    rn.putObject("current")
                        .set(
                            "cellValuesByFieldId",
                            mapper.valueToTree(after.cells(tableId, id, r.current())));
                    if (hook.previousValues) {
                      rn.putObject("previous")
                          .set(
                              "cellValuesByFieldId",
                              mapper.valueToTree(before.cells(tableId, id, r.previous())));
                    }
                    if (hook.cellValueFields != null) {
                      Map<String, Object> unchanged = new LinkedHashMap<>();
                      r.unchanged()
                          .forEach(
                              (f, v) -> {
                                if (hook.cellValueFields.contains("all")
                                    || hook.cellValueFields.contains(f)) {
                                  unchanged.put(f, v);
                                }
                              });
                      rn.putObject("unchanged")
                          .set(
                              "cellValuesByFieldId",
                              mapper.valueToTree(after.cells(tableId, id, unchanged)));
                    }
                  });
        }
        if (!c.destroyedRecordIds().isEmpty()) {
          ArrayNode destroyed = t.putArray("destroyedRecordIds");
          c.destroyedRecordIds().forEach(destroyed::add);
        }
      }
      if (fields && c.hasFields()) {
        if (!c.createdFields().isEmpty()) {
          ObjectNode created = t.putObject("createdFieldsById");
          c.createdFields().forEach((id, f) -> created.set(id, description(f)));
        }
        if (!c.changedFields().isEmpty()) {
          ObjectNode changed = t.putObject("changedFieldsById");
          c.changedFields()
              .forEach(
                  (id, f) -> {
                    ObjectNode fn = changed.putObject(id);
                    fn.set("current", description(f.current()));
                    fn.set("previous", description(f.previous()));
                  });
        }
        if (!c.destroyedFieldIds().isEmpty()) {
          ArrayNode destroyed = t.putArray("destroyedFieldIds");
          c.destroyedFieldIds().forEach(destroyed::add);
        }
      }
      if (!t.isEmpty()) {
        tables.set(e.getKey(), t);
      }
    }
    if (tables.isEmpty()) {
      return null;
    }
    ObjectNode p = mapper.createObjectNode();
    p.put("timestamp", RecordJson.formatInstant(txn.timestamp()));
    p.put("baseTransactionNumber", txn.number());
    ObjectNode action = p.putObject("actionMetadata");
    action.put("source", "client");
    action
        .putObject("sourceMetadata")
        .putObject("user")
        .put("id", "usrSimulatorUser01")
        .put("email", "simulator@example.com")
        .put("permissionLevel", "create")
        .put("name", "Simulator");
    p.put("payloadFormat", "v0");
    p.set("changedTablesById", tables);
    return p;
  }

  private ObjectNode description(LiveBase.FieldDescription f) {
    ObjectNode n = mapper.createObjectNode();
    if (f.name() != null) {
      n.put("name", f.name());
    }
    if (f.type() != null) {
      n.put("type", f.type());
    }
    return n;
  }

  // ------------------------------------------------------------------------------------- HTTP

  /** Answers one webhook route of an authenticated request. */
  synchronized Reply answer(HttpRequest req, Action action, String webhookId) {
    Instant now = clock.instant();
    prune(now);
    if (!scopes.contains(SCOPE_MANAGE)) {
      return missingScope();
    }
    return switch (action) {
      case CREATE -> create(req, now);
      case LIST -> list(now);
      case PAYLOADS -> payloads(req, webhookId, now);
      case REFRESH -> refresh(webhookId, now);
      case DELETE -> {
        if (hooks.remove(webhookId) == null) {
          yield notFound();
        }
        yield Reply.json(200, "{}");
      }
    };
  }

  private Reply create(HttpRequest req, Instant now) {
    JsonNode body;
    try {
      body = req.body().length == 0 ? null : mapper.readTree(req.body());
    } catch (java.io.IOException e) {
      return invalid("the request body is not JSON");
    }
    if (body == null || !body.isObject()) {
      return invalid("the request body must be a JSON object");
    }
    JsonNode spec = body.path("specification");
    JsonNode options = spec.path("options");
    JsonNode types = options.path("filters").path("dataTypes");
    if (!types.isArray() || types.isEmpty()) {
      return invalid("specification.options.filters.dataTypes must be a non-empty array");
    }
    Set<String> dataTypes = new HashSet<>();
    for (JsonNode t : types) {
      String type = t.asText();
      if (!Set.of("tableData", "tableFields", "tableMetadata").contains(type)) {
        return invalid("unknown dataType " + type);
      }
      dataTypes.add(type);
    }
    if (dataTypes.contains("tableData") && !scopes.contains(SCOPE_RECORDS)) {
      return missingScope();
    }
    if ((dataTypes.contains("tableFields") || dataTypes.contains("tableMetadata"))
        && !scopes.contains(SCOPE_SCHEMA)) {
      return missingScope();
    }
    JsonNode includes = options.path("includes");
    Set<String> cellValueFields = null;
    JsonNode cells = includes.path("includeCellValuesInFieldIds");
    if (cells.isTextual() && cells.asText().equals("all")) {
      cellValueFields = Set.of("all");
    } else if (cells.isArray()) {
      cellValueFields = new HashSet<>();
      for (JsonNode f : cells) {
        cellValueFields.add(f.asText());
      }
    } else if (!cells.isMissingNode() && !cells.isNull()) {
      return invalid("includeCellValuesInFieldIds must be \"all\" or an array of field ids");
    }
    JsonNode scope = options.path("filters").path("recordChangeScope");
    if (hooks.size() >= MAX_WEBHOOKS) {
      return error(
          422,
          "TOO_MANY_WEBHOOKS",
          "Cannot create more than " + MAX_WEBHOOKS + " webhooks per base");
    }
    String id;
    do {
      id = Ids.random("ach", random);
    } while (hooks.containsKey(id));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    Hook hook =
        new Hook(
            id,
            body.hasNonNull("notificationUrl") ? body.get("notificationUrl").asText() : null,
            spec,
            dataTypes,
            scope.isTextual() ? scope.asText() : null,
            cellValueFields,
            includes.path("includePreviousCellValues").asBoolean(false),
            now.plus(LIFETIME));
    hooks.put(id, hook);
    ObjectNode out = mapper.createObjectNode();
    out.put("id", id);
    out.put("macSecretBase64", Base64.getEncoder().encodeToString(secret));
    out.put("expirationTime", RecordJson.formatInstant(hook.expiration));
    return Reply.json(200, write(out));
  }

  private Reply list(Instant now) {
    ObjectNode out = mapper.createObjectNode();
    ArrayNode list = out.putArray("webhooks");
    for (Hook h : hooks.values()) {
      ObjectNode n = list.addObject();
      n.put("id", h.id);
      n.put("areNotificationsEnabled", h.notificationUrl != null && h.enabled(now));
      n.put("cursorForNextPayload", h.nextCursor);
      n.put("isHookEnabled", h.enabled(now));
      n.putNull("lastSuccessfulNotificationTime");
      if (h.notificationUrl == null) {
        n.putNull("notificationUrl");
      } else {
        n.put("notificationUrl", h.notificationUrl);
      }
      n.put("expirationTime", RecordJson.formatInstant(h.expiration));
      n.putNull("lastNotificationResult");
      n.set("specification", h.specification);
    }
    return Reply.json(200, write(out));
  }

  private Reply payloads(HttpRequest req, String webhookId, Instant now) {
    Hook hook = hooks.get(webhookId);
    if (hook == null) {
      return notFound();
    }
    if (hook.dataTypes.contains("tableData") && !scopes.contains(SCOPE_RECORDS)) {
      return missingScope();
    }
    long cursor = 1;
    int limit = MAX_PAYLOADS_PER_PAGE;
    if (req.query() != null) {
      for (String pair : req.query().split("&")) {
        int eq = pair.indexOf('=');
        String key = HttpRequest.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : HttpRequest.decodeQuery(pair.substring(eq + 1));
        try {
          if (key.equals("cursor")) {
            cursor = Long.parseLong(value);
          } else if (key.equals("limit")) {
            limit = Integer.parseInt(value);
          }
        } catch (NumberFormatException e) {
          return invalid(key + " must be a positive integer");
        }
      }
    }
    if (cursor < 1 || limit < 1 || limit > MAX_PAYLOADS_PER_PAGE) {
      return invalid("cursor must be 1 or more and limit between 1 and " + MAX_PAYLOADS_PER_PAGE);
    }
    if (hook.enabled(now)) {
      hook.expiration = now.plus(LIFETIME); // listing payloads extends an active webhook's life
    }
    ObjectNode out = mapper.createObjectNode();
    ArrayNode list = mapper.createArrayNode();
    long next = Math.max(cursor, hook.nextCursor);
    boolean more = false;
    int taken = 0;
    for (Payload p : hook.payloads) {
      if (p.number() < cursor) {
        continue;
      }
      if (taken == limit) {
        more = true;
        break;
      }
      list.add(p.json());
      taken++;
      next = p.number() + 1;
    }
    if (taken == 0) {
      next = hook.nextCursor;
    }
    out.put("cursor", next);
    out.put("mightHaveMore", more);
    out.set("payloads", list);
    return Reply.json(200, write(out));
  }

  private Reply refresh(String webhookId, Instant now) {
    Hook hook = hooks.get(webhookId);
    if (hook == null) {
      return notFound();
    }
    if (!hook.enabled(now)) {
      return error(
          422, "CANNOT_REFRESH_DISABLED_WEBHOOK", "Cannot refresh a webhook that is disabled");
    }
    hook.expiration = now.plus(LIFETIME);
    ObjectNode out = mapper.createObjectNode();
    out.put("expirationTime", RecordJson.formatInstant(hook.expiration));
    return Reply.json(200, write(out));
  }

  /** Drops webhooks past their afterlife and payloads past the retention. */
  private void prune(Instant now) {
    hooks.values().removeIf(h -> h.gone(now));
    Instant oldest = now.minus(RETENTION);
    for (Hook h : hooks.values()) {
      h.payloads.removeIf(p -> !p.timestamp().isAfter(oldest));
    }
  }

  // -------------------------------------------------------------------------- admin: edits

  /**
   * {@code POST /_sim/bases/{base}/edits} with {@code {"create": [{"table", "id"?, "fields"}],
   * "update": [{"table", "id", "fields"}], "destroy": [{"table", "id"}], "createFields": [{"table",
   * "name", "type", "id"?}], "changeFields": [{"table", "field", "name"?, "type"?}],
   * "destroyFields": [{"table", "field"}]}}, applied in that order as one transaction; answers
   * {@code {"transaction": n, "createdRecordIds": [...]}} or 422 naming what is wrong.
   */
  Reply edits(HttpRequest req) {
    Edits edits = Edits.begin();
    try {
      JsonNode body = mapper.readTree(req.body());
      if (body == null || !body.isObject()) {
        return invalid("the body must be a JSON object");
      }
      for (JsonNode c : body.path("create")) {
        edits.create(text(c, "table"), optional(c, "id"), fields(c));
      }
      for (JsonNode u : body.path("update")) {
        edits.update(text(u, "table"), text(u, "id"), fields(u));
      }
      for (JsonNode d : body.path("destroy")) {
        edits.destroy(text(d, "table"), text(d, "id"));
      }
      for (JsonNode f : body.path("createFields")) {
        edits.createField(text(f, "table"), optional(f, "id"), text(f, "name"), text(f, "type"));
      }
      for (JsonNode f : body.path("changeFields")) {
        String name = optional(f, "name");
        String type = optional(f, "type");
        if (name != null) {
          edits.renameField(text(f, "table"), text(f, "field"), name);
        }
        if (type != null) {
          edits.retypeField(text(f, "table"), name != null ? name : text(f, "field"), type);
        }
      }
      for (JsonNode f : body.path("destroyFields")) {
        edits.destroyField(text(f, "table"), text(f, "field"));
      }
    } catch (java.io.IOException e) {
      return invalid("the body is not JSON");
    } catch (IllegalArgumentException e) {
      return invalid(e.getMessage());
    }
    try {
      Edits.Result result = apply(edits);
      ObjectNode out = mapper.createObjectNode();
      out.put("transaction", result.transactionNumber());
      ArrayNode ids = out.putArray("createdRecordIds");
      result.createdRecordIds().forEach(ids::add);
      return Reply.json(200, write(out));
    } catch (SimulatorException e) {
      return invalid(e.getMessage());
    }
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("\"" + name + "\" must be a string in " + n);
    }
    return v.asText();
  }

  private static String optional(JsonNode n, String name) {
    JsonNode v = n.get(name);
    return v == null || v.isNull() ? null : v.asText();
  }

  private Map<String, Object> fields(JsonNode n) {
    JsonNode f = n.path("fields");
    if (!f.isObject()) {
      throw new IllegalArgumentException("\"fields\" must be an object in " + n);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    f.properties()
        .forEach(e -> out.put(e.getKey(), mapper.convertValue(e.getValue(), Object.class)));
    return out;
  }

  // ----------------------------------------------------------------------------------- errors

  private Reply missingScope() {
    return error(
        403,
        "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
        "Invalid permissions, or the requested model was not found. Check that both your user and"
            + " your token have the required permissions, and that the model names and/or ids are"
            + " correct.");
  }

  private Reply notFound() {
    return error(404, "NOT_FOUND", "Could not find the webhook");
  }

  private Reply invalid(String message) {
    return error(422, "INVALID_REQUEST_UNKNOWN", message);
  }

  private Reply error(int status, String type, String message) {
    ObjectNode root = mapper.createObjectNode();
    root.putObject("error").put("type", type).put("message", message);
    return Reply.json(status, write(root));
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
