package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  private static final TestHttp.ManualTicker ticker = new TestHttp.ManualTicker();
  private static AirtableSimulator sim;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Rows", 150)))
            .rateLimitPerSecond(0)
            .token("secret-token")
            .offsetTtl(Duration.ofMinutes(5))
            .ticker(ticker)
            .build()
            .start();
    http = new TestHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static void assertErrorType(TestHttp.Answer a, int status, String type) {
    assertThat(a.status()).isEqualTo(status);
    assertThat(a.response().header("Content-Type")).startsWith("application/json");
    assertThat(a.json().at("/error/type").asText()).isEqualTo(type);
    assertThat(a.json().at("/error/message").asText()).isNotBlank();
  }

  @Test
  void a_request_without_a_token_is_refused_with_401() {
    var a = http.call(new Request.Builder().url(sim.baseUrl() + http.listPath("Rows")).build());
    assertErrorType(a, 401, "AUTHENTICATION_REQUIRED");
  }

  @Test
  void a_request_with_the_wrong_token_is_refused_with_401() {
    var a =
        http.call(
            http.request(http.listPath("Rows"))
                .header("Authorization", "Bearer not-the-token")
                .build());
    assertErrorType(a, 401, "AUTHENTICATION_REQUIRED");
    assertThat(a.body()).doesNotContain("secret-token");
  }

  @Test
  void an_unknown_base_is_404_not_found() {
    var a = http.get("/v0/appAAAAAAAAAAAAAA/Rows");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().get("error").asText()).isEqualTo("NOT_FOUND");
    assertThat(http.get("/v0/meta/bases/appAAAAAAAAAAAAAA/tables").status()).isEqualTo(404);
  }

  @Test
  void an_unknown_route_is_404_not_found() {
    var a = http.get("/v1/whatever");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().get("error").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void an_unknown_table_is_404_table_not_found() {
    var a = http.get(http.listPath("Nope"));
    assertErrorType(a, 404, "TABLE_NOT_FOUND");
    assertThat(a.json().at("/error/message").asText())
        .contains("Nope")
        .contains(sim.dataset().baseId());
  }

  @Test
  void invalid_page_sizes_are_422() {
    for (String bad : new String[] {"0", "-5", "abc", ""}) {
      assertErrorType(
          http.get(http.listPath("Rows") + "?pageSize=" + bad), 422, "INVALID_REQUEST_UNKNOWN");
    }
    assertErrorType(
        http.post(http.listPath("Rows") + "/listRecords", "{\"pageSize\": \"ten\"}"),
        422,
        "INVALID_REQUEST_UNKNOWN");
    assertErrorType(
        http.post(http.listPath("Rows") + "/listRecords", "{not json"),
        422,
        "INVALID_REQUEST_UNKNOWN");
  }

  @Test
  void an_unknown_field_is_422_unknown_field_name() {
    assertErrorType(
        http.get(http.listPath("Rows") + "?fields%5B%5D=Missing"), 422, "UNKNOWN_FIELD_NAME");
  }

  @Test
  void a_made_up_offset_is_422_invalid_offset_value() {
    assertErrorType(http.get(http.listPath("Rows") + "?offset=10"), 422, "INVALID_OFFSET_VALUE");
  }

  @Test
  void an_offset_expires_after_its_ttl_and_is_usable_before() {
    String offset = http.get(http.listPath("Rows")).json().get("offset").asText();
    String next =
        http.listPath("Rows") + "?offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8);
    ticker.advance(Duration.ofMinutes(5).minusSeconds(1));
    assertThat(http.get(next).status()).isEqualTo(200);
    assertThat(http.get(next).status()).as("an offset can be retried").isEqualTo(200);
    ticker.advance(Duration.ofSeconds(1));
    assertErrorType(http.get(next), 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
    JsonNode restarted = http.get(http.listPath("Rows")).json();
    assertThat(restarted.get("records")).hasSize(100);
  }

  @Test
  void an_offset_of_another_table_is_refused() {
    try (var other =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("A", 150, "B", 150)))
            .rateLimitPerSecond(0)
            .build()
            .start()) {
      var client = new TestHttp(other);
      String offset = client.get(client.listPath("A")).json().get("offset").asText();
      assertErrorType(
          client.get(
              client.listPath("B")
                  + "?offset="
                  + URLEncoder.encode(offset, StandardCharsets.UTF_8)),
          422,
          "INVALID_OFFSET_VALUE");
    }
  }

  @Test
  void a_url_longer_than_16000_characters_is_414() {
    var a = http.get(http.listPath("Rows") + "?filterByFormula=" + "x".repeat(16_100));
    assertThat(a.status()).isEqualTo(414);
    assertThat(a.json().at("/error/message").asText()).contains("POST");
  }

  @Test
  void a_malformed_request_line_is_400_and_the_server_keeps_serving() throws Exception {
    try (var socket = new java.net.Socket("127.0.0.1", sim.port())) {
      socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).startsWith("HTTP/1.1 400 ");
    }
    assertThat(http.get(http.listPath("Rows")).status()).isEqualTo(200);
  }

  @Test
  void both_error_envelopes_airtable_uses_are_served() {
    // {"error": "NOT_FOUND"}: a base the token does not reach, an unknown record, an unknown route.
    for (String path :
        List.of(
            "/v0/appAAAAAAAAAAAAAA/Rows",
            http.listPath("Rows") + "/recAAAAAAAAAAAAAA",
            "/v0/" + sim.dataset().baseId())) {
      var a = http.get(path);
      assertThat(a.status()).as(path).isEqualTo(404);
      assertThat(a.body()).as(path).isEqualTo("{\"error\":\"NOT_FOUND\"}");
    }
    // {"error": {"type", "message"}}: an unknown table of a known base, and most other errors.
    var table = http.get(http.listPath("Nope"));
    assertThat(table.status()).isEqualTo(404);
    assertThat(table.json().path("error").isObject()).isTrue();
    assertThat(table.json().path("error").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("type", "message");
    var unknownField = http.get(http.listPath("Rows") + "?fields%5B%5D=Nope");
    assertThat(unknownField.status()).isEqualTo(422);
    assertThat(unknownField.json().at("/error/type").asText()).isEqualTo("UNKNOWN_FIELD_NAME");
  }
}
