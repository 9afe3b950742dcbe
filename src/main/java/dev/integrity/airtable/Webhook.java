package dev.integrity.airtable;

import java.time.Instant;

/**
 * A webhook of a base as Airtable lists it: {@code expirationTime} null means it never expires;
 * {@code enabled} false once it expired or Airtable disabled it. Immutable.
 */
public record Webhook(
    String id,
    boolean enabled,
    Instant expirationTime,
    long cursorForNextPayload,
    String notificationUrl) {

  /** True when it is disabled or its expiration time has come. */
  public boolean expiredAt(Instant now) {
    return !enabled || (expirationTime != null && !now.isBefore(expirationTime));
  }
}
