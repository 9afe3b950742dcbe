package dev.integrity.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.CheckCount;
import dev.integrity.store.AlertRow;
import java.time.Instant;
import java.util.Map;

/** JSON shapes of the API that differ from the internal records. Stateless and thread-safe. */
final class Json {
  private Json() {}

  /** A mapper writing ISO-8601 instants; configured once, then only read (thread-safe). */
  static ObjectMapper mapper() {
    return JsonMapper.create();
  }

  /** The contract's error body. */
  static Map<String, Object> error(String code, String message) {
    return Map.of("error", Map.of("code", code, "message", message == null ? "" : message));
  }

  /** One row of {@code GET /api/runs/{id}/summary}. */
  record SummaryRow(
      String entity,
      String check,
      String severity,
      long count,
      @JsonProperty("new") long newCount,
      long persisting,
      long resolved,
      long retired,
      long acknowledged) {
    static SummaryRow of(CheckCount c) {
      return new SummaryRow(
          c.entity(),
          c.check(),
          c.severity(),
          c.open(),
          c.newCount(),
          c.persisting(),
          c.resolved(),
          c.retired(),
          c.acknowledged());
    }
  }

  /** An alert as {@code GET /api/alerts} lists it. */
  record Alert(
      long id,
      String kind,
      String baseId,
      String runId,
      String schedule,
      String message,
      String state,
      Instant openedAt,
      Instant resolvedAt) {
    static Alert of(AlertRow row) {
      return new Alert(
          row.id(),
          row.kind(),
          row.baseId(),
          row.runId(),
          row.schedule(),
          row.message(),
          row.state(),
          row.openedAt(),
          row.resolvedAt());
    }
  }
}
