package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.model.AirtableRecord;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ServerTest {

  @Test
  void eight_concurrent_clients_each_list_the_whole_table_correctly() throws Exception {
    try (var sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1_000))
            .rateLimitPerSecond(0)
            .build()
            .start()) {
      var http = new TestHttp(sim);
      List<String> expected =
          sim.dataset().table("Rows").orElseThrow().records().stream()
              .map(AirtableRecord::id)
              .toList();
      ExecutorService pool =
          Executors.newFixedThreadPool(8, Thread.ofPlatform().name("test-client-", 0).factory());
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          results.add(pool.submit(() -> listAll(http, "Rows")));
        }
        for (Future<List<String>> f : results) {
          assertThat(f.get(20, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
        }
      } finally {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(sim.requests()).hasSize(80).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
      assertThat(sim.failures()).isZero();
    }
  }

  @Test
  void keep_alive_connections_are_reused() {
    try (var sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1_000))
            .rateLimitPerSecond(0)
            .build()
            .start()) {
      var http = new TestHttp(sim);
      listAll(http, "Rows");
      assertThat(http.client.connectionPool().connectionCount()).isEqualTo(1);
      assertThat(sim.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void close_ends_promptly_with_a_stalled_connection_open() {
    var sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 10))
            .rateLimitPerSecond(0)
            .closeTimeout(Duration.ofSeconds(2))
            .build()
            .start();
    sim.faults().next(1, Fault.stall());
    var client =
        new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(30))
            .callTimeout(Duration.ofSeconds(30))
            .retryOnConnectionFailure(false)
            .build();
    var http = new TestHttp(sim, client);
    Call call = client.newCall(http.request(http.listPath("Rows")).build());
    CompletableFuture<Throwable> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try (var r = call.execute()) {
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.requests().size() == 1 && sim.openConnections() == 1);

    long start = System.nanoTime();
    sim.close();
    long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();

    assertThat(tookMillis).as("close() within its 2 s bound").isLessThan(2_000);
    assertThat(outcome).succeedsWithin(Duration.ofSeconds(5)).isInstanceOf(IOException.class);
    assertThat(sim.openConnections()).isZero();
  }

  @Test
  void close_is_idempotent_and_start_after_close_is_refused() {
    var sim = AirtableSimulator.builder().dataset(Dataset.synthetic("Rows", 1)).build().start();
    sim.close();
    sim.close();
    assertThatThrownBy(sim::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void the_address_is_unknown_before_start() {
    var sim = AirtableSimulator.builder().dataset(Dataset.synthetic("Rows", 1)).build();
    assertThatThrownBy(sim::port)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not been started");
    sim.close();
  }

  @Test
  void it_binds_only_the_loopback_address() {
    try (var sim =
        AirtableSimulator.builder().dataset(Dataset.synthetic("Rows", 1)).build().start()) {
      assertThat(sim.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + sim.port());
    }
  }

  @Test
  void a_taken_port_is_reported_with_the_port() {
    try (var first =
        AirtableSimulator.builder().dataset(Dataset.synthetic("Rows", 1)).build().start()) {
      var second =
          AirtableSimulator.builder()
              .dataset(Dataset.synthetic("Rows", 1))
              .port(first.port())
              .build();
      assertThatThrownBy(second::start)
          .isInstanceOf(SimulatorException.class)
          .hasMessageContaining("127.0.0.1:" + first.port());
    }
  }

  @Test
  void latency_delays_every_response_by_at_least_its_amount() {
    try (var sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1))
            .latency(Duration.ofMillis(300))
            .rateLimitPerSecond(0)
            .build()
            .start()) {
      var http = new TestHttp(sim);
      long start = System.nanoTime();
      assertThat(http.get(http.listPath("Rows")).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  @Test
  void the_request_log_keeps_arrival_order_tables_and_statuses() {
    var ticker = new TestHttp.ManualTicker();
    try (var sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1))
            .rateLimitPerSecond(0)
            .ticker(ticker)
            .build()
            .start()) {
      var http = new TestHttp(sim);
      http.get(http.listPath("Rows"));
      ticker.advance(Duration.ofMillis(5));
      http.get(http.listPath("Nope"));
      ticker.advance(Duration.ofMillis(5));
      http.get("/v0/meta/bases/" + sim.dataset().baseId() + "/tables");
      List<RequestLog> log = sim.requests();
      assertThat(log).extracting(RequestLog::tableIdOrName).containsExactly("Rows", "Nope", null);
      assertThat(log).extracting(RequestLog::status).containsExactly(200, 404, 200);
      assertThat(log).extracting(RequestLog::method).containsOnly("GET");
      assertThat(log.get(1).arrivalNanos() - log.get(0).arrivalNanos())
          .isEqualTo(Duration.ofMillis(5).toNanos());
      sim.clearRequests();
      assertThat(sim.requests()).isEmpty();
    }
  }

  @Test
  void the_demo_is_served_by_default_with_the_default_token() {
    try (var sim = AirtableSimulator.builder().rateLimitPerSecond(0).build().start()) {
      assertThat(sim.token()).isEqualTo("sim-token");
      assertThat(sim.dataset().baseId()).isEqualTo(Dataset.demoBaseId());
      var http = new TestHttp(sim);
      JsonNode page = http.get(http.listPath("Students") + "?pageSize=3").json();
      assertThat(page.get("records")).hasSize(3);
    }
  }

  private static List<String> listAll(TestHttp http, String table) {
    List<String> ids = new ArrayList<>();
    String offset = null;
    do {
      var a =
          http.get(
              http.listPath(table)
                  + (offset == null
                      ? ""
                      : "?offset=" + URLEncoder.encode(offset, StandardCharsets.UTF_8)));
      assertThat(a.status()).isEqualTo(200);
      JsonNode page = a.json();
      page.get("records").forEach(r -> ids.add(r.get("id").asText()));
      offset = page.has("offset") ? page.get("offset").asText() : null;
    } while (offset != null);
    return ids;
  }
}
