package dev.integrity.airtable;

import java.util.List;

/**
 * One HTTP attempt sent to Airtable, by kind: what Airtable's monthly call quota and rate limit
 * count, retries included. Immutable.
 */
public record ApiCall(String baseId, Kind kind) {
  /** What a call asks for. */
  public enum Kind {
    /** A page of list records. */
    LIST,
    /** A page of webhook payloads. */
    PAYLOADS,
    /** Any other webhooks call: create, list, refresh, delete. */
    WEBHOOK,
    /** The Meta API (base schema). */
    SCHEMA,
    /** Anything else (a single record, say). */
    OTHER;

    /** The kind of a request to {@code /v0/…}, from its path segments. */
    static Kind of(List<String> segments) {
      if (segments.size() < 2 || !segments.get(0).equals("v0")) {
        return OTHER;
      }
      if (segments.get(1).equals("meta")) {
        return SCHEMA;
      }
      if (segments.get(1).equals("bases")
          && segments.size() >= 4
          && segments.get(3).equals("webhooks")) {
        return segments.size() == 6 && segments.get(5).equals("payloads") ? PAYLOADS : WEBHOOK;
      }
      if (segments.size() == 3 || (segments.size() == 4 && segments.get(3).equals("listRecords"))) {
        return LIST;
      }
      return OTHER;
    }
  }
}
