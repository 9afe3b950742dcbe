package dev.integrity.airtable;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The rate limiters of one process: one per base, shared by every fetch of that base, and one per
 * token, shared by every base that token reads (Airtable limits both). Make one per process and
 * hand it to every {@link AirtableClient}, so that clients made for different configs still share a
 * base's lockout and the token's cap. A limiter takes the ceiling of the first client that asks for
 * it. Thread-safe.
 */
public final class AirtableRateLimits {
  /**
   * Attempts are paced {@code PACING_WINDOW / N} apart (210 ms at N = 5), as wide as the send
   * window: the send check alone keeps the margin (no N + 1 sends within it, however they were
   * paced), so pacing slower only gave throughput away (1 %, issue 19). A send that comes a little
   * early waits a few milliseconds at the send check; a lockout is never waited out there ({@link
   * Transport#sendWait}).
   */
  static final Duration PACING_WINDOW = Duration.ofMillis(1_050);

  /**
   * No N + 1 sends within this window: one second plus a margin for uneven trips to the server and
   * for the moment the server stamps a request (a GC pause, a busy server thread): against the
   * simulator on a loaded 2-core machine the stamp lagged our send by 0.6 ms typically and up to 54
   * ms, and a 429 costs a 30 s lockout. The demo scan then measured 1.07 × the ideal time.
   */
  static final Duration SEND_WINDOW = Duration.ofMillis(1_050);

  /**
   * The token's send window leaves a wider margin (80 ms, not 50): its 50 sends a second give ten
   * times the chances of one send reaching the server late (a GC pause, a busy core between the
   * send check and the write) next to one that does not, and overrunning the token locks every base
   * it reads out for 30 s, not one. 100 bases on one token drew a 429 on every base within the
   * first minute with the base's 50 ms (issue 19).
   *
   * <p>The token paces at its send window, as a base does (46.3 requests/s at most; it paced 10 ms
   * slower before, 45.9).
   */
  static final Duration TOKEN_PACING_WINDOW = Duration.ofMillis(1_080);

  static final Duration TOKEN_SEND_WINDOW = Duration.ofMillis(1_080);

  private final Ticker ticker;
  private final ConcurrentMap<String, BaseRateLimiter> bases = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, BaseRateLimiter> tokens = new ConcurrentHashMap<>();

  public AirtableRateLimits(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** The adaptive limiter of {@code baseId}. */
  BaseRateLimiter forBase(String baseId, AirtableSettings settings) {
    return bases.computeIfAbsent(
        baseId,
        id ->
            new BaseRateLimiter(
                settings.rateLimitPerSecond(),
                PACING_WINDOW,
                SEND_WINDOW,
                settings.rateRule(),
                ticker));
  }

  /** The fixed-rate limiter of the settings' token. */
  BaseRateLimiter forToken(AirtableSettings settings) {
    // Keyed by a digest, so the map never holds the token itself in a form a dump would show.
    return tokens.computeIfAbsent(
        digest(settings.token()),
        key ->
            new BaseRateLimiter(
                settings.tokenRateLimitPerSecond(),
                TOKEN_PACING_WINDOW,
                TOKEN_SEND_WINDOW,
                ticker));
  }

  private static String digest(Secret token) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(token.reveal().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
