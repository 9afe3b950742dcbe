package dev.integrity.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * What a channel delivers: which condition opened, repeats or resolved, a human title and text, and
 * where it happened. Immutable and thread-safe.
 *
 * @param kind the condition, e.g. {@code run_timeout}
 * @param state {@code open} or {@code resolved}
 * @param baseId the base, or null for conditions across bases
 * @param schedule the schedule involved, or null
 * @param runId the run involved, or null
 * @param since when the condition opened
 * @param runUrl the run in the dashboard, or null without a run
 * @param owner the owner whose entities the alert is about (it goes to the owner's channels), or
 *     null for the base's
 * @param digest the new fail issues, for a {@code new_fail_issues} alert; else null
 * @param repeat whether this repeats a condition that stayed open ({@code alerts.repeatAfter})
 */
public record AlertMessage(
    String kind,
    String state,
    String title,
    String text,
    String baseId,
    String schedule,
    String runId,
    Instant since,
    String runUrl,
    @JsonInclude(JsonInclude.Include.NON_NULL) String owner,
    @JsonInclude(JsonInclude.Include.NON_NULL) Digest digest,
    boolean repeat) {

  /** A message of the base, not about an owner's entities, without a digest. */
  public AlertMessage(
      String kind,
      String state,
      String title,
      String text,
      String baseId,
      String schedule,
      String runId,
      Instant since,
      String runUrl) {
    this(kind, state, title, text, baseId, schedule, runId, since, runUrl, null, null, false);
  }
}
