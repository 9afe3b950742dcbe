package dev.integrity.store;

import java.time.Instant;

/**
 * One attempt to deliver an alert over a channel and how it went. Immutable and thread-safe.
 *
 * @param error why it failed, or null
 */
public record AlertDelivery(
    long alertId, String channel, boolean ok, String error, Instant attemptedAt) {}
