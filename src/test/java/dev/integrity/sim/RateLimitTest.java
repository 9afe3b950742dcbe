package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RateLimitTest {
  private final TestHttp.ManualTicker ticker = new TestHttp.ManualTicker();
  private AirtableSimulator sim;
  private TestHttp http;

  @BeforeEach
  void start() {
    sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Rows", 10)))
            .ticker(ticker)
            .build()
            .start();
    http = new TestHttp(sim);
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private int status() {
    return http.get(http.listPath("Rows")).status();
  }

  @Test
  void the_sixth_request_within_a_second_gets_429_with_airtables_body() {
    for (int i = 0; i < 5; i++) {
      assertThat(status()).isEqualTo(200);
    }
    var a = http.get(http.listPath("Rows"));
    assertThat(a.status()).isEqualTo(429);
    assertThat(a.json().at("/errors/0/error").asText()).isEqualTo("RATE_LIMIT_REACHED");
    assertThat(a.response().header("Retry-After")).isNull();
  }

  @Test
  void after_a_429_the_base_is_locked_out_for_30_seconds() {
    for (int i = 0; i < 6; i++) {
      status();
    }
    ticker.advance(Duration.ofSeconds(29));
    assertThat(status()).as("still locked out after 29 s").isEqualTo(429);
    ticker.advance(Duration.ofSeconds(1));
    assertThat(status()).as("free again after 30 s").isEqualTo(200);
  }

  @Test
  void requests_spread_over_the_sliding_window_are_never_limited() {
    for (int i = 0; i < 50; i++) {
      assertThat(status()).isEqualTo(200);
      ticker.advance(Duration.ofMillis(200));
    }
  }

  @Test
  void the_window_slides_rather_than_resetting_on_second_boundaries() {
    ticker.advance(Duration.ofMillis(900));
    for (int i = 0; i < 5; i++) {
      assertThat(status()).isEqualTo(200);
    }
    ticker.advance(Duration.ofMillis(200)); // a new calendar second, but the last 5 are 200 ms old
    assertThat(status()).isEqualTo(429);
  }

  @Test
  void the_meta_api_counts_towards_the_same_base_limit() {
    for (int i = 0; i < 5; i++) {
      assertThat(http.get("/v0/meta/bases/" + sim.dataset().baseId() + "/tables").status())
          .isEqualTo(200);
    }
    assertThat(status()).isEqualTo(429);
  }

  @Test
  void requests_with_a_bad_token_do_not_count() {
    for (int i = 0; i < 10; i++) {
      var a =
          http.call(
              http.request(http.listPath("Rows")).header("Authorization", "Bearer wrong").build());
      assertThat(a.status()).isEqualTo(401);
    }
    assertThat(status()).isEqualTo(200);
  }

  @Test
  void zero_means_unlimited() {
    try (var unlimited =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1))
            .rateLimitPerSecond(0)
            .ticker(ticker)
            .build()
            .start()) {
      var client = new TestHttp(unlimited);
      for (int i = 0; i < 30; i++) {
        assertThat(client.get(client.listPath("Rows")).status()).isEqualTo(200);
      }
    }
  }

  @Test
  void reset_rate_limit_ends_a_lockout() {
    for (int i = 0; i < 6; i++) {
      status();
    }
    sim.resetRateLimit();
    assertThat(status()).isEqualTo(200);
  }

  @Test
  void a_lower_limit_and_a_shorter_lockout_set_for_a_test_behave_like_airtable() {
    try (var slow =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic("Rows", 1))
            .rateLimitPerSecond(2)
            .lockout(Duration.ofSeconds(2))
            .ticker(ticker)
            .build()
            .start()) {
      var client = new TestHttp(slow);
      assertThat(client.get(client.listPath("Rows")).status()).isEqualTo(200);
      assertThat(client.get(client.listPath("Rows")).status()).isEqualTo(200);
      var third = client.get(client.listPath("Rows"));
      assertThat(third.status()).isEqualTo(429);
      assertThat(third.json().at("/errors/0/error").asText()).isEqualTo("RATE_LIMIT_REACHED");
      ticker.advance(Duration.ofMillis(1_999));
      assertThat(client.get(client.listPath("Rows")).status())
          .as("still locked out just before the configured 2 s")
          .isEqualTo(429);
      ticker.advance(Duration.ofMillis(1));
      assertThat(client.get(client.listPath("Rows")).status()).isEqualTo(200);
    }
  }

  @Test
  void requests_to_another_base_do_not_count_towards_this_base() {
    for (int i = 0; i < 10; i++) {
      assertThat(http.get("/v0/appOTHERBASE00001/Rows").status()).isEqualTo(404);
    }
    assertThat(status()).isEqualTo(200);
  }
}
