package dev.integrity.airtable;

import dev.integrity.IntegrityException;
import dev.integrity.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and address of the Airtable client; defaults follow the contract's environment variables;
 * {@link Builder#build()} validates them and the token prints as {@code ****}. Immutable and
 * thread-safe.
 *
 * @param baseUrl API root, e.g. {@code https://api.airtable.com} (AIRTABLE_BASE_URL)
 * @param token personal access token (AIRTABLE_TOKEN)
 * @param connectTimeout TCP/TLS connect (AIRTABLE_CONNECT_TIMEOUT_SECONDS)
 * @param readTimeout longest silence on an open socket (AIRTABLE_READ_TIMEOUT_SECONDS)
 * @param writeTimeout longest stall while sending a request body
 * @param requestTimeout whole-call deadline, body included (AIRTABLE_REQUEST_TIMEOUT_SECONDS)
 * @param maxRetries retries of one request (AIRTABLE_MAX_RETRIES)
 * @param rateLimitPerSecond requests per second per base, a ceiling the rate adapts under
 *     (AIRTABLE_RATE_LIMIT_PER_SECOND)
 * @param tokenRateLimitPerSecond requests per second of all bases sharing the token
 *     (AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND)
 * @param rateRule how a base's rate follows the server's limit under the ceiling (contract, "Rate")
 * @param rateLimitWait wait after a 429 without {@code Retry-After}; {@code Retry-After} wins
 * @param backoffInitial first back-off before retrying a 5xx, timeout or network failure
 * @param backoffMax longest back-off
 * @param maxIteratorRestarts how often an expired offset may restart a table from page 1
 */
public record AirtableSettings(
    URI baseUrl,
    Secret token,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Duration requestTimeout,
    int maxRetries,
    int rateLimitPerSecond,
    int tokenRateLimitPerSecond,
    RateRule rateRule,
    Duration rateLimitWait,
    Duration backoffInitial,
    Duration backoffMax,
    int maxIteratorRestarts) {

  // The contract's defaults, in the one place they are written; config.Limits reads them too.
  public static final URI DEFAULT_BASE_URL = URI.create("https://api.airtable.com");
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(300);
  public static final int DEFAULT_MAX_RETRIES = 5;
  public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 5;
  public static final int DEFAULT_TOKEN_RATE_LIMIT_PER_SECOND = 50;

  public AirtableSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(readTimeout, "readTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(rateRule, "rateRule");
    Objects.requireNonNull(rateLimitWait, "rateLimitWait");
    Objects.requireNonNull(backoffInitial, "backoffInitial");
    Objects.requireNonNull(backoffMax, "backoffMax");
  }

  /** A builder holding the contract's defaults; only the token has none. */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects settings; {@link #build()} validates them. Not thread-safe. */
  public static final class Builder {
    private URI baseUrl = DEFAULT_BASE_URL;
    private Secret token;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_READ_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
    private int tokenRateLimitPerSecond = DEFAULT_TOKEN_RATE_LIMIT_PER_SECOND;
    private RateRule rateRule = RateRule.DEFAULT;
    private Duration rateLimitWait = Duration.ofSeconds(30);
    private Duration backoffInitial = Duration.ofSeconds(1);
    private Duration backoffMax = Duration.ofSeconds(30);
    private int maxIteratorRestarts = 3;

    private Builder() {}

    public Builder baseUrl(URI baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder token(Secret token) {
      this.token = token;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = readTimeout;
      return this;
    }

    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder maxRetries(int maxRetries) {
      this.maxRetries = maxRetries;
      return this;
    }

    public Builder rateLimitPerSecond(int rateLimitPerSecond) {
      this.rateLimitPerSecond = rateLimitPerSecond;
      return this;
    }

    public Builder tokenRateLimitPerSecond(int tokenRateLimitPerSecond) {
      this.tokenRateLimitPerSecond = tokenRateLimitPerSecond;
      return this;
    }

    public Builder rateRule(RateRule rateRule) {
      this.rateRule = rateRule;
      return this;
    }

    public Builder rateLimitWait(Duration rateLimitWait) {
      this.rateLimitWait = rateLimitWait;
      return this;
    }

    public Builder backoffInitial(Duration backoffInitial) {
      this.backoffInitial = backoffInitial;
      return this;
    }

    public Builder backoffMax(Duration backoffMax) {
      this.backoffMax = backoffMax;
      return this;
    }

    public Builder maxIteratorRestarts(int maxIteratorRestarts) {
      this.maxIteratorRestarts = maxIteratorRestarts;
      return this;
    }

    /**
     * Validates and returns the settings.
     *
     * @throws IntegrityException naming the setting (and its environment variable) that is wrong
     */
    public AirtableSettings build() {
      if (baseUrl == null
          || !baseUrl.isAbsolute()
          || baseUrl.getHost() == null
          || !("http".equalsIgnoreCase(baseUrl.getScheme())
              || "https".equalsIgnoreCase(baseUrl.getScheme()))) {
        throw invalid("AIRTABLE_BASE_URL", "must be an absolute http(s) URL, got " + baseUrl);
      }
      if (token == null || token.reveal().isBlank()) {
        throw invalid("AIRTABLE_TOKEN", "is required (a personal access token)");
      }
      positive("AIRTABLE_CONNECT_TIMEOUT_SECONDS", connectTimeout);
      positive("AIRTABLE_READ_TIMEOUT_SECONDS", readTimeout);
      positive("writeTimeout", writeTimeout);
      positive("AIRTABLE_REQUEST_TIMEOUT_SECONDS", requestTimeout);
      positive("rateLimitWait", rateLimitWait);
      Objects.requireNonNull(rateRule, "rateRule");
      positive("backoffInitial", backoffInitial);
      positive("backoffMax", backoffMax);
      if (backoffInitial.compareTo(backoffMax) >= 0) {
        throw invalid(
            "backoffInitial",
            "must be shorter than backoffMax ("
                + Texts.duration(backoffInitial)
                + " >= "
                + Texts.duration(backoffMax)
                + ")");
      }
      if (maxRetries < 0) {
        throw invalid("AIRTABLE_MAX_RETRIES", "must be 0 or more, got " + maxRetries);
      }
      if (rateLimitPerSecond < 1) {
        throw invalid(
            "AIRTABLE_RATE_LIMIT_PER_SECOND", "must be 1 or more, got " + rateLimitPerSecond);
      }
      if (tokenRateLimitPerSecond < 1) {
        throw invalid(
            "AIRTABLE_TOKEN_RATE_LIMIT_PER_SECOND",
            "must be 1 or more, got " + tokenRateLimitPerSecond);
      }
      if (maxIteratorRestarts < 0) {
        throw invalid("maxIteratorRestarts", "must be 0 or more, got " + maxIteratorRestarts);
      }
      return new AirtableSettings(
          baseUrl,
          token,
          connectTimeout,
          readTimeout,
          writeTimeout,
          requestTimeout,
          maxRetries,
          rateLimitPerSecond,
          tokenRateLimitPerSecond,
          rateRule,
          rateLimitWait,
          backoffInitial,
          backoffMax,
          maxIteratorRestarts);
    }

    private static void positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw invalid(name, "must be a positive duration, got " + value);
      }
    }

    private static IntegrityException invalid(String name, String problem) {
      return new IntegrityException("Invalid Airtable setting " + name + ": " + problem);
    }
  }
}
