package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two simulated bases of one token: the token's limit counts the requests of both, over HTTP. */
class TokenLimitTest {
  private final TestHttp.ManualTicker ticker = new TestHttp.ManualTicker();
  private final TokenLimit token = new TokenLimit(4, Duration.ofSeconds(30));
  private AirtableSimulator first;
  private AirtableSimulator second;
  private TestHttp toFirst;
  private TestHttp toSecond;

  @BeforeEach
  void start() {
    first = base("appTokenLimitAaaa");
    second = base("appTokenLimitBbbb");
    toFirst = new TestHttp(first);
    toSecond = new TestHttp(second);
  }

  private AirtableSimulator base(String baseId) {
    return AirtableSimulator.builder()
        .dataset(Dataset.of(baseId, Dataset.synthetic(Map.of("Rows", 10)).tables()))
        .ticker(ticker)
        .tokenLimit(token)
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
  }

  private static int list(TestHttp http) {
    return http.get(http.listPath("Rows")).status();
  }

  @Test
  void requestsToTwoBasesOverTheTokensLimitGet429ThoughEachBaseIsUnderItsOwn() {
    assertThat(list(toFirst)).isEqualTo(200);
    assertThat(list(toFirst)).isEqualTo(200);
    assertThat(list(toSecond)).isEqualTo(200);
    assertThat(list(toSecond)).isEqualTo(200);

    TestHttp.Answer fifth = toSecond.get(toSecond.listPath("Rows"));

    assertThat(fifth.status()).isEqualTo(429);
    assertThat(fifth.json().at("/errors/0/error").asText()).isEqualTo("RATE_LIMIT_REACHED");
    assertThat(token.refused()).isEqualTo(1);
  }

  @Test
  void aTokenOverItsLimitIsLockedOutOnEveryBaseForThirtySeconds() {
    for (int i = 0; i < 4; i++) {
      list(toFirst);
    }
    assertThat(list(toFirst)).isEqualTo(429);

    ticker.advance(Duration.ofSeconds(29));
    assertThat(list(toSecond)).as("the other base, 29 s on").isEqualTo(429);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(list(toSecond)).as("30 s on").isEqualTo(200);
  }

  @Test
  void basesOfDifferentTokensDoNotShareALimit() {
    try (AirtableSimulator own =
        AirtableSimulator.builder()
            .dataset(
                Dataset.of("appTokenLimitCccc", Dataset.synthetic(Map.of("Rows", 10)).tables()))
            .ticker(ticker)
            .build()
            .start()) {
      for (int i = 0; i < 4; i++) {
        list(toFirst);
      }
      assertThat(list(toFirst)).isEqualTo(429);

      assertThat(list(new TestHttp(own))).isEqualTo(200);
    }
  }
}
