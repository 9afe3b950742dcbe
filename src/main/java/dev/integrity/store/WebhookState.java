package dev.integrity.store;

import java.time.Instant;

/**
 * A base's webhook as the store remembers it: {@code cursor} is the next payload to read, {@code
 * expiresAt} null when Airtable gave none. Immutable.
 */
public record WebhookState(
    String baseId, String webhookId, Instant expiresAt, long cursor, Instant updatedAt) {}
