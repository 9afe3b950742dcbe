package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okio.BufferedSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaultsTest {
  private static AirtableSimulator sim;
  private static TestHttp http;

  @BeforeAll
  static void start() {
    sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Students", 250, "Teachers", 5)))
            .rateLimitPerSecond(0)
            .build()
            .start();
    http = new TestHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @AfterEach
  void clear() {
    sim.faults().clear();
  }

  private static TestHttp client(Duration readTimeout, Duration callTimeout) {
    return new TestHttp(
        sim,
        new OkHttpClient.Builder()
            .readTimeout(readTimeout)
            .callTimeout(callTimeout)
            .retryOnConnectionFailure(false)
            .build());
  }

  @Test
  void a_stalled_request_trips_the_clients_read_timeout() {
    sim.faults().next(1, Fault.stall());
    var client = client(Duration.ofMillis(300), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.get(client.listPath("Students")))
        .isInstanceOf(UncheckedIOException.class)
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
    assertThat(sim.requests().stream().filter(r -> r.status() == 0)).isNotEmpty();
  }

  @Test
  void a_trickled_body_arrives_slowly_and_hits_the_call_deadline() throws IOException {
    sim.faults().forTable("Students").next(1, Fault.trickle(50));
    var client = client(Duration.ofSeconds(5), Duration.ofSeconds(1));
    try (Response r =
        client.client.newCall(client.request(client.listPath("Students")).build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      long length = r.body().contentLength();
      assertThat(length).isGreaterThan(1_000);
      BufferedSource source = r.body().source();
      assertThat(source.request(1)).as("the first bytes come").isTrue();
      assertThatThrownBy(() -> source.readByteArray())
          .as("the rest does not come within 1 s")
          .isInstanceOf(InterruptedIOException.class);
    }
  }

  @Test
  void a_trickled_small_body_arrives_whole_and_valid() throws JsonProcessingException {
    sim.faults().forTable("Teachers").next(1, Fault.trickle(2_000));
    var a = http.get(http.listPath("Teachers"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("records")).hasSize(5);
  }

  @Test
  void a_reset_mid_body_is_seen_by_the_client_as_a_broken_connection() {
    sim.faults().next(1, Fault.resetMidBody(Duration.ofMillis(50)));
    var client = client(Duration.ofSeconds(5), Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.get(client.listPath("Students")))
        .isInstanceOf(UncheckedIOException.class)
        .cause()
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(InterruptedIOException.class);
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
  }

  @Test
  void a_burst_of_503_then_normal_answers() {
    sim.faults().next(2, Fault.serverError(503));
    var first = http.get(http.listPath("Students"));
    assertThat(first.status()).isEqualTo(503);
    assertThat(first.response().header("Content-Type")).startsWith("text/html");
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(503);
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
  }

  @Test
  void a_500_carries_airtables_json_error() {
    sim.faults().next(1, Fault.serverError(500));
    var a = http.get(http.listPath("Students"));
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.json().at("/error/type").asText()).isEqualTo("SERVER_ERROR");
  }

  @Test
  void a_burst_of_429_then_normal_answers_without_lockout() {
    sim.faults().next(2, Fault.rateLimited()).next(1, Fault.rateLimited(Duration.ofMillis(1_500)));
    var first = http.get(http.listPath("Students"));
    assertThat(first.status()).isEqualTo(429);
    assertThat(first.json().at("/errors/0/error").asText()).isEqualTo("RATE_LIMIT_REACHED");
    assertThat(first.response().header("Retry-After")).isNull();
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(429);
    var third = http.get(http.listPath("Students"));
    assertThat(third.status()).isEqualTo(429);
    assertThat(third.response().header("Retry-After")).isEqualTo("2");
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
  }

  @Test
  void malformed_json_comes_with_status_200() {
    sim.faults().next(1, Fault.malformedJson());
    var a = http.get(http.listPath("Students"));
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).startsWith("{\"records\":[");
    assertThatThrownBy(a::json).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void expire_offset_waits_for_a_request_that_carries_an_offset() {
    sim.faults().next(1, Fault.expireOffset());
    var first = http.get(http.listPath("Students"));
    assertThat(first.status()).as("no offset: not affected").isEqualTo(200);
    assertThat(sim.faults().pending()).isEqualTo(1);
    String next =
        http.listPath("Students")
            + "?offset="
            + URLEncoder.encode(first.json().get("offset").asText(), StandardCharsets.UTF_8);
    var expired = http.get(next);
    assertThat(expired.status()).isEqualTo(422);
    assertThat(expired.json().at("/error/type").asText())
        .isEqualTo("LIST_RECORDS_ITERATOR_NOT_AVAILABLE");
    assertThat(http.get(next).status()).isEqualTo(200);
  }

  @Test
  void table_faults_leave_other_tables_alone() {
    sim.faults().forTable("Students").next(1, Fault.serverError(502));
    assertThat(http.get(http.listPath("Teachers")).status()).isEqualTo(200);
    String studentsId = sim.dataset().table("Students").orElseThrow().id();
    assertThat(http.get(http.listPath(studentsId)).status()).as("matched by id too").isEqualTo(502);
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
  }

  @Test
  void unscoped_faults_hit_the_meta_api_too() {
    sim.faults().next(1, Fault.serverError(504));
    assertThat(http.get("/v0/meta/bases/" + sim.dataset().baseId() + "/tables").status())
        .isEqualTo(504);
  }

  @Test
  void faults_apply_in_the_order_they_were_queued() {
    sim.faults().next(1, Fault.serverError(500)).next(1, Fault.serverError(502));
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(500);
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(502);
  }

  @Test
  void clear_drops_queued_faults() {
    sim.faults().next(5, Fault.serverError(503));
    sim.faults().clear();
    assertThat(sim.faults().pending()).isZero();
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
  }

  @Test
  void faults_do_not_apply_to_requests_with_a_bad_token() {
    sim.faults().next(1, Fault.serverError(503));
    var a =
        http.call(
            http.request(http.listPath("Students"))
                .header("Authorization", "Bearer wrong")
                .build());
    assertThat(a.status()).isEqualTo(401);
    assertThat(sim.faults().pending()).isEqualTo(1);
  }

  @Test
  void nonsense_fault_parameters_are_refused() {
    assertThatThrownBy(() -> Fault.serverError(404)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Fault.trickle(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.faults().next(0, Fault.stall()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_table_taken_down_answers_every_request_until_the_outage_is_lifted_and_others_go_on() {
    Faults.Outage outage = sim.faults().forTable("Students").down(Fault.tableNotFound());
    for (int i = 0; i < 3; i++) {
      var down = http.get(http.listPath("Students"));
      assertThat(down.status()).isEqualTo(404);
      assertThat(down.body()).contains("TABLE_NOT_FOUND").contains("Students");
    }
    assertThat(http.get(http.listPath("Teachers")).status()).isEqualTo(200);
    assertThat(outage.inForce()).isTrue();
    assertThat(sim.faults().pending()).isEqualTo(1);

    outage.lift();

    assertThat(outage.inForce()).isFalse();
    assertThat(http.get(http.listPath("Students")).status()).isEqualTo(200);
    assertThat(sim.faults().pending()).isZero();
  }
}
