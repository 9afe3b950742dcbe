package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against servers whose limit is lower than its own: it adapts instead of drawing one
 * lockout after another, honours Retry-After in both forms, and shares the token's cap across
 * bases. Waits are shortened through the settings; assertions are on what the server saw.
 */
class RateAdaptationTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  private final MockWebServer server = new MockWebServer();
  private final List<RetryEvent> retries = new CopyOnWriteArrayList<>();
  private final AirtableListener listener =
      new AirtableListener() {
        @Override
        public void onRetry(RetryEvent e) {
          retries.add(e);
        }
      };
  private final ExecutorService pool =
      Executors.newFixedThreadPool(2, Thread.ofPlatform().name("test-fetch-", 0).factory());

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    server.close();
  }

  private static MockResponse tooMany(String retryAfter) {
    return new MockResponse.Builder()
        .code(429)
        .setHeader("Retry-After", retryAfter)
        .body(
            "{\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\",\"message\":\"Rate limit exceeded\"}]}")
        .build();
  }

  private TableFetch fetchWithClock(Clock clock) {
    try (AirtableClient client =
        new AirtableClient(
            settings(server).maxRetries(1).build(),
            Ticker.system(),
            clock,
            listener,
            new AirtableRateLimits(Ticker.system()))) {
      return client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {});
    }
  }

  @Test
  void retry_after_as_an_http_date_waits_until_that_date_on_the_injected_clock() {
    String inOneSecond =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(1).atOffset(ZoneOffset.UTC));
    server.enqueue(tooMany(inOneSecond));
    server.enqueue(ok(page(null, "recA")));

    TableFetch fetch = fetchWithClock(Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(fetch.records()).hasSize(1);
    assertThat(retries)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.cause()).isEqualTo(RetryEvent.Cause.RATE_LIMITED);
              assertThat(r.delay()).isEqualTo(Duration.ofSeconds(1));
            });
  }

  @Test
  void retry_after_as_a_date_already_past_means_retry_at_once() {
    String past =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(90).atOffset(ZoneOffset.UTC));
    server.enqueue(tooMany(past));
    server.enqueue(ok(page(null, "recA")));

    fetchWithClock(Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(retries).singleElement().satisfies(r -> assertThat(r.delay()).isZero());
  }

  @Test
  void retry_after_that_is_neither_seconds_nor_a_date_falls_back_to_the_configured_wait() {
    server.enqueue(tooMany("soon"));
    server.enqueue(ok(page(null, "recA")));
    try (AirtableClient client =
        new AirtableClient(
            settings(server).maxRetries(1).rateLimitWait(Duration.ofMillis(300)).build(),
            Ticker.system(),
            listener)) {
      client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {});
    }

    assertThat(retries)
        .singleElement()
        .satisfies(r -> assertThat(r.delay()).isEqualTo(Duration.ofMillis(300)));
  }

  @Test
  void two_bases_of_one_token_share_the_token_limit_across_clients() throws Exception {
    ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(System.nanoTime());
            return ok(page(null, "rec" + request.getUrl().pathSegments().getFirst()));
          }
        });
    // One process, two configs (two clients) for two bases with the same token at 1 request/s.
    AirtableRateLimits shared = new AirtableRateLimits(Ticker.system());
    AirtableSettings settings = settings(server).tokenRateLimitPerSecond(1).build();
    try (AirtableClient a =
            new AirtableClient(settings, Ticker.system(), Clock.systemUTC(), null, shared);
        AirtableClient b =
            new AirtableClient(settings, Ticker.system(), Clock.systemUTC(), null, shared)) {
      FetchControl control = FetchControl.create();
      Future<TableFetch> first =
          pool.submit(
              () -> a.listRecords("appBASEA00000001", "T", ListOptions.all(), control, null));
      Future<TableFetch> second =
          pool.submit(
              () -> b.listRecords("appBASEB00000001", "T", ListOptions.all(), control, null));
      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);
    }

    List<Long> times = arrivals.stream().sorted().toList();
    assertThat(times).hasSize(2);
    assertThat(Duration.ofNanos(times.get(1) - times.get(0)))
        .as("the second base waited for the token's next slot")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void against_a_server_allowing_2_per_second_a_ceiling_of_5_adapts_and_never_sends_in_a_lockout()
      throws Exception {
    Duration lockout = Duration.ofSeconds(2);
    Dataset data = Dataset.synthetic("Rows", 2_000); // 20 pages
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(data)
                .rateLimitPerSecond(2)
                .lockout(lockout)
                .build()
                .start();
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret(sim.token()))
                    .rateLimitPerSecond(5)
                    .rateLimitWait(lockout)
                    .rateRule(RateRule.DEFAULT.withStep(Duration.ofSeconds(1)))
                    .maxRetries(5)
                    .build(),
                Ticker.system(),
                listener)) {
      TableFetch fetch =
          client.listRecords(data.baseId(), "Rows", ListOptions.all(), FetchControl.create(), null);

      assertThat(fetch.records()).hasSize(2_000);
      assertThat(fetch.pages()).isEqualTo(20);
      List<RequestLog> log =
          new ArrayList<>(sim.requests().stream().filter(r -> r.path().contains("/Rows")).toList());
      log.sort(Comparator.comparingLong(RequestLog::arrivalNanos));
      List<RequestLog> throttled = log.stream().filter(r -> r.status() == 429).toList();
      assertThat(throttled)
          .as("a handful of 429s, not one per lockout cycle")
          .hasSizeLessThanOrEqualTo(5);
      assertThat(log).hasSize(20 + throttled.size());
      for (int i = 0; i < log.size() - 1; i++) {
        if (log.get(i).status() == 429) {
          assertThat(Duration.ofNanos(log.get(i + 1).arrivalNanos() - log.get(i).arrivalNanos()))
              .as("the request after the 429 at position %d waited out the lockout", i)
              .isGreaterThanOrEqualTo(lockout);
        }
      }
      assertThat(retries)
          .allSatisfy(r -> assertThat(r.cause()).isEqualTo(RetryEvent.Cause.RATE_LIMITED));
    }
  }
}
