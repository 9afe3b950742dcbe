package dev.integrity.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.CancelOutcome;
import dev.integrity.common.InvalidScheduleException;
import dev.integrity.common.ScheduleSpec;
import dev.integrity.common.Until;
import dev.integrity.model.Ack;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckRepository;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The REST API of the contract plus health, readiness and metrics. Stateless apart from its
 * collaborators; thread-safe.
 */
final class ApiRoutes {
  static final int DEFAULT_RUNS_LIMIT = 50;
  static final int DEFAULT_ISSUES_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final int DEFAULT_ALERTS_LIMIT = 100;
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Set<String> RUN_KEYS = Set.of("base", "entities");
  // The run modes a schedule may name (the store's RunMode wire names; web does not see the store).
  private static final List<String> SCHEDULE_MODES = List.of("full", "incremental");
  private static final Set<String> SCHEDULE_KEYS =
      Set.of("name", "baseId", "cron", "timezone", "entities", "enabled", "mode");

  private static final Set<String> ACK_KEYS =
      Set.of("base", "entity", "check", "recordId", "field", "reason", "by", "until");

  private final WebBackend backend;
  private final ObjectMapper mapper;
  private final long maxRequestBytes;
  private final java.time.Clock clock;

  ApiRoutes(WebBackend backend, ObjectMapper mapper, long maxRequestBytes, java.time.Clock clock) {
    this.backend = backend;
    this.mapper = mapper;
    this.maxRequestBytes = maxRequestBytes;
    this.clock = clock;
  }

