package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.Ticker;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another thread aborts a fetch: it stops within a second, sends nothing more, leaves no thread.
 */
class CancellationTest {
  private final MockWebServer server = new MockWebServer();
  private final CountDownLatch retryScheduled = new CountDownLatch(1);
  private final AirtableListener listener =
      new AirtableListener() {
        @Override
        public void onRetry(RetryEvent e) {
          retryScheduled.countDown();
        }
      };
  private AirtableClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    server.close();
  }

  /** Runs the fetch on its own thread so the test thread can cancel it. */
  private Fetch startFetch(AirtableSettings settings, FetchControl control, PageListener pages) {
    client = new AirtableClient(settings, Ticker.system(), listener);
    Fetch fetch = new Fetch();
    Thread thread =
        new Thread(
            () -> {
              try {
                fetch.result.complete(
                    client.listRecords(BASE, "Classes", ListOptions.all(), control, pages));
              } catch (Throwable t) {
                fetch.result.completeExceptionally(t);
              }
            },
            "test-fetch");
    fetch.thread = thread;
    thread.start();
    return fetch;
  }

  private static final class Fetch {
    final CompletableFuture<TableFetch> result = new CompletableFuture<>();
    Thread thread;

    /** Waits for the end (bounded) and returns how it failed. */
    Throwable failure(Duration within) {
      await().atMost(within).until(result::isDone);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      result.whenComplete((r, t) -> failure.set(t));
      return failure.get() instanceof java.util.concurrent.CompletionException c
          ? c.getCause()
          : failure.get();
    }
  }

  private void assertNoFurtherRequest(int expected) {
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> server.getRequestCount() == expected);
  }

  private void assertNoClientThreadLeft(Fetch fetch) {
    await().atMost(Duration.ofSeconds(1)).until(() -> !fetch.thread.isAlive());
    client.close();
    List<String> busy =
        Thread.getAllStackTraces().entrySet().stream()
            .filter(
                e ->
                    e.getKey().getName().startsWith("airtable-http")
                        || Arrays.stream(e.getValue())
                            .anyMatch(
                                f -> f.getClassName().startsWith(AirtableClient.class.getName())))
            .map(e -> e.getKey().getName())
            .toList();
    assertThat(busy).isEmpty();
  }

  @Test
  void cancel_during_a_stalled_call_ends_the_fetch_at_once() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    AirtableSettings settings =
        settings(server)
            .requestTimeout(Duration.ofSeconds(30))
            .readTimeout(Duration.ofSeconds(30))
            .maxRetries(3)
            .build();
    FetchControl control = FetchControl.create();
    Fetch fetch = startFetch(settings, control, PageListener.none());
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    control.cancel("run 42 cancelled by alice");

    Throwable failure = fetch.failure(Duration.ofSeconds(1));
    assertThat(failure)
        .isInstanceOfSatisfying(
            FetchCancelledException.class,
            e -> {
              assertThat(e.reason()).isEqualTo("run 42 cancelled by alice");
              assertThat(e.table()).isEqualTo("Classes");
              assertThat(e.page()).isEqualTo(1);
            })
        .hasMessageContaining("run 42 cancelled by alice");
    assertNoFurtherRequest(1);
    assertNoClientThreadLeft(fetch);
  }

  @Test
  void cancel_during_a_thirty_second_rate_limit_wait_ends_the_fetch_at_once() throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).body("{}").build());
    server.enqueue(ok(page(null, "recA")));
    AirtableSettings settings =
        settings(server).rateLimitWait(Duration.ofSeconds(30)).maxRetries(3).build();
    FetchControl control = FetchControl.create();
    Fetch fetch = startFetch(settings, control, PageListener.none());
    assertThat(retryScheduled.await(5, TimeUnit.SECONDS)).isTrue();

    control.cancel("shutting down");

    assertThat(fetch.failure(Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            FetchCancelledException.class, e -> assertThat(e.reason()).isEqualTo("shutting down"));
    assertNoFurtherRequest(1);
    assertNoClientThreadLeft(fetch);
  }

  @Test
  void cancel_while_waiting_for_a_rate_limit_permit_sends_nothing_more() throws Exception {
    server.enqueue(ok(page("itr1/recA", "recA")));
    server.enqueue(ok(page(null, "recB")));
    CountDownLatch firstPage = new CountDownLatch(1);
    FetchControl control = FetchControl.create();
    Fetch fetch =
        startFetch(
            settings(server).rateLimitPerSecond(1).build(), control, e -> firstPage.countDown());
    assertThat(firstPage.await(5, TimeUnit.SECONDS)).isTrue();

    control.cancel("enough");

    assertThat(fetch.failure(Duration.ofMillis(500))).isInstanceOf(FetchCancelledException.class);
    assertNoFurtherRequest(1);
    assertNoClientThreadLeft(fetch);
  }

  @Test
  void one_cancel_stops_every_fetch_sharing_the_control() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    AirtableSettings settings =
        settings(server).requestTimeout(Duration.ofSeconds(30)).maxRetries(3).build();
    FetchControl control = FetchControl.create();
    Fetch first = startFetch(settings, control, PageListener.none());
    AirtableClient firstClient = client;
    Fetch second = startFetch(settings, control, PageListener.none());
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    control.cancel("run cancelled");

    assertThat(first.failure(Duration.ofSeconds(1))).isInstanceOf(FetchCancelledException.class);
    assertThat(second.failure(Duration.ofSeconds(1))).isInstanceOf(FetchCancelledException.class);
    assertNoFurtherRequest(2);
    firstClient.close();
    assertNoClientThreadLeft(second);
  }

  @Test
  void interrupting_the_fetching_thread_during_a_wait_ends_the_fetch_as_cancelled()
      throws Exception {
    server.enqueue(new MockResponse.Builder().code(429).body("{}").build());
    FetchControl control = FetchControl.create();
    Fetch fetch = startFetch(settings(server).maxRetries(3).build(), control, PageListener.none());
    assertThat(retryScheduled.await(5, TimeUnit.SECONDS)).isTrue();

    fetch.thread.interrupt();

    assertThat(fetch.failure(Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            FetchCancelledException.class, e -> assertThat(e.reason()).contains("interrupted"));
    assertThat(control.isCancelled()).as("other fetches of the run go on").isFalse();
    assertNoFurtherRequest(1);
  }

  @Test
  void a_fetch_with_an_already_cancelled_control_sends_no_request() {
    FetchControl control = FetchControl.create();
    control.cancel("too late");
    control.cancel("second reason is ignored");
    server.enqueue(ok(page(null, "recA")));

    Fetch fetch = startFetch(settings(server).build(), control, PageListener.none());

    assertThat(fetch.failure(Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            FetchCancelledException.class, e -> assertThat(e.reason()).isEqualTo("too late"));
    assertThat(control.isCancelled()).isTrue();
    assertThat(control.reason()).isEqualTo("too late");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void closing_the_client_ends_a_fetch_in_flight_as_cancelled() throws Exception {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    AirtableSettings settings =
        settings(server).requestTimeout(Duration.ofSeconds(30)).maxRetries(3).build();
    Fetch fetch = startFetch(settings, FetchControl.create(), PageListener.none());
    assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();

    client.close();

    assertThat(fetch.failure(Duration.ofSeconds(1)))
        .isInstanceOf(FetchCancelledException.class)
        .hasMessageContaining("closed");
    assertNoFurtherRequest(1);
    assertNoClientThreadLeft(fetch);
  }
}
