package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.TokenLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Whose limit a 429 was about, and what the token's other bases do when it was the token's. */
class TokenBlameTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter token =
      new BaseRateLimiter(5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), now::get);
  private final BaseRateLimiter base =
      new BaseRateLimiter(
          5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RateRule.DEFAULT, now::get);
  private final BaseRateLimiter other =
      new BaseRateLimiter(
          5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RateRule.DEFAULT, now::get);

  @Test
  void a_429_of_a_base_with_room_while_the_tokens_window_was_full_is_the_tokens() {
    for (int i = 0; i < 4; i++) {
      assertThat(other.tryAdmitSend(Duration.ZERO, token)).isZero();
    }
    assertThat(base.tryAdmitSend(Duration.ZERO, token)).isZero();

    assertThat(TokenBlame.isTokens(base, token)).isTrue();
  }

  @Test
  void a_429_of_a_base_that_filled_its_own_window_is_the_bases() {
    for (int i = 0; i < 5; i++) {
      assertThat(base.tryAdmitSend(Duration.ZERO, token)).isZero();
    }

    assertThat(TokenBlame.isTokens(base, token)).isFalse();
  }

  @Test
  void a_429_while_the_tokens_window_was_mostly_empty_is_the_bases() {
    assertThat(base.tryAdmitSend(Duration.ZERO, token)).isZero();
    assertThat(other.tryAdmitSend(Duration.ZERO, token)).isZero();

    assertThat(TokenBlame.isTokens(base, token)).isFalse();
    assertThat(TokenBlame.isTokens(base, null)).isFalse();
    assertThat(TokenBlame.isTokens(base, base)).isFalse();
  }

  @Test
  void once_the_token_is_overrun_its_other_bases_send_nothing_until_the_lockout_ends()
      throws Exception {
    Duration lockout = Duration.ofSeconds(3);
    // The server's token allows 4 a second, the client's 5: the client overruns it at once.
    TokenLimit serverToken = new TokenLimit(4, lockout);
    List<AirtableSimulator> sims = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (String id :
          List.of(
              "appTokenBlameAaaa", "appTokenBlameBbbb", "appTokenBlameCccc", "appTokenBlameDddd")) {
        sims.add(
            AirtableSimulator.builder()
                .dataset(Dataset.of(id, Dataset.synthetic(Map.of("Rows", 800)).tables()))
                .token("shared-token")
                .lockout(lockout)
                .tokenLimit(serverToken)
                .build()
                .start());
      }
      AirtableRateLimits limits = new AirtableRateLimits(Ticker.system());
      List<AirtableClient> clients = new ArrayList<>();
      List<CompletableFuture<TableFetch>> fetches = new ArrayList<>();
      for (AirtableSimulator sim : sims) {
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret("shared-token"))
                    .tokenRateLimitPerSecond(5)
                    .rateLimitWait(lockout)
                    .maxRetries(10)
                    .build(),
                Ticker.system(),
                java.time.Clock.systemUTC(),
                AirtableListener.none(),
                limits);
        clients.add(client);
        String baseId = sim.dataset().baseId();
        fetches.add(
            CompletableFuture.supplyAsync(
                () ->
                    client.listRecords(
                        baseId, "Rows", ListOptions.all(), FetchControl.create(), null),
                pool));
      }
      for (CompletableFuture<TableFetch> f : fetches) {
        assertThat(f.get(60, TimeUnit.SECONDS).records()).hasSize(800);
      }
      clients.forEach(AirtableClient::close);

      List<RequestLog> log = new ArrayList<>();
      sims.forEach(s -> log.addAll(s.requests()));
      log.sort(Comparator.comparingLong(RequestLog::arrivalNanos));
      RequestLog first429 = log.stream().filter(r -> r.status() == 429).findFirst().orElseThrow();
      long from = first429.arrivalNanos() + Duration.ofMillis(500).toNanos();
      long to = first429.arrivalNanos() + lockout.minusMillis(100).toNanos();
      assertThat(log)
          .as("no base of the token sends during its lockout, past the requests in flight then")
          .noneMatch(r -> r.arrivalNanos() > from && r.arrivalNanos() < to);
    } finally {
      pool.shutdownNow();
      sims.forEach(AirtableSimulator::close);
    }
  }
}
