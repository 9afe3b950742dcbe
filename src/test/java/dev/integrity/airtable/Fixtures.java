package dev.integrity.airtable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

/** Shared scripts for the client tests: short limits, Airtable-shaped JSON. */
final class Fixtures {
  static final String TOKEN = "patTESTtoken1234.0123456789abcdef0123456789abcdef";
  static final String BASE = "appTESTBASE000001";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  /** Short limits, no retries, a generous rate so only the rate tests feel the limiter. */
  static AirtableSettings.Builder settings(MockWebServer server) {
    return AirtableSettings.builder()
        .baseUrl(server.url("/").uri())
        .token(new Secret(TOKEN))
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .writeTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(2))
        .maxRetries(0)
        .rateLimitPerSecond(100)
        .rateLimitWait(Duration.ofSeconds(30))
        .backoffInitial(Duration.ofMillis(10))
        .backoffMax(Duration.ofMillis(50))
        .maxIteratorRestarts(2);
  }

  /** A list-records page holding one record per id; {@code offset} null on the last page. */
  static String page(String offset, String... ids) {
    List<Map<String, Object>> records = new ArrayList<>();
    for (String id : ids) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("Name", "Name of " + id);
      fields.put("Capacity", 12);
      records.add(Map.of("id", id, "createdTime", "2024-05-01T10:15:30.000Z", "fields", fields));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("records", records);
    if (offset != null) {
      body.put("offset", offset);
    }
    return json(body);
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static MockResponse ok(String body) {
    return new MockResponse.Builder()
        .code(200)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  static MockResponse status(int code, String body) {
    return new MockResponse.Builder()
        .code(code)
        .setHeader("Content-Type", "application/json")
        .body(body)
        .build();
  }

  /** Airtable's usual envelope: {"error":{"type":..,"message":..}}. */
  static MockResponse error(int code, String type, String message) {
    return status(code, json(Map.of("error", Map.of("type", type, "message", message))));
  }
}
