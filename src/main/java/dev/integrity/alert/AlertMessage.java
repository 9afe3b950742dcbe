package dev.integrity.alert;

import java.time.Instant;

/**
 * What a channel delivers: which condition opened or resolved, a human title and text, and where it
 * happened. Immutable and thread-safe.
 *
 * @param kind the condition, e.g. {@code run_timeout}
 * @param state {@code open} or {@code resolved}
 * @param baseId the base, or null for conditions across bases
 * @param schedule the schedule involved, or null
 * @param runId the run involved, or null
 * @param since when the condition opened
 * @param runUrl the run in the dashboard, or null without a run
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
    String runUrl) {}
