package dev.integrity.app;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableRateLimits;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.RateRule;
import dev.integrity.config.Limits;
import java.net.URI;
import java.time.Clock;

/**
 * Builds Airtable clients from the process limits: the one mapping from {@link Limits} to {@link
 * AirtableSettings}. Stateless and thread-safe.
 */
final class Clients {
  private Clients() {}

  static AirtableSettings settings(Limits limits, URI baseUrl, Secret token) {
    return AirtableSettings.builder()
        .baseUrl(baseUrl == null ? AirtableSettings.DEFAULT_BASE_URL : baseUrl)
        .token(token)
        .connectTimeout(limits.connectTimeout())
        .readTimeout(limits.readTimeout())
        .writeTimeout(limits.readTimeout())
        .requestTimeout(limits.requestTimeout())
        .maxRetries(limits.maxRetries())
        .rateLimitPerSecond(limits.rateLimitPerSecond())
        .tokenRateLimitPerSecond(limits.tokenRateLimitPerSecond())
        .rateRule(RateRule.probingWithin(limits.rateProbe()))
        .build();
  }

  /** A client of its own rate limiters, for one-off commands (init, validate, webhooks). */
  static AirtableClient standalone(Limits limits, URI baseUrl, Secret token, Ticker ticker) {
    return new AirtableClient(settings(limits, baseUrl, token), ticker, AirtableListener.none());
  }

  static AirtableClient shared(
      Limits limits,
      URI baseUrl,
      Secret token,
      Ticker ticker,
      Clock clock,
      AirtableListener listener,
      AirtableRateLimits rateLimits) {
    return new AirtableClient(
        settings(limits, baseUrl, token), ticker, clock, listener, rateLimits);
  }
}
