package dev.integrity.airtable;

import java.time.Duration;

/**
 * Progress of a table fetch: page number (from 1, counted again after a restart), records so far,
 * time since the fetch began, and how long this page's answered request took (send to body read,
 * without the wait for a rate slot; null when not measured). Immutable and thread-safe.
 */
public record PageEvent(
    String baseId, String table, int page, int recordsSoFar, Duration elapsed, Duration latency) {

  /** A page event without the page's latency. */
  public PageEvent(String baseId, String table, int page, int recordsSoFar, Duration elapsed) {
    this(baseId, table, page, recordsSoFar, elapsed, null);
  }
}
