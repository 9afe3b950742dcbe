package dev.integrity.web;

import dev.integrity.model.Ack;
import dev.integrity.model.IssueRow;
import java.time.Instant;

/**
 * An issue as the contract lists it, in {@code GET /api/runs/{id}/issues} and in {@code integrity
 * issues --format json}: one shape for both. {@code value} is the offending value whole (null for a
 * table check, or an issue stored before values were); {@code acknowledged} the acknowledgement in
 * force over it, or null. Immutable.
 */
public record IssueJson(
    String entity,
    String recordId,
    String check,
    String field,
    String severity,
    String message,
    String value,
    String url,
    String state,
    Instant firstSeenAt,
    Ack.AckRef acknowledged) {

  public static IssueJson of(IssueRow row) {
    return new IssueJson(
        row.entity(),
        row.recordId(),
        row.checkId(),
        row.field(),
        row.severity(),
        row.message(),
        row.value(),
        row.url(),
        row.state() == null ? IssueRow.NEW : row.state(),
        row.firstSeenAt(),
        row.ack());
  }
}
