package dev.integrity.airtable;

import java.time.Duration;

/**
 * Progress of a table fetch: page number (from 1, counted again after a restart), records so far
 * and time since the fetch began. Immutable and thread-safe.
 */
public record PageEvent(
    String baseId, String table, int page, int recordsSoFar, Duration elapsed) {}
