package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Airtable Web API as the simulator answers it: token check, routing, faults, the per-base rate
 * limit, listing with pages and offsets, single records, record writes ({@link RecordWrites}) and
 * the Meta API. Decides the reply only; {@link Connection} sends it. Thread-safe (its parts are).
 */
final class Api {
  static final int MAX_PAGE_SIZE = 100;

  /** Airtable refuses longer URLs; clients switch to POST listRecords. */
  static final int MAX_URL_LENGTH = 16_000;

  private final Dataset dataset;
  private final byte[] expectedAuthorization;
  private final Faults faults;
  private final RateLimiter limiter;
  private final TokenLimit tokenLimit;
  private final OffsetStore offsets;
  private final RecordJson json;
  private final ObjectMapper mapper;
  private final Map<String, Map<String, Integer>> recordIndex = new HashMap<>();
  private final SimWebhooks webhooks;
  private final RecordWrites writes;

  /** Bounds the cache of selections; clients ask for a handful of views and formulas. */
  private static final int MAX_SELECTIONS = 256;

  private final Map<String, int[]> selections = new java.util.concurrent.ConcurrentHashMap<>();

  Api(
      Dataset dataset,
      String token,
      Faults faults,
      RateLimiter limiter,
      TokenLimit tokenLimit,
      OffsetStore offsets,
      RecordJson json,
      ObjectMapper mapper,
      SimWebhooks webhooks) {
    this.webhooks = webhooks;
    this.writes = new RecordWrites(webhooks, mapper);
    this.dataset = dataset;
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.faults = faults;
    this.limiter = limiter;
    this.tokenLimit = tokenLimit;
    this.offsets = offsets;
    this.json = json;
    this.mapper = mapper;
    for (SimTable t : dataset.tables()) {
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < t.records().size(); i++) {
        index.put(t.records().get(i).id(), i);
      }
      recordIndex.put(t.id(), index);
    }
  }

  /** Where a request goes; {@code table} is the decoded path segment, null when none. */
  sealed interface Route {
    String baseId();

    String table();

    record Meta(String baseId) implements Route {
      @Override
      public String table() {
        return null;
      }
    }

    record ListRecords(String baseId, String table, boolean post) implements Route {}

    record GetRecord(String baseId, String table, String recordId) implements Route {}

    /**
     * A record write ({@link RecordWrites}): {@code POST}, {@code PATCH}, {@code PUT} or {@code
     * DELETE} on {@code /v0/{base}/{table}}, or the last three on {@code …/{recordId}} ({@code
     * recordId} null for the table's path).
     */
    record Write(String baseId, String table, String recordId, RecordWrites.Kind kind)
        implements Route {}

    /** The webhooks API: {@code /v0/bases/{base}/webhooks[/{id}[/payloads|/refresh]]}. */
    record Webhook(String baseId, String webhookId, SimWebhooks.Action action) implements Route {
      @Override
      public String table() {
        return null;
      }
    }

    /** The simulator's own route that edits the base: {@code POST /_sim/bases/{base}/edits}. */
    record Edit(String baseId) implements Route {
      @Override
      public String table() {
        return null;
      }
    }

    record Unrouted() implements Route {
      @Override
      public String baseId() {
        return null;
      }

      @Override
      public String table() {
        return null;
      }
    }

    static Route of(HttpRequest req) {
      String path = req.path();
      Route webhook = webhookRoute(req);
      if (webhook != null) {
        return webhook;
      }
      if (!path.startsWith("/v0/")) {
        return new Unrouted();
      }
      String[] s = path.substring(4).split("/", -1);
      for (String segment : s) {
        if (segment.isEmpty()) {
          return new Unrouted();
        }
      }
      for (int i = 0; i < s.length; i++) {
        s[i] = HttpRequest.decodePath(s[i]);
      }
      boolean get = req.method().equals("GET");
      boolean post = req.method().equals("POST");
      if (s.length == 4
          && s[0].equals("meta")
          && s[1].equals("bases")
          && s[3].equals("tables")
          && get) {
        return new Meta(s[2]);
      } else if (s.length == 2 && get) {
        return new ListRecords(s[0], s[1], false);
      } else if (s.length == 3 && s[2].equals("listRecords") && post) {
        return new ListRecords(s[0], s[1], true);
      } else if (s.length == 3 && get) {
        return new GetRecord(s[0], s[1], s[2]);
      } else if (s.length == 2 && post) {
        return new Write(s[0], s[1], null, RecordWrites.Kind.CREATE);
      }
      RecordWrites.Kind write =
          switch (req.method()) {
            case "PATCH" -> RecordWrites.Kind.UPDATE;
            case "PUT" -> RecordWrites.Kind.REPLACE;
            case "DELETE" -> RecordWrites.Kind.DELETE;
            default -> null;
          };
      if (write != null && (s.length == 2 || s.length == 3)) {
        return new Write(s[0], s[1], s.length == 3 ? s[2] : null, write);
      }
      return new Unrouted();
    }

    /** A webhooks or edits route, or null when the path is neither. */
    private static Route webhookRoute(HttpRequest req) {
      String[] s = req.path().split("/", -1);
      String m = req.method();
      if (s.length == 5
          && s[1].equals("_sim")
          && s[2].equals("bases")
          && s[4].equals("edits")
          && m.equals("POST")) {
        return new Edit(HttpRequest.decodePath(s[3]));
      }
      if (s.length < 5 || !s[1].equals("v0") || !s[2].equals("bases") || !s[4].equals("webhooks")) {
        return null;
      }
      String base = HttpRequest.decodePath(s[3]);
      if (s.length == 5) {
        return switch (m) {
          case "GET" -> new Webhook(base, null, SimWebhooks.Action.LIST);
          case "POST" -> new Webhook(base, null, SimWebhooks.Action.CREATE);
          default -> new Unrouted();
        };
      }
      String id = HttpRequest.decodePath(s[5]);
      if (s.length == 6 && m.equals("DELETE")) {
        return new Webhook(base, id, SimWebhooks.Action.DELETE);
      } else if (s.length == 7 && s[6].equals("payloads") && m.equals("GET")) {
        return new Webhook(base, id, SimWebhooks.Action.PAYLOADS);
      } else if (s.length == 7 && s[6].equals("refresh") && m.equals("POST")) {
        return new Webhook(base, id, SimWebhooks.Action.REFRESH);
      }
      return new Unrouted();
    }
  }

  /** Answers {@code req}, which arrived at {@code now} (Ticker nanos). */
  Reply handle(HttpRequest req, Route route, long now) {
    if (route instanceof Route.Edit edit) {
      // The simulator's own control route: no token, no rate limit, no faults.
      return dataset.baseId().equals(edit.baseId()) ? webhooks.edits(req) : notFound();
    }
    if (!authorized(req)) {
      return error(401, "AUTHENTICATION_REQUIRED", "Authentication required");
    }
    int urlLength = req.path().length() + (req.query() == null ? 0 : req.query().length() + 1);
    if (urlLength > MAX_URL_LENGTH) {
      return error(
          414,
          "INVALID_REQUEST_URI_TOO_LONG",
          "The URL is "
              + urlLength
              + " characters long; the limit is "
              + MAX_URL_LENGTH
              + ". Use POST listRecords for long queries.");
    }
    if (route instanceof Route.Unrouted || !dataset.baseId().equals(route.baseId())) {
      return notFound();
    }
    SimTable table = route.table() == null ? null : dataset.table(route.table()).orElse(null);
    boolean carriesOffset = route instanceof Route.ListRecords list && carriesOffset(req, list);
    Fault fault = faults.take(new Faults.Target(route.table(), table, carriesOffset));
    if (fault != null) {
      limiter.count(now);
      if (tokenLimit != null) {
        tokenLimit.count(now);
      }
      return faulted(fault, route.table(), () -> answer(req, route, table));
    }
    // The token's limit first: a token locked out answers 429 on every base without counting
    // against the base.
    if (tokenLimit != null && !tokenLimit.admit(now)) {
      return rateLimited(null);
    }
    if (!limiter.admit(now)) {
      return rateLimited(null);
    }
    return answer(req, route, table);
  }

  private Reply faulted(Fault fault, String requestedTable, Supplier<Reply> normal) {
    return switch (fault) {
      case Fault.Stall s -> Reply.json(200, new byte[0]).delivered(new Reply.Delivery.Stall());
      case Fault.Trickle t ->
          normal.get().delivered(new Reply.Delivery.Trickle(t.bytesPerSecond()));
      case Fault.ResetMidBody r ->
          normal.get().delivered(new Reply.Delivery.Reset(r.pauseBeforeReset()));
      case Fault.ServerError e -> serverError(e.status());
      case Fault.RateLimited r -> rateLimited(r.retryAfter());
      case Fault.MalformedJson m -> {
        byte[] body = normal.get().body();
        yield Reply.json(200, Arrays.copyOf(body, body.length / 2));
      }
      case Fault.ExpireOffset x -> iteratorNotAvailable();
      case Fault.TableNotFound t ->
          requestedTable == null ? notFound() : tableNotFound(requestedTable);
    };
  }

  private Reply answer(HttpRequest req, Route route, SimTable table) {
    return switch (route) {
      case Route.Meta m -> Reply.json(200, json.meta());
      case Route.ListRecords l -> table == null ? tableNotFound(l.table()) : list(req, l, table);
      case Route.GetRecord g ->
          table == null ? tableNotFound(g.table()) : record(table, g.recordId());
      case Route.Write w ->
          table == null
              ? tableNotFound(w.table())
              : writes.answer(req, w.kind(), table.id(), w.recordId());
      case Route.Webhook w -> webhooks.answer(req, w.action(), w.webhookId());
      case Route.Edit e -> webhooks.edits(req);
      case Route.Unrouted u -> notFound();
    };
  }

  private Reply record(SimTable table, String recordId) {
    Integer index = recordIndex.get(table.id()).get(recordId);
    return index == null ? notFound() : Reply.json(200, json.record(table, index));
  }

  /** The listing parameters of one request, validated. */
  private record ListParams(
      int pageSize,
      Integer maxRecords,
      String offset,
      List<String> fields,
      boolean byFieldId,
      String view,
      String formula) {}

  /** A request that is answered with an error instead of a page. */
  private static final class Refusal extends Exception {
    final transient Reply reply;

    Refusal(Reply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }
  }

  private Reply list(HttpRequest req, Route.ListRecords route, SimTable table) {
    try {
      ListParams p = route.post() ? bodyParams(req) : queryParams(req);
      List<FieldSchema> fields = null;
      if (p.fields() != null) {
        fields = new ArrayList<>();
        for (String name : p.fields()) {
          FieldSchema f = table.field(name).orElse(null);
          if (f == null) {
            return error(422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"" + name + "\"");
          }
          fields.add(f);
        }
      }
      int[] rows = selection(table, p.view(), p.formula());
      // Offsets belong to one selection: one issued for another view or formula is not valid here.
      String scope = rows == null ? table.id() : table.id() + "\n" + p.view() + "\n" + p.formula();
      int size = rows == null ? table.records().size() : rows.length;
      int limit = p.maxRecords() == null ? size : Math.min(size, p.maxRecords());
      int start = 0;
      if (p.offset() != null) {
        switch (offsets.find(p.offset())) {
          case OffsetStore.Found f when f.tableId().equals(scope) ->
              start = Math.min(f.position(), limit);
          case OffsetStore.Found f -> {
            return invalidOffset(p.offset());
          }
          case OffsetStore.Expired e -> {
            return iteratorNotAvailable();
          }
          case OffsetStore.Invalid i -> {
            return invalidOffset(p.offset());
          }
        }
      }
      int end = Math.min(start + p.pageSize(), limit);
      String next =
          end < limit
              ? offsets.issue(scope, end, table.records().get(rows == null ? end : rows[end]).id())
              : null;
      return Reply.json(200, json.page(table, rows, start, end, fields, p.byFieldId(), next));
    } catch (Refusal r) {
      return r.reply;
    }
  }

  /**
   * The record indexes a view and a formula select, in table order; null for every record. Kept per
   * (table, view, formula), since each page of a listing asks again.
   */
  private int[] selection(SimTable table, String view, String formula) throws Refusal {
    String viewFormula = null;
    if (view != null) {
      viewFormula = viewFormula(table, view);
    }
    if (viewFormula == null && formula == null) {
      return null;
    }
    String key = table.id() + "\n" + view + "\n" + formula;
    int[] cached = selections.get(key);
    if (cached != null) {
      return cached;
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    table.fields().forEach(f -> names.add(f.name()));
    List<Formula> filters = new ArrayList<>();
    if (viewFormula != null) {
      filters.add(Formula.parse(viewFormula, names));
    }
    if (formula != null) {
      try {
        filters.add(Formula.parse(formula, names));
      } catch (Formula.InvalidFormulaException e) {
        throw new Refusal(error(422, "INVALID_FILTER_BY_FORMULA", e.getMessage()));
      }
    }
    int[] rows =
        java.util.stream.IntStream.range(0, table.records().size())
            .filter(i -> filters.stream().allMatch(f -> f.matches(table.records().get(i))))
            .toArray();
    if (selections.size() >= MAX_SELECTIONS) {
      selections.clear();
    }
    selections.put(key, rows);
    return rows;
  }

  /** The formula of a named view (by name or id), null for the default view. */
  private String viewFormula(SimTable table, String view) throws Refusal {
    if (view.equals(SimTable.DEFAULT_VIEW)
        || view.equals(Ids.derived("viw", table.id() + ":" + SimTable.DEFAULT_VIEW))) {
      return null;
    }
    for (var e : table.views().entrySet()) {
      if (e.getKey().equals(view)
          || Ids.derived("viw", table.id() + ":" + e.getKey()).equals(view)) {
        return e.getValue();
      }
    }
    throw new Refusal(viewNotFound(view));
  }

  private Reply viewNotFound(String view) {
    return error(422, "VIEW_NAME_NOT_FOUND", "Could not find a view named \"" + view + "\"");
  }

  private ListParams queryParams(HttpRequest req) throws Refusal {
    String pageSize = null;
    String maxRecords = null;
    String offset = null;
    List<String> fields = null;
    boolean byFieldId = false;
    String view = null;
    String formula = null;
    if (req.query() != null) {
      for (String pair : req.query().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = HttpRequest.decodeQuery(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : HttpRequest.decodeQuery(pair.substring(eq + 1));
        switch (key) {
          case "pageSize" -> pageSize = value;
          case "maxRecords" -> maxRecords = value;
          case "offset" -> offset = value;
          case "fields[]", "fields" -> {
            if (fields == null) {
              fields = new ArrayList<>();
            }
            fields.add(value);
          }
          case "returnFieldsByFieldId" -> byFieldId = value.equals("true") || value.equals("1");
          case "view" -> view = value.isEmpty() ? null : value;
          case "filterByFormula" -> formula = value.isEmpty() ? null : value;
          default -> {
            // sort[..], cellFormat, timeZone, userLocale: accepted, ignored
          }
        }
      }
    }
    return new ListParams(
        pageSize == null ? MAX_PAGE_SIZE : Math.min(MAX_PAGE_SIZE, positive(pageSize)),
        maxRecords == null ? null : positive(maxRecords),
        offset == null || offset.isEmpty() ? null : offset,
        fields,
        byFieldId,
        view,
        formula);
  }

  private ListParams bodyParams(HttpRequest req) throws Refusal {
    JsonNode body;
    try {
      body = req.body().length == 0 ? mapper.createObjectNode() : mapper.readTree(req.body());
    } catch (java.io.IOException e) {
      throw new Refusal(invalidRequest());
    }
    if (body == null || !body.isObject()) {
      throw new Refusal(invalidRequest());
    }
    int pageSize = MAX_PAGE_SIZE;
    if (body.hasNonNull("pageSize")) {
      pageSize = Math.min(MAX_PAGE_SIZE, positive(body.get("pageSize")));
    }
    Integer maxRecords = body.hasNonNull("maxRecords") ? positive(body.get("maxRecords")) : null;
    String offset = null;
    if (body.hasNonNull("offset")) {
      if (!body.get("offset").isTextual()) {
        throw new Refusal(invalidRequest());
      }
      offset = body.get("offset").asText();
    }
    List<String> fields = null;
    if (body.hasNonNull("fields")) {
      if (!body.get("fields").isArray()) {
        throw new Refusal(invalidRequest());
      }
      fields = new ArrayList<>();
      for (JsonNode f : body.get("fields")) {
        if (!f.isTextual()) {
          throw new Refusal(invalidRequest());
        }
        fields.add(f.asText());
      }
    }
    boolean byFieldId = body.path("returnFieldsByFieldId").asBoolean(false);
    String view = optionalText(body, "view");
    String formula = optionalText(body, "filterByFormula");
    return new ListParams(pageSize, maxRecords, offset, fields, byFieldId, view, formula);
  }

  private String optionalText(JsonNode body, String key) throws Refusal {
    if (!body.hasNonNull(key)) {
      return null;
    }
    if (!body.get(key).isTextual()) {
      throw new Refusal(invalidRequest());
    }
    String text = body.get(key).asText();
    return text.isEmpty() ? null : text;
  }

  private int positive(String value) throws Refusal {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below like any other invalid value
    }
    throw new Refusal(invalidRequest());
  }

  private int positive(JsonNode value) throws Refusal {
    if (value.canConvertToInt() && value.isIntegralNumber() && value.intValue() >= 1) {
      return value.intValue();
    }
    throw new Refusal(invalidRequest());
  }

  private boolean carriesOffset(HttpRequest req, Route.ListRecords route) {
    if (route.post()) {
      try {
        JsonNode body = req.body().length == 0 ? null : mapper.readTree(req.body());
        return body != null && body.hasNonNull("offset");
      } catch (java.io.IOException e) {
        return false;
      }
    }
    if (req.query() == null) {
      return false;
    }
    for (String pair : req.query().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0
          && HttpRequest.decodeQuery(pair.substring(0, eq)).equals("offset")
          && eq < pair.length() - 1) {
        return true;
      }
    }
    return false;
  }

  private boolean authorized(HttpRequest req) {
    String header = req.header("authorization");
    return header != null
        && MessageDigest.isEqual(expectedAuthorization, header.getBytes(StandardCharsets.UTF_8));
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

  private Reply notFound() {
    return Reply.json(404, "{\"error\":\"NOT_FOUND\"}");
  }

  private Reply tableNotFound(String table) {
    return error(
        404,
        "TABLE_NOT_FOUND",
        "Could not find table " + table + " in application " + dataset.baseId());
  }

  private Reply invalidRequest() {
    return error(
        422,
        "INVALID_REQUEST_UNKNOWN",
        "Invalid request: parameter validation failed. Check your request data.");
  }

  private Reply invalidOffset(String offset) {
    return error(422, "INVALID_OFFSET_VALUE", "The value of offset " + offset + " is invalid");
  }

  private Reply iteratorNotAvailable() {
    return error(
        422,
        "LIST_RECORDS_ITERATOR_NOT_AVAILABLE",
        "The iterator for this list request has expired or is not available; restart the listing from the first page.");
  }

  static Reply rateLimited(Duration retryAfter) {
    byte[] body =
        "{\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\",\"message\":\"Rate limit exceeded. Please try again later\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers =
        retryAfter == null
            ? Map.of()
            : Map.of("Retry-After", Long.toString((retryAfter.toMillis() + 999) / 1000));
    return new Reply(429, Reply.JSON, body, headers, new Reply.Delivery.Normal());
  }

  private Reply serverError(int status) {
    if (status == 500) {
      return error(500, "SERVER_ERROR", "Try again. If the problem persists, contact support.");
    }
    if (status >= 502 && status <= 504) {
      String reason = Reply.reason(status);
      byte[] html =
          ("<html><head><title>"
                  + status
                  + " "
                  + reason
                  + "</title></head><body><center><h1>"
                  + status
                  + " "
                  + reason
                  + "</h1></center></body></html>\n")
              .getBytes(StandardCharsets.UTF_8);
      return new Reply(status, "text/html", html, Map.of(), new Reply.Delivery.Normal());
    }
    return new Reply(
        status,
        "text/plain; charset=utf-8",
        ("server error " + status + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of(),
        new Reply.Delivery.Normal());
  }
}
