package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.IntegrityException;
import dev.integrity.Secret;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AirtableSettingsTest {
  private static final Secret TOKEN = new Secret(Fixtures.TOKEN);

  @Test
  void defaults_follow_the_contract() {
    AirtableSettings s = AirtableSettings.builder().token(TOKEN).build();

    assertThat(s.baseUrl()).isEqualTo(URI.create("https://api.airtable.com"));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.readTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxRetries()).isEqualTo(5);
    assertThat(s.rateLimitPerSecond()).isEqualTo(5);
    assertThat(s.rateLimitWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.tokenRateLimitPerSecond()).isEqualTo(50);
    assertThat(s.rateRule()).isEqualTo(RateRule.DEFAULT);
    assertThat(s.backoffInitial()).isLessThan(s.backoffMax());
    assertThat(s.maxIteratorRestarts()).isPositive();
  }

  @Test
  void a_token_rate_below_one_is_refused_naming_the_variable() {
    assertThatThrownBy(
            () -> AirtableSettings.builder().token(TOKEN).tokenRateLimitPerSecond(0).build())
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND");
  }

  @Test
  void to_string_masks_the_token() {
    AirtableSettings s = AirtableSettings.builder().token(TOKEN).build();

    assertThat(s.toString()).doesNotContain(Fixtures.TOKEN).contains("****");
  }

  @Test
  void a_missing_token_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> AirtableSettings.builder().build())
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("AIRTABLE_TOKEN");
  }

  @Test
  void a_zero_request_timeout_is_refused_naming_the_variable() {
    assertThatThrownBy(
            () -> AirtableSettings.builder().token(TOKEN).requestTimeout(Duration.ZERO).build())
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
  }

  @Test
  void a_rate_below_one_per_second_is_refused() {
    assertThatThrownBy(() -> AirtableSettings.builder().token(TOKEN).rateLimitPerSecond(0).build())
        .hasMessageContaining("AIRTABLE_RATE_LIMIT_PER_SECOND");
  }

  @Test
  void negative_retries_are_refused() {
    assertThatThrownBy(() -> AirtableSettings.builder().token(TOKEN).maxRetries(-1).build())
        .hasMessageContaining("AIRTABLE_MAX_RETRIES");
  }

  @Test
  void a_backoff_that_starts_above_its_maximum_is_refused() {
    assertThatThrownBy(
            () ->
                AirtableSettings.builder()
                    .token(TOKEN)
                    .backoffInitial(Duration.ofSeconds(5))
                    .backoffMax(Duration.ofSeconds(1))
                    .build())
        .hasMessageContaining("backoffInitial");
  }

  @Test
  void a_base_url_that_is_not_http_is_refused() {
    assertThatThrownBy(
            () ->
                AirtableSettings.builder()
                    .token(TOKEN)
                    .baseUrl(URI.create("ftp://example.com"))
                    .build())
        .hasMessageContaining("AIRTABLE_BASE_URL");
  }
}
