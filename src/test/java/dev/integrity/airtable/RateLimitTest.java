package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
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

/** Concurrent fetches of one base share its limit, measured by arrival time at the server. */
class RateLimitTest {
  private static final int LIMIT = 5;
  private static final int PAGES_PER_TABLE = 4;
  private static final List<String> TABLES = List.of("Teachers", "Classes", "Students", "Rooms");

  private final MockWebServer server = new MockWebServer();
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(
          TABLES.size(), Thread.ofPlatform().name("test-fetch-", 0).factory());

  @BeforeEach
  void start() throws Exception {
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            arrivals.add(System.nanoTime());
            String table = request.getUrl().pathSegments().getLast();
            String offset = request.getUrl().queryParameter("offset");
            int pageNo =
                offset == null ? 1 : Integer.parseInt(offset.substring(offset.indexOf('/') + 1));
            int pages = table.equals("Single") ? 1 : PAGES_PER_TABLE;
            String next = pageNo < pages ? "itr/" + (pageNo + 1) : null;
            return new MockResponse.Builder()
                .body(page(next, "rec" + table + pageNo + "a", "rec" + table + pageNo + "b"))
                .headersDelay(20, TimeUnit.MILLISECONDS)
                .build();
          }
        });
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    server.close();
  }

  @Test
  void four_tables_fetched_at_once_never_exceed_the_limit_in_any_second_at_the_server()
      throws Exception {
    AirtableSettings settings = settings(server).rateLimitPerSecond(LIMIT).build();
    List<TableFetch> fetches = new ArrayList<>();
    try (AirtableClient client = new AirtableClient(settings, Ticker.system(), null)) {
      FetchControl control = FetchControl.create();
      List<Future<TableFetch>> futures = new ArrayList<>();
      for (String table : TABLES) {
        futures.add(
            pool.submit(
                () -> client.listRecords(BASE, table, ListOptions.all(), control, e -> {})));
      }
      for (Future<TableFetch> future : futures) {
        fetches.add(future.get(30, TimeUnit.SECONDS));
      }
    }

    assertThat(fetches).allSatisfy(f -> assertThat(f.records()).hasSize(2 * PAGES_PER_TABLE));
    List<Long> times = arrivals.stream().sorted().toList();
    assertThat(times).hasSize(TABLES.size() * PAGES_PER_TABLE);
    long second = Duration.ofSeconds(1).toNanos();
    for (int i = 0; i + LIMIT < times.size(); i++) {
      long span = times.get(i + LIMIT) - times.get(i);
      assertThat(span)
          .as("requests %d..%d arrived within %d ms", i, i + LIMIT, span / 1_000_000)
          .isGreaterThanOrEqualTo(second);
    }
  }

  @Test
  void different_bases_have_their_own_limit() throws Exception {
    AirtableSettings settings = settings(server).rateLimitPerSecond(1).build();
    try (AirtableClient client = new AirtableClient(settings, Ticker.system(), null)) {
      FetchControl control = FetchControl.create();
      Future<TableFetch> a =
          pool.submit(
              () ->
                  client.listRecords(
                      "appBASEA00000001", "Single", ListOptions.all(), control, e -> {}));
      Future<TableFetch> b =
          pool.submit(
              () ->
                  client.listRecords(
                      "appBASEB00000001", "Single", ListOptions.all(), control, e -> {}));
      a.get(30, TimeUnit.SECONDS);
      b.get(30, TimeUnit.SECONDS);
    }

    // Sharing one limit at 1 request/s, the second request would have waited a second.
    List<Long> times = arrivals.stream().sorted().toList();
    assertThat(times.get(1) - times.get(0))
        .as("the first requests of the two bases do not wait for each other")
        .isLessThan(Duration.ofMillis(900).toNanos());
  }
}
