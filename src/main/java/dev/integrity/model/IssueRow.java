package dev.integrity.model;

import java.time.Instant;

/**
 * One issue a run found (or, with state {@code resolved}, one that an earlier run found and this
 * run evaluated and found fine; with {@code retired}, one whose check is no longer configured; as
 * {@code persisting}, also one that this run could not evaluate and keeps open). Its fingerprint is
 * (entity, checkId, recordId, field). Immutable and thread-safe.
 *
 * @param field the field the issue is about, or null for record-level checks
 * @param severity {@code "fail"} or {@code "warn"}
 * @param state {@code "new"}, {@code "persisting"}, {@code "resolved"} or {@code "retired"}; null
 *     when writing means {@code "new"}
 * @param firstSeenAt the start of the run that began the issue's unbroken series of runs; null when
 *     writing (the store computes it with the states)
 * @param value the offending value whole, as text; null when the issue is about no one value (a
 *     table check) or was found before the store kept values
 * @param ack the acknowledgement in force over this open issue, or null
 */
public record IssueRow(
    String runId,
    String entity,
    String recordId,
    String checkId,
    String field,
    String severity,
    String message,
    String url,
    String state,
    Instant firstSeenAt,
    String value,
    Ack.AckRef ack) {
  public static final String NEW = "new";
  public static final String PERSISTING = "persisting";
  public static final String RESOLVED = "resolved";
  public static final String RETIRED = "retired";

  /** An issue without its value. */
  public IssueRow(
      String runId,
      String entity,
      String recordId,
      String checkId,
      String field,
      String severity,
      String message,
      String url,
      String state,
      Instant firstSeenAt) {
    this(runId, entity, recordId, checkId, field, severity, message, url, state, firstSeenAt, null);
  }

  /** An issue with its value, without acknowledgement. */
  public IssueRow(
      String runId,
      String entity,
      String recordId,
      String checkId,
      String field,
      String severity,
      String message,
      String url,
      String state,
      Instant firstSeenAt,
      String value) {
    this(
        runId,
        entity,
        recordId,
        checkId,
        field,
        severity,
        message,
        url,
        state,
        firstSeenAt,
        value,
        null);
  }

  /** An issue as the check engine writes it: the store computes when it was first seen. */
  public IssueRow(
      String runId,
      String entity,
      String recordId,
      String checkId,
      String field,
      String severity,
      String message,
      String url,
      String state) {
    this(runId, entity, recordId, checkId, field, severity, message, url, state, null, null);
  }
}
