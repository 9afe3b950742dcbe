package dev.integrity.airtable;

/**
 * Whose limit a 429 was about. Airtable answers the same 429 when a base's 5 requests/s are
 * exceeded and when a token's 50 across its bases are, but the second locks every base of the token
 * out for 30 s. The client counts its own sends: when the token's send window was near full and the
 * base's was not, the base cannot have overrun its own limit through this client, so the 429 is
 * taken as the token's. A base that another integration also uses may still be refused with room in
 * its window; taking that for the token's only pauses the token's other bases once, while the
 * base's own rate adapts as for any 429. Stateless.
 */
final class TokenBlame {
  /** The token's window at least this full makes an overrun of it plausible. */
  static final double TOKEN_FILL = 0.8;

  private TokenBlame() {}

  /** Whether a 429 that {@code base} just drew is more likely the token's than the base's. */
  static boolean isTokens(BaseRateLimiter base, BaseRateLimiter token) {
    if (token == null || token == base) {
      return false;
    }
    return token.windowFill() >= TOKEN_FILL && base.windowFill() < 1.0;
  }
}
