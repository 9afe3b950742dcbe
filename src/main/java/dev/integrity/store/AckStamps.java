package dev.integrity.store;

import org.jdbi.v3.core.Handle;

/**
 * Which acknowledgement covers each open issue of one entity in one run, and what a run's
 * resolutions end: the SQL that the state computation and the acknowledgement repository share. An
 * acknowledgement is in force at an instant when it has not ended, was made by then, and its end
 * date (if any) is later. When several cover an issue, the most specific (a record, then a field)
 * and then the oldest wins, so the answer does not depend on the order rows were read.
 */
final class AckStamps {
  private AckStamps() {}

  private static final String OPEN = "('new', 'persisting')";

  /** {@code a} is in force at {@code :now} and is about the base {@code :base}. */
  static final String IN_FORCE =
      "a.ended_at IS NULL AND a.created_at <= :now AND (a.until_at IS NULL OR a.until_at > :now)"
          + " AND (a.base_id IS NULL OR a.base_id = :base)";

  /**
   * {@code a} is about the issue row {@code alias}'s record ({@code byRecord}) or about every
   * record of its check: two conditions, each an index lookup on (entity, check_id, record_id),
   * where one with an OR would read every acknowledgement of the check for every issue.
   */
  private static String covers(String alias, boolean byRecord) {
    return " a.entity = "
        + alias
        + ".entity AND a.check_id = "
        + alias
        + ".check_id AND "
        + (byRecord ? "a.record_id = " + alias + ".record_id" : "a.record_id IS NULL")
        + " AND (a.field IS NULL OR a.field = "
        + alias
        + ".field)";
  }

  /** The id of the acknowledgement in force over the issue row {@code issues}, or NULL. */
  private static String coveringAck(boolean byRecord) {
    return "(SELECT a.id FROM acks a WHERE "
        + IN_FORCE
        + " AND"
        + covers("issues", byRecord)
        + " ORDER BY CASE WHEN a.field IS NULL THEN 1 ELSE 0 END, a.created_at, a.id LIMIT 1)";
  }

  /**
   * Sets each open issue's acknowledgement to the one in force at {@code now}, and clears it on
   * every other row of the entity in the run that had one.
   */
  static void stamp(Handle h, String runId, String baseId, String entity, long now) {
    h.createUpdate(
            "UPDATE issues SET ack_id = CASE WHEN state IN "
                + OPEN
                // The most specific first: one record's, then the check's.
                + " THEN COALESCE("
                + coveringAck(true)
                + ", "
                + coveringAck(false)
                + ") ELSE NULL END WHERE run_id = :run AND entity = :entity"
                // Only rows that change or may: a run of 100,000 issues and no acknowledgement
                // rewrites nothing.
                + " AND (ack_id IS NOT NULL OR (state IN "
                + OPEN
                + " AND (EXISTS (SELECT 1 FROM acks a WHERE "
                + IN_FORCE
                + " AND"
                + covers("issues", true)
                + ") OR EXISTS (SELECT 1 FROM acks a WHERE "
                + IN_FORCE
                + " AND"
                + covers("issues", false)
                + "))))")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("base", baseId)
        .bind("now", now)
        .execute();
  }

  /**
   * Marks the open issues that were acknowledged in {@code previous} and are not now (the end date
   * passed, or it was revoked): they alert again as if new. Without a previous run none is.
   */
  static void markReopened(Handle h, String runId, String entity, String previous) {
    h.createUpdate(
            "UPDATE issues SET reopened = :no WHERE run_id = :run AND entity = :entity"
                + " AND reopened <> :no")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("no", false)
        .execute();
    if (previous == null) {
      return;
    }
    h.createUpdate(
            "UPDATE issues SET reopened = :yes WHERE run_id = :run AND entity = :entity"
                + " AND state = 'persisting' AND ack_id IS NULL AND EXISTS (SELECT 1 FROM issues p"
                + " WHERE p.run_id = :previous AND p.entity = issues.entity"
                + " AND p.check_id = issues.check_id AND p.record_id = issues.record_id"
                + " AND p.field = issues.field AND p.state IN "
                + OPEN
                + " AND p.ack_id IS NOT NULL)")
        .bind("run", runId)
        .bind("entity", entity)
        .bind("previous", previous)
        .bind("yes", true)
        .execute();
  }

  /**
   * Ends the acknowledgements whose issues all resolved in this run: at least one of the issues it
   * covers resolved (its check ran and passed) and none it covers is open.
   */
  static void endResolved(Handle h, String runId, String baseId, String entity, long now) {
    // Record by record, then check-wide: each condition an index lookup on the run's issues.
    for (boolean byRecord : new boolean[] {true, false}) {
      h.createUpdate(
              "UPDATE acks SET ended_at = :now, end_reason = 'resolved' WHERE ended_at IS NULL"
                  + " AND entity = :entity AND (base_id IS NULL OR base_id = :base) AND record_id IS "
                  + (byRecord ? "NOT NULL" : "NULL")
                  + " AND EXISTS (SELECT 1 FROM issues r WHERE r.run_id = :run"
                  + " AND r.state = 'resolved' AND"
                  + coveredBy("r", byRecord)
                  + ") AND NOT EXISTS (SELECT 1 FROM issues o WHERE o.run_id = :run AND o.state IN "
                  + OPEN
                  + " AND"
                  + coveredBy("o", byRecord)
                  + ")")
          .bind("run", runId)
          .bind("entity", entity)
          .bind("base", baseId)
          .bind("now", now)
          .execute();
    }
  }

  private static String coveredBy(String alias, boolean byRecord) {
    return " "
        + alias
        + ".entity = acks.entity AND "
        + alias
        + ".check_id = acks.check_id"
        + (byRecord ? " AND " + alias + ".record_id = acks.record_id" : "")
        + " AND (acks.field IS NULL OR "
        + alias
        + ".field = acks.field)";
  }
}
