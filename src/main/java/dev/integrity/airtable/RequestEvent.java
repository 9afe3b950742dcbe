package dev.integrity.airtable;

import java.time.Duration;

/**
 * One HTTP attempt to Airtable: {@code table} is null for the Meta API, {@code status} is -1 when
 * no response arrived, {@code latency} runs until the body was read or the attempt failed.
 * Immutable and thread-safe.
 */
public record RequestEvent(
    String baseId, String table, String method, int status, Duration latency) {}