  void register(RoutesConfig routes) {
    routes.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
    routes.get("/readyz", this::ready);
    routes.get(
        "/metrics", ctx -> ctx.contentType(PROMETHEUS_CONTENT_TYPE).result(backend.metrics()));
    routes.get("/api/runs", this::listRuns);
    routes.post("/api/runs", this::startRun);
    routes.get("/api/runs/{id}", ctx -> ctx.json(requireRun(ctx.pathParam("id"))));
    routes.get("/api/runs/{id}/issues", this::listIssues);
    routes.get("/api/runs/{id}/summary", this::summary);
    routes.post("/api/runs/{id}/cancel", this::cancelRun);
    routes.get("/api/schedules", ctx -> ctx.json(backend.schedules()));
    routes.post("/api/schedules", this::createSchedule);
    routes.get("/api/schedules/{name}", ctx -> ctx.json(requireSchedule(ctx.pathParam("name"))));
    routes.put("/api/schedules/{name}", this::putSchedule);
    routes.delete("/api/schedules/{name}", this::deleteSchedule);
    routes.get("/api/alerts", this::listAlerts);
    routes.post("/api/acks", this::acknowledge);
    routes.get("/api/acks", this::listAcks);
    routes.delete("/api/acks/{id}", this::revokeAck);
    routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.bytes()));
  }

  private void ready(Context ctx) {
    if (backend.ready()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      ctx.status(503).json(Json.error("not_ready", "the database is not reachable"));
    }
  }

  private void listRuns(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !status.isBlank()) {
      try {
        status = RunStatus.parse(status).wire();
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest(e.getMessage());
      }
    } else {
      status = null;
    }
    ctx.json(backend.runs(status, intParam(ctx, "limit", DEFAULT_RUNS_LIMIT, 1, MAX_LIMIT)));
  }

  private RunReport requireRun(String id) {
    return backend.run(id).orElseThrow(() -> ApiException.notFound("no run with id '" + id + "'"));
  }

  private void listIssues(Context ctx) {
    String id = ctx.pathParam("id");
    IssueParams params = IssueParams.of(ctx, requireRun(id), backend);
    int limit = intParam(ctx, "limit", DEFAULT_ISSUES_LIMIT, 1, MAX_LIMIT);
    int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    ctx.json(
        backend.issues(id, params.query(), limit, offset).stream().map(IssueJson::of).toList());
  }

  private void summary(Context ctx) {
    String id = ctx.pathParam("id");
    requireRun(id);
    ctx.json(backend.checkCounts(id).stream().map(Json.SummaryRow::of).toList());
  }

  private void startRun(Context ctx) {
    JsonNode body = readObject(ctx, RUN_KEYS);
    String base = optionalText(body, "base");
    List<String> entities = stringList(body, "entities");
    StartResult result = backend.startRun(base, entities);
    switch (result) {
      case StartResult.Started started -> {
        ctx.header("Location", "/api/runs/" + started.run().id());
        ctx.status(202).json(started.run());
      }
      case StartResult.Busy busy ->
          throw new ApiException(
              409,
              "run_active",
              "the base already has an active run"
                  + (busy.activeRunId() == null ? "" : " (" + busy.activeRunId() + ")")
                  + "; try again when it has ended");
      case StartResult.BadRequest bad -> throw ApiException.badRequest(bad.message());
    }
  }

  private void cancelRun(Context ctx) {
    String id = ctx.pathParam("id");
    CancelOutcome result = backend.cancelRun(id);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    switch (result) {
      case CANCELLED -> {
        body.put("result", "cancelled");
        ctx.status(200).json(body);
      }
      case REQUESTED -> {
        body.put("result", "requested");
        ctx.status(202).json(body);
      }
      case ALREADY_ENDED ->
          throw new ApiException(409, "run_ended", "run '" + id + "' has already ended");
      case NOT_FOUND -> throw ApiException.notFound("no run with id '" + id + "'");
    }
  }

  private ScheduleView requireSchedule(String name) {
    return backend
        .schedule(name)
        .orElseThrow(() -> ApiException.notFound("no schedule named '" + name + "'"));
  }

  private void createSchedule(Context ctx) {
    ScheduleInput input = scheduleInput(readObject(ctx, SCHEDULE_KEYS), null);
    Optional<ScheduleView> created;
    try {
      created = backend.createSchedule(input);
    } catch (BadRequestException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    ScheduleView saved =
        created.orElseThrow(
            () ->
                new ApiException(
                    409,
                    "schedule_exists",
                    "a schedule named '"
                        + input.name()
                        + "' exists; PUT /api/schedules/"
                        + input.name()
                        + " replaces it"));
    ctx.header("Location", "/api/schedules/" + saved.name());
    ctx.status(201).json(saved);
  }

  private void putSchedule(Context ctx) {
    String name = ctx.pathParam("name");
    ctx.json(putOrReject(scheduleInput(readObject(ctx, SCHEDULE_KEYS), name)));
  }

  private ScheduleView putOrReject(ScheduleInput input) {
    try {
      return backend.putSchedule(input);
    } catch (BadRequestException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private void deleteSchedule(Context ctx) {
    String name = ctx.pathParam("name");
    if (!backend.deleteSchedule(name)) {
      throw ApiException.notFound("no schedule named '" + name + "'");
    }
    ctx.status(204);
  }

  private void acknowledge(Context ctx) {
    JsonNode body = readObject(ctx, ACK_KEYS);
    Ack ack;
    try {
      ack =
          backend.acknowledge(
              new AckRepository.NewAck(
                  optionalText(body, "base"),
                  requiredText(body, "entity"),
                  requiredText(body, "check"),
                  optionalText(body, "recordId"),
                  optionalText(body, "field"),
                  requiredText(body, "reason"),
                  optionalText(body, "by"),
                  Until.parse(optionalText(body, "until"), clock)));
    } catch (BadRequestException | IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    ctx.header("Location", "/api/acks/" + ack.id());
    ctx.status(201).json(AckJson.of(ack, null, clock.instant()));
  }

  private static String requiredText(JsonNode body, String key) {
    String value = optionalText(body, key);
    if (value == null) {
      throw ApiException.badRequest("'" + key + "' is required");
    }
    return value;
  }

  private void listAcks(Context ctx) {
    String status = ctx.queryParam("status");
    if (status != null && !List.of("open", "all").contains(status)) {
      throw ApiException.badRequest("status: '" + status + "' is not one of open, all");
    }
    Map<String, Long> covering = backend.ackCoverage();
    ctx.json(
        backend.acks("all".equals(status)).stream()
            .map(a -> AckJson.of(a, covering.get(a.id()), clock.instant()))
            .toList());
  }

  private void revokeAck(Context ctx) {
    String id = ctx.pathParam("id");
    if (backend.revokeAck(id).isEmpty()) {
      throw ApiException.notFound("no acknowledgement with id '" + id + "'");
    }
    ctx.status(204);
  }

  private void listAlerts(Context ctx) {
    int limit = intParam(ctx, "limit", DEFAULT_ALERTS_LIMIT, 1, MAX_LIMIT);
    ctx.json(backend.alerts(limit).stream().map(Json.Alert::of).toList());
  }

  private ScheduleInput scheduleInput(JsonNode body, String pathName) {
    String name = optionalText(body, "name");
    if (pathName != null) {
      if (name != null && !name.equals(pathName)) {
        throw ApiException.badRequest(
            "the body names schedule '" + name + "' but the path names '" + pathName + "'");
      }
      name = pathName;
    }
    String cron = optionalText(body, "cron");
    String timezone = optionalText(body, "timezone");
    try {
      // The schedule's own rules (shared with the config and the service); a missing zone is UTC.
      ScheduleSpec.name(name);
      cron = ScheduleSpec.cron(cron);
      if (timezone != null) {
        ScheduleSpec.zone(timezone);
      }
    } catch (InvalidScheduleException e) {
      throw ApiException.badRequest("schedule '" + e.field() + "': " + e.getMessage());
    }
    JsonNode enabled = body.get("enabled");
    if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
      throw ApiException.badRequest("'enabled' must be true or false");
    }
    String mode = optionalText(body, "mode");
    if (mode != null && !SCHEDULE_MODES.contains(mode)) {
      throw ApiException.badRequest(
          "'mode' must be one of " + String.join(", ", SCHEDULE_MODES) + ", was '" + mode + "'");
    }
    return new ScheduleInput(
        name,
        optionalText(body, "baseId"),
        cron,
        timezone,
        stringList(body, "entities"),
        enabled == null || enabled.isNull() || enabled.booleanValue(),
        mode);
  }

  /** Reads at most {@code maxRequestBytes} of body and parses a JSON object with known keys. */
  private JsonNode readObject(Context ctx, Set<String> allowedKeys) {
    byte[] bytes = readBody(ctx);
    JsonNode node;
    if (bytes.length == 0) {
      node = mapper.createObjectNode();
    } else {
      try {
        node = mapper.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw ApiException.badRequest(
            "the request body is not valid JSON"
                + (e.getLocation() == null
                    ? ""
                    : " (line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr()
                        + ")")
                + ": "
                + e.getOriginalMessage());
      } catch (IOException e) {
        throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
      }
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String key = names.next();
      if (!allowedKeys.contains(key)) {
        throw ApiException.badRequest(
            "unknown field '" + key + "': expected only " + String.join(", ", sorted(allowedKeys)));
      }
    }
    return node;
  }

  private byte[] readBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxRequestBytes) {
      throw tooLarge();
    }
    try (InputStream in = ctx.req().getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        // A chunked body has no declared length: stop reading as soon as it passes the limit.
        if (total > maxRequestBytes) {
          throw tooLarge();
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
    }
  }

  private ApiException tooLarge() {
    return new ApiException(
        413,
        "payload_too_large",
        "the request body is larger than the limit of " + maxRequestBytes + " bytes");
  }

  private static String optionalText(JsonNode body, String key) {
    JsonNode value = body.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest("'" + key + "' must be a string");
    }
    String text = value.textValue().trim();
    return text.isEmpty() ? null : text;
  }

  private static List<String> stringList(JsonNode body, String key) {
    JsonNode value = body.get(key);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw ApiException.badRequest("'" + key + "' must be an array of names");
    }
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.textValue().isBlank()) {
        throw ApiException.badRequest("'" + key + "' must hold only non-empty strings");
      }
      names.add(item.textValue().trim());
    }
    return List.copyOf(names);
  }

  static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String raw = ctx.queryParam(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value < min || value > max) {
        throw ApiException.badRequest(
            "'" + name + "' must be between " + min + " and " + max + ", was " + value);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("'" + name + "' must be a whole number, was '" + raw + "'");
    }
  }

  private static List<String> sorted(Set<String> keys) {
    List<String> list = new ArrayList<>(keys);
    list.sort(String::compareTo);
    return list;
  }
}
