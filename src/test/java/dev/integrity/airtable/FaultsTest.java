package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.error;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.Ticker;
import dev.integrity.model.AirtableRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each scripted server fault with its outcome; deadlines are 1 to 2 s. */
class FaultsTest {
  private final MockWebServer server = new MockWebServer();
  private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
  private final AirtableListener listener =
      new AirtableListener() {
        @Override
        public void onRetry(RetryEvent e) {
          retries.add(e);
        }
      };

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private TableFetch fetch(AirtableSettings settings) {
    try (AirtableClient client = new AirtableClient(settings, Ticker.system(), listener)) {
      return client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {});
    }
  }

  private static MockResponse stall() {
    return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  @Test
  void a_stalled_server_ends_in_a_timeout_at_the_request_deadline() {
    server.enqueue(stall());
    AirtableSettings settings =
        settings(server)
            .requestTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(10))
            .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> fetch(settings))
        .isInstanceOfSatisfying(
            AirtableTimeoutException.class,
            e -> {
              assertThat(e.limit()).isEqualTo("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
              assertThat(e.after()).isBetween(Duration.ofMillis(900), Duration.ofMillis(2000));
              assertThat(e.table()).isEqualTo("Classes");
              assertThat(e.page()).isEqualTo(1);
            })
        .hasMessageContaining("AIRTABLE_REQUEST_TIMEOUT_SECONDS")
        .hasMessageContaining("table 'Classes' of base " + BASE + ", page 1");
    assertThat(millisSince(start)).isLessThan(1_000 + 1_000);
  }

  @Test
  void a_stalled_server_is_retried_and_each_attempt_ends_at_its_deadline() {
    server.enqueue(stall());
    server.enqueue(stall());
    AirtableSettings settings =
        settings(server)
            .requestTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(10))
            .maxRetries(1)
            .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> fetch(settings))
        .isInstanceOfSatisfying(
            AirtableTimeoutException.class, e -> assertThat(e.attempts()).isEqualTo(2))
        .hasMessageContaining("attempt 2 of 2");
    assertThat(millisSince(start)).isLessThan(2 * (1_000 + 1_000));
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(retries)
        .singleElement()
        .satisfies(r -> assertThat(r.cause()).isEqualTo(RetryEvent.Cause.TIMEOUT));
  }

  @Test
  void a_body_trickled_one_byte_a_second_is_cut_off_at_the_request_deadline() {
    server.enqueue(
        new MockResponse.Builder()
            .body(page(null, "recA", "recB", "recC"))
            .throttleBody(1, 1, TimeUnit.SECONDS)
            .build());
    AirtableSettings settings =
        settings(server)
            .requestTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(10))
            .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> fetch(settings))
        .isInstanceOfSatisfying(
            AirtableTimeoutException.class,
            e -> assertThat(e.limit()).isEqualTo("AIRTABLE_REQUEST_TIMEOUT_SECONDS"));
    assertThat(millisSince(start)).isLessThan(2_000 + 1_000);
  }

  @Test
  void silence_after_the_headers_ends_at_the_read_timeout() {
    server.enqueue(
        new MockResponse.Builder()
            .body(page(null, "recA"))
            .onResponseBody(SocketEffect.Stall.INSTANCE)
            .build());
    AirtableSettings settings =
        settings(server)
            .readTimeout(Duration.ofSeconds(1))
            .requestTimeout(Duration.ofSeconds(10))
            .build();
    long start = System.nanoTime();

    assertThatThrownBy(() -> fetch(settings))
        .isInstanceOfSatisfying(
            AirtableTimeoutException.class,
            e -> assertThat(e.limit()).isEqualTo("AIRTABLE_READ_TIMEOUT_SECONDS"))
        .hasMessageContaining("AIRTABLE_READ_TIMEOUT_SECONDS (1.0 s)");
    assertThat(millisSince(start)).isLessThan(1_000 + 1_000);
  }

  @Test
  void a_connection_reset_mid_body_is_retried_then_succeeds() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body(page(null, "recA", "recB", "recC", "recD"))
            .onResponseBody(new SocketEffect.CloseSocket())
            .build());
    server.enqueue(ok(page(null, "recA", "recB")));

    TableFetch fetch = fetch(settings(server).maxRetries(2).build());

    assertThat(fetch.records()).extracting(AirtableRecord::id).containsExactly("recA", "recB");
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(retries)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.cause()).isEqualTo(RetryEvent.Cause.NETWORK);
              assertThat(r.attempt()).isEqualTo(1);
              assertThat(r.page()).isEqualTo(1);
            });
  }

  @Test
  void a_burst_of_server_errors_is_retried_with_backoff_then_succeeds() {
    server.enqueue(error(503, "SERVICE_UNAVAILABLE", "Try again"));
    server.enqueue(Fixtures.status(500, "oops"));
    server.enqueue(Fixtures.status(502, "<html>Bad gateway</html>"));
    server.enqueue(Fixtures.status(504, ""));
    server.enqueue(ok(page(null, "recA")));

    TableFetch fetch = fetch(settings(server).maxRetries(4).build());

    assertThat(fetch.records()).hasSize(1);
    assertThat(retries).hasSize(4);
    assertThat(retries).extracting(RetryEvent::cause).containsOnly(RetryEvent.Cause.SERVER_ERROR);
    assertThat(retries).extracting(RetryEvent::attempt).containsExactly(1, 2, 3, 4);
    // Back-off stays within its bounds: 10 ms first, then doubling with 25 % jitter, capped at 50.
    assertThat(retries)
        .extracting(RetryEvent::delay)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(7), Duration.ofMillis(50)));
    assertThat(retries.getFirst().message()).contains("503 SERVICE_UNAVAILABLE: Try again");
  }

  @Test
  void server_errors_that_outlast_the_retries_end_in_a_server_exception() {
    server.enqueue(Fixtures.status(503, "down"));
    server.enqueue(Fixtures.status(503, "still down"));

    assertThatThrownBy(() -> fetch(settings(server).maxRetries(1).build()))
        .isInstanceOfSatisfying(
            AirtableServerException.class,
            e -> {
              assertThat(e.status()).isEqualTo(503);
              assertThat(e.attempts()).isEqualTo(2);
            })
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("after 2 attempts")
        .hasMessageContaining("table 'Classes' of base " + BASE);
  }

  @Test
  void a_429_with_retry_after_waits_that_long_then_succeeds() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(429)
            .setHeader("Retry-After", "1")
            .body("{\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\"}]}")
            .build());
    server.enqueue(ok(page(null, "recA")));
    long start = System.nanoTime();

    TableFetch fetch = fetch(settings(server).maxRetries(1).build());

    assertThat(fetch.records()).hasSize(1);
    assertThat(millisSince(start)).isGreaterThanOrEqualTo(1_000);
    assertThat(retries)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.cause()).isEqualTo(RetryEvent.Cause.RATE_LIMITED);
              assertThat(r.delay()).isEqualTo(Duration.ofSeconds(1));
              assertThat(r.message()).isEqualTo("HTTP 429 RATE_LIMIT_REACHED");
            });
    RecordedRequest first = server.takeRequest();
    RecordedRequest second = server.takeRequest();
    assertThat(second.getUrl()).isEqualTo(first.getUrl());
  }

  @Test
  void a_429_that_persists_ends_in_a_rate_limit_exception() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(
          new MockResponse.Builder().code(429).setHeader("Retry-After", "0").body("{}").build());
    }

    assertThatThrownBy(() -> fetch(settings(server).maxRetries(2).build()))
        .isInstanceOfSatisfying(
            AirtableRateLimitException.class, e -> assertThat(e.attempts()).isEqualTo(3))
        .hasMessageContaining("429")
        .hasMessageContaining("after 3 attempts")
        .hasMessageContaining("AIRTABLE_RATE_LIMIT_PER_SECOND");
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void client_errors_are_never_retried() {
    server.enqueue(error(422, "INVALID_FILTER_BY_FORMULA", "The formula is invalid"));
    server.enqueue(ok(page(null, "recA")));

    assertThatThrownBy(() -> fetch(settings(server).maxRetries(3).build()))
        .isInstanceOf(AirtableRequestException.class);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void malformed_json_on_every_attempt_names_the_table_page_and_offset_after_the_retries() {
    server.enqueue(ok(page("itr1/recA", "recA")));
    for (int i = 0; i < 3; i++) {
      server.enqueue(ok("{\"records\": [{\"id\": \"recB\", \"fields\": {"));
    }

    assertThatThrownBy(() -> fetch(settings(server).maxRetries(2).build()))
        .isInstanceOfSatisfying(
            AirtableResponseException.class,
            e -> {
              assertThat(e.table()).isEqualTo("Classes");
              assertThat(e.page()).isEqualTo(2);
            })
        .hasMessageContaining("table 'Classes' of base " + BASE + ", page 2 (offset itr1/recA)")
        .hasMessageContaining("invalid JSON")
        .hasMessageContaining("on 3 attempts");
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(retries)
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.cause()).isEqualTo(RetryEvent.Cause.UNREADABLE));
  }

  @Test
  void malformed_json_once_is_retried_and_every_record_arrives() {
    server.enqueue(ok(page("itr1/recA", "recA")));
    server.enqueue(ok("<html><body>502 Bad Gateway</body></html>"));
    server.enqueue(ok(page(null, "recB", "recC")));

    TableFetch fetch = fetch(settings(server).maxRetries(2).build());

    assertThat(fetch.records())
        .extracting(AirtableRecord::id)
        .containsExactly("recA", "recB", "recC");
    assertThat(retries)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.cause()).isEqualTo(RetryEvent.Cause.UNREADABLE);
              assertThat(r.page()).isEqualTo(2);
            });
  }

  @Test
  void a_body_cut_short_of_its_content_length_is_retried() {
    String whole = page(null, "recA", "recB");
    // Declares the whole length but closes the socket after half: the body ends too soon.
    server.enqueue(
        new MockResponse.Builder()
            .setHeader("Content-Type", "application/json")
            .body(whole.substring(0, whole.length() / 2))
            .setHeader("Content-Length", Integer.toString(whole.length()))
            .onResponseEnd(SocketEffect.ShutdownConnection.INSTANCE)
            .build());
    server.enqueue(ok(whole));

    TableFetch fetch = fetch(settings(server).maxRetries(1).build());

    assertThat(fetch.records()).extracting(AirtableRecord::id).containsExactly("recA", "recB");
    assertThat(retries).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void an_empty_200_is_retried_like_a_server_error() {
    server.enqueue(ok(""));
    server.enqueue(ok(page(null, "recA")));

    TableFetch fetch = fetch(settings(server).maxRetries(1).build());

    assertThat(fetch.records()).hasSize(1);
    assertThat(retries)
        .singleElement()
        .satisfies(r -> assertThat(r.cause()).isEqualTo(RetryEvent.Cause.UNREADABLE));
  }

  @Test
  void json_that_is_not_a_records_page_is_a_response_error() {
    server.enqueue(ok("[1, 2, 3]"));

    assertThatThrownBy(() -> fetch(settings(server).build()))
        .isInstanceOf(AirtableResponseException.class)
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void a_server_that_never_accepts_ends_at_the_connect_timeout() throws Exception {
    // Linux drops SYNs to a listening socket whose accept queue is full: the connect hangs.
    try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          Socket filler = new Socket();
          try {
            filler.connect(full.getLocalSocketAddress(), 200);
          } catch (IOException expectedOnceFull) {
            // Already full: the next connect will hang as we want.
          }
          fillers.add(filler);
        }
        AirtableSettings settings =
            settings(server)
                .baseUrl(URI.create("http://127.0.0.1:" + full.getLocalPort()))
                .connectTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(5))
                .build();
        long start = System.nanoTime();

        assertThatThrownBy(() -> fetch(settings))
            .isInstanceOfSatisfying(
                AirtableTimeoutException.class,
                e -> assertThat(e.limit()).isEqualTo("AIRTABLE_CONNECT_TIMEOUT_SECONDS"))
            .hasMessageContaining("AIRTABLE_CONNECT_TIMEOUT_SECONDS (1.0 s)");
        assertThat(millisSince(start)).isLessThan(1_000 + 1_000);
      } finally {
        for (Socket filler : fillers) {
          filler.close();
        }
      }
    }
  }

  @Test
  void a_refused_connection_is_a_network_error_after_the_retries() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    AirtableSettings settings =
        settings(server).baseUrl(URI.create("http://127.0.0.1:" + port)).maxRetries(1).build();

    assertThatThrownBy(() -> fetch(settings))
        .isInstanceOfSatisfying(
            AirtableNetworkException.class, e -> assertThat(e.attempts()).isEqualTo(2))
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("after 2 attempts");
    assertThat(retries).extracting(RetryEvent::cause).containsExactly(RetryEvent.Cause.NETWORK);
  }
}
