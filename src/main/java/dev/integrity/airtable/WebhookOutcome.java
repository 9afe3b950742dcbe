package dev.integrity.airtable;

import java.time.Instant;

/**
 * What a webhooks call came to: the value, or one of the failures an incremental run answers with a
 * full scan. Network failures, 5xx after retries, a rejected token and cancellation are not
 * outcomes: they are thrown as {@link AirtableException}, as for list requests. Immutable.
 */
public sealed interface WebhookOutcome<T> {
  /** The call succeeded. */
  record Ok<T>(T value) implements WebhookOutcome<T> {}

  /** Airtable does not know the webhook (deleted, or expired more than a week ago): 404. */
  record Gone<T>(String webhookId, String message) implements WebhookOutcome<T> {}

  /** The webhook expired or was disabled; {@code expiredAt} null when Airtable did not say. */
  record Expired<T>(String webhookId, Instant expiredAt, String message)
      implements WebhookOutcome<T> {}

  /**
   * Airtable no longer keeps every payload after {@code cursor} (they are kept a week): the answer
   * skipped from {@code cursor} to {@code next} but carried fewer payloads than that.
   */
  record CursorTooOld<T>(String webhookId, long cursor, long next, String message)
      implements WebhookOutcome<T> {}

  /** The base already has the most webhooks Airtable allows (10). */
  record OverLimit<T>(String baseId, String message) implements WebhookOutcome<T> {}

  /** The token lacks {@code webhook:manage} (or the data scope the webhook needs): 403. */
  record MissingScope<T>(String baseId, String message) implements WebhookOutcome<T> {}

  /** The reason a person reads in the log and the run JSON, or null for {@link Ok}. */
  default String reason() {
    return switch (this) {
      case Ok<T> ok -> null;
      case Gone<T> g -> g.message();
      case Expired<T> e -> e.message();
      case CursorTooOld<T> c -> c.message();
      case OverLimit<T> o -> o.message();
      case MissingScope<T> m -> m.message();
    };
  }
}
