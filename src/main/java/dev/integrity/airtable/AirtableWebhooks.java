package dev.integrity.airtable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.common.JsonMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airtable's webhooks API for incremental runs: create, list, read payloads from a cursor (every
 * page, following {@code mightHaveMore}), refresh when under {@link #REFRESH_WHEN_LEFT} is left,
 * delete. Every call goes through {@link AirtableClient}'s request path, so it has the same
 * deadlines, retries, rate limiter and cancellation ({@link FetchControl}) as list requests. The
 * failures an incremental run answers with a full scan come back as {@link WebhookOutcome}s; the
 * others are thrown as {@link AirtableException}. Thread-safe.
 */
public final class AirtableWebhooks {
  private static final Logger log = LoggerFactory.getLogger(AirtableWebhooks.class);
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** A webhook with less than this left is refreshed (the contract's 2 days). */
  public static final Duration REFRESH_WHEN_LEFT = Duration.ofDays(2);

  /** The most payloads Airtable returns per page. */
  static final int PAYLOAD_PAGE_SIZE = 50;

  /**
   * What the webhook listens to: the contract's {@code [tableData]}, exactly. Schema changes of
   * checked fields are not followed through payloads: each incremental run compares the schema it
   * reads at its start with the field ids and types the mirror was built with, and does a full scan
   * when they differ.
   */
  public static final List<String> DATA_TYPES = List.of("tableData");

  private final AirtableClient client;
  private final Clock clock;
  private final ObjectMapper mapper = JsonMapper.create();

  public AirtableWebhooks(AirtableClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A new webhook, created and described as {@link Webhook}; {@code notificationUrl} optional. */
  public WebhookOutcome<Webhook> create(
      String baseId, String notificationUrl, FetchControl control) {
    ObjectNode body = mapper.createObjectNode();
    if (notificationUrl != null) {
      body.put("notificationUrl", notificationUrl);
    }
    ObjectNode options = body.putObject("specification").putObject("options");
    var types = options.putObject("filters").putArray("dataTypes");
    DATA_TYPES.forEach(types::add);
    options
        .putObject("includes")
        .put("includeCellValuesInFieldIds", "all")
        .put("includePreviousCellValues", true);
    HttpUrl url = hooks(baseId).build();
    return call(
        baseId,
        null,
        () -> {
          String answer =
              client.sendOther(
                  baseId,
                  client.authorized(url).post(RequestBody.create(write(body), JSON)),
                  control);
          JsonNode root = read(baseId, answer);
          Webhook hook =
              new Webhook(
                  text(root, "id"), true, instant(root, "expirationTime"), 1, notificationUrl);
          log.info(
              "Created webhook {} on base {}, expires {}",
              hook.id(),
              baseId,
              hook.expirationTime());
          return hook;
        });
  }

  /** The base's webhooks. */
  public WebhookOutcome<List<Webhook>> list(String baseId, FetchControl control) {
    HttpUrl url = hooks(baseId).build();
    return call(
        baseId,
        null,
        () -> {
          JsonNode root =
              read(baseId, client.sendOther(baseId, client.authorized(url).get(), control));
          List<Webhook> out = new ArrayList<>();
          for (JsonNode n : root.path("webhooks")) {
            out.add(
                new Webhook(
                    text(n, "id"),
                    n.path("isHookEnabled").asBoolean(false),
                    instant(n, "expirationTime"),
                    n.path("cursorForNextPayload").asLong(1),
                    n.hasNonNull("notificationUrl") ? n.get("notificationUrl").asText() : null));
          }
          return List.copyOf(out);
        });
  }

  /** Every payload from {@code cursor} on, and the cursor to read from next time. */
  public record Payloads(List<WebhookPayload> payloads, long nextCursor, int pages) {
    public Payloads {
      payloads = List.copyOf(payloads);
    }
  }

  /**
   * Reads every payload from {@code cursor} (1 for a new webhook), page after page while Airtable
   * says {@code mightHaveMore}. A page whose cursor moves on by more than the payloads it carries
   * means Airtable dropped some (older than its retention): {@link WebhookOutcome.CursorTooOld}.
   */
  public WebhookOutcome<Payloads> payloads(
      String baseId, String webhookId, long cursor, FetchControl control) {
    if (cursor < 1) {
      throw new IllegalArgumentException("cursor must be 1 or more: " + cursor);
    }
    List<WebhookPayload> out = new ArrayList<>();
    long at = cursor;
    int pages = 0;
    while (true) {
      long from = at;
      HttpUrl url =
          hooks(baseId)
              .addPathSegment(webhookId)
              .addPathSegment("payloads")
              .addQueryParameter("cursor", Long.toString(from))
              .addQueryParameter("limit", Integer.toString(PAYLOAD_PAGE_SIZE))
              .build();
      WebhookOutcome<JsonNode> page =
          call(
              baseId,
              webhookId,
              () -> read(baseId, client.sendOther(baseId, client.authorized(url).get(), control)));
      if (!(page instanceof WebhookOutcome.Ok<JsonNode> ok)) {
        return retype(page);
      }
      pages++;
      JsonNode root = ok.value();
      JsonNode list = root.path("payloads");
      long next = root.path("cursor").asLong(from);
      if (next - from != list.size()) {
        String message =
            "webhook "
                + webhookId
                + " of base "
                + baseId
                + ": payloads from cursor "
                + from
                + " are no longer kept by Airtable (the answer skipped to cursor "
                + next
                + " with "
                + list.size()
                + " payloads; Airtable keeps payloads for 7 days)";
        log.warn("{}", message);
        return new WebhookOutcome.CursorTooOld<>(webhookId, from, next, message);
      }
      long number = from;
      for (JsonNode p : list) {
        out.add(payload(baseId, number++, p));
      }
      at = next;
      if (!root.path("mightHaveMore").asBoolean(false) || list.isEmpty()) {
        log.info(
            "Read {} payloads of webhook {} on base {} in {} pages; next cursor {}",
            out.size(),
            webhookId,
            baseId,
            pages,
            at);
        return new WebhookOutcome.Ok<>(new Payloads(out, at, pages));
      }
    }
  }

  /** What an incremental run reads: the payloads, the cursor after them, the webhook's expiry. */
  public record Changes(List<WebhookPayload> payloads, long nextCursor, Instant expirationTime) {
    public Changes {
      payloads = List.copyOf(payloads);
    }
  }

  /**
   * Everything an incremental run needs from the webhook, in as few calls as possible: lists the
   * base's webhooks (gone or expired/disabled: that outcome, as payloads of a disabled webhook are
   * still served but no longer complete), reads every payload from {@code cursor}, then refreshes
   * the webhook when under {@link #REFRESH_WHEN_LEFT} was left.
   */
  public WebhookOutcome<Changes> changesSince(
      String baseId, String webhookId, long cursor, FetchControl control) {
    WebhookOutcome<List<Webhook>> listed = list(baseId, control);
    if (!(listed instanceof WebhookOutcome.Ok<List<Webhook>> ok)) {
      return retype(listed);
    }
    Webhook hook =
        ok.value().stream().filter(h -> h.id().equals(webhookId)).findFirst().orElse(null);
    if (hook == null) {
      return new WebhookOutcome.Gone<>(
          webhookId, "webhook " + webhookId + " of base " + baseId + " is gone (not listed)");
    }
    if (hook.expiredAt(clock.instant())) {
      return new WebhookOutcome.Expired<>(
          webhookId,
          hook.expirationTime(),
          "webhook "
              + webhookId
              + " of base "
              + baseId
              + " is disabled or expired"
              + (hook.expirationTime() == null
                  ? ""
                  : " (expiration time " + hook.expirationTime() + ")"));
    }
    WebhookOutcome<Payloads> read = payloads(baseId, webhookId, cursor, control);
    if (!(read instanceof WebhookOutcome.Ok<Payloads> payloads)) {
      return retype(read);
    }
    WebhookOutcome<Instant> refreshed =
        refreshIfDue(baseId, webhookId, hook.expirationTime(), control);
    if (!(refreshed instanceof WebhookOutcome.Ok<Instant> expiry)) {
      return retype(refreshed);
    }
    return new WebhookOutcome.Ok<>(
        new Changes(payloads.value().payloads(), payloads.value().nextCursor(), expiry.value()));
  }

  /**
   * Extends the webhook's life by 7 days when it has less than {@link #REFRESH_WHEN_LEFT} left at
   * {@code expiration} (as stored or listed); answers the expiration time it has afterwards, with
   * no call when none is due.
   */
  public WebhookOutcome<Instant> refreshIfDue(
      String baseId, String webhookId, Instant expiration, FetchControl control) {
    Instant now = clock.instant();
    if (expiration != null && !expiration.isBefore(now.plus(REFRESH_WHEN_LEFT))) {
      return new WebhookOutcome.Ok<>(expiration);
    }
    if (expiration != null && !now.isBefore(expiration)) {
      return new WebhookOutcome.Expired<>(
          webhookId,
          expiration,
          "webhook " + webhookId + " of base " + baseId + " expired at " + expiration);
    }
    HttpUrl url = hooks(baseId).addPathSegment(webhookId).addPathSegment("refresh").build();
    return call(
        baseId,
        webhookId,
        () -> {
          JsonNode root =
              read(
                  baseId,
                  client.sendOther(
                      baseId,
                      client.authorized(url).post(RequestBody.create(new byte[0])),
                      control));
          Instant refreshed = instant(root, "expirationTime");
          log.info("Refreshed webhook {} of base {}: expires {}", webhookId, baseId, refreshed);
          return refreshed;
        });
  }

  /** Deletes the webhook; {@link WebhookOutcome.Gone} when it was not there. */
  public WebhookOutcome<Boolean> delete(String baseId, String webhookId, FetchControl control) {
    HttpUrl url = hooks(baseId).addPathSegment(webhookId).build();
    return call(
        baseId,
        webhookId,
        () -> {
          client.sendOther(baseId, client.authorized(url).delete(), control);
          log.info("Deleted webhook {} of base {}", webhookId, baseId);
          return true;
        });
  }

  // ---------------------------------------------------------------------------------- helpers

  private HttpUrl.Builder hooks(String baseId) {
    return client
        .root()
        .newBuilder()
        .addPathSegment("v0")
        .addPathSegment("bases")
        .addPathSegment(Objects.requireNonNull(baseId, "baseId"))
        .addPathSegment("webhooks");
  }

  @SuppressWarnings("unchecked")
  private static <A, B> WebhookOutcome<B> retype(WebhookOutcome<A> failure) {
    // Every outcome but Ok carries no value, so it is one for any value type.
    return (WebhookOutcome<B>) failure;
  }

  /** Runs one call and turns the failures an incremental run falls back on into outcomes. */
  private <T> WebhookOutcome<T> call(String baseId, String webhookId, Supplier<T> call) {
    try {
      return new WebhookOutcome.Ok<>(call.get());
    } catch (AirtableAccessException e) {
      if (e.status() == 404 && webhookId != null) {
        return new WebhookOutcome.Gone<>(
            webhookId, "webhook " + webhookId + " of base " + baseId + " is gone (404)");
      }
      return new WebhookOutcome.MissingScope<>(
          baseId,
          "Airtable refused the webhooks API for base "
              + baseId
              + " (HTTP "
              + e.status()
              + airtablesWords(e.errorType(), e.errorMessage())
              + "): the token needs the webhook:manage scope (and data.records:read,"
              + " schema.bases:read) and creator access to the base");
    } catch (AirtableRequestException e) {
      String type = e.errorType() == null ? "" : e.errorType();
      if (type.startsWith("TOO_MANY_WEBHOOKS")) {
        return new WebhookOutcome.OverLimit<>(
            baseId,
            "base "
                + baseId
                + " already has the 10 webhooks Airtable allows; delete one with"
                + " 'integrity webhooks delete --config FILE --id ID'");
      }
      if (type.contains("DISABLED") || type.contains("EXPIRED")) {
        return new WebhookOutcome.Expired<>(
            webhookId,
            null,
            "webhook "
                + webhookId
                + " of base "
                + baseId
                + " is disabled or expired ("
                + type
                + ")");
      }
      throw e;
    }
  }

  /** " TYPE: message" as Airtable said them (already printable, bounded and masked), or "". */
  private static String airtablesWords(String type, String message) {
    return (type == null ? "" : " " + type) + (message == null ? "" : ": " + message);
  }

  private WebhookPayload payload(String baseId, long cursor, JsonNode p) {
    Map<String, WebhookPayload.TableChanges> tables = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> t : p.path("changedTablesById").properties()) {
      JsonNode n = t.getValue();
      Map<String, Map<String, Object>> created = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> r : n.path("createdRecordsById").properties()) {
        created.put(r.getKey(), values(r.getValue().path("cellValuesByFieldId")));
      }
      Map<String, WebhookPayload.ChangedRecord> changed = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> r : n.path("changedRecordsById").properties()) {
        JsonNode c = r.getValue();
        JsonNode unchanged = c.path("unchanged").path("cellValuesByFieldId");
        changed.put(
            r.getKey(),
            new WebhookPayload.ChangedRecord(
                values(c.path("current").path("cellValuesByFieldId")),
                values(c.path("previous").path("cellValuesByFieldId")),
                unchanged.isObject() ? values(unchanged) : null));
      }
      Map<String, WebhookPayload.FieldInfo> createdFields = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : n.path("createdFieldsById").properties()) {
        createdFields.put(f.getKey(), info(f.getValue()));
      }
      Map<String, WebhookPayload.FieldChange> changedFields = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : n.path("changedFieldsById").properties()) {
        changedFields.put(
            f.getKey(),
            new WebhookPayload.FieldChange(
                info(f.getValue().path("current")), info(f.getValue().path("previous"))));
      }
      tables.put(
          t.getKey(),
          new WebhookPayload.TableChanges(
              Collections.unmodifiableMap(created),
              Collections.unmodifiableMap(changed),
              strings(n.path("destroyedRecordIds")),
              Collections.unmodifiableMap(createdFields),
              Collections.unmodifiableMap(changedFields),
              strings(n.path("destroyedFieldIds"))));
    }
    List<String> createdTables = new ArrayList<>();
    p.path("createdTablesById").properties().forEach(e -> createdTables.add(e.getKey()));
    // An error payload: "error": true and a "code" in place of the changes.
    boolean error = p.path("error").asBoolean(false);
    String code = error ? text(p, "code") : null;
    if (error) {
      log.warn(
          "Webhook payload {} of base {} is an error payload: {}",
          cursor,
          baseId,
          code == null ? "no code" : dev.integrity.common.Texts.shorten(code, 80));
    }
    return new WebhookPayload(
        cursor,
        instant(p, "timestamp"),
        p.path("baseTransactionNumber").asLong(),
        Collections.unmodifiableMap(tables),
        List.copyOf(createdTables),
        strings(p.path("destroyedTableIds")),
        error,
        code);
  }

  private Map<String, Object> values(JsonNode object) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      out.put(
          e.getKey(),
          e.getValue().isNull() ? null : mapper.convertValue(e.getValue(), Object.class));
    }
    return Collections.unmodifiableMap(out);
  }

  private static WebhookPayload.FieldInfo info(JsonNode n) {
    return new WebhookPayload.FieldInfo(
        n.hasNonNull("name") ? n.get("name").asText() : null,
        n.hasNonNull("type") ? n.get("type").asText() : null);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  private JsonNode read(String baseId, String body) {
    try {
      JsonNode root = mapper.readTree(body);
      if (root != null && root.isObject()) {
        return root;
      }
    } catch (JsonProcessingException e) {
      // reported below like any other unreadable body
    }
    throw new AirtableResponseException(
        "Airtable answered 200 for the webhooks API of base "
            + baseId
            // Not quoted: this class has no token to redact it with.
            + " with a body that is not a JSON object ("
            + (body == null ? 0 : body.length())
            + " characters)",
        baseId,
        null,
        0,
        null);
  }

  private static String text(JsonNode n, String name) {
    return n.hasNonNull(name) ? n.get(name).asText() : null;
  }

  private static Instant instant(JsonNode n, String name) {
    if (!n.hasNonNull(name)) {
      return null;
    }
    try {
      return Instant.parse(n.get(name).asText());
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
