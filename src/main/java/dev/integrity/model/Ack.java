package dev.integrity.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An acknowledgement: a person said that the issues of one check on one entity (or of one record,
 * and one field) are known, why, and until when. An acknowledged issue is still found and listed,
 * but it does not fail a run or alert. Immutable and thread-safe.
 *
 * @param baseId the base it is about, or null for any base with that entity
 * @param recordId the record it covers, or null for every record of the check
 * @param field the field it covers, or null for any field
 * @param by who acknowledged, or null
 * @param until when it stops covering (the issues are open again), or null for no end
 * @param endedAt when it ended because what it covered resolved or someone revoked it, or null
 * @param endReason {@code resolved} or {@code revoked} when ended, else null
 */
public record Ack(
    String id,
    String baseId,
    String entity,
    String checkId,
    String recordId,
    String field,
    String reason,
    String by,
    Instant until,
    Instant createdAt,
    Instant endedAt,
    String endReason) {
  public static final String RESOLVED = "resolved";
  public static final String REVOKED = "revoked";

  public Ack {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Where an acknowledgement stands at an instant. */
  public enum Status {
    /** It covers its issues. */
    ACTIVE,
    /** Its end date passed: its issues are open again. */
    EXPIRED,
    /** What it covered resolved, and it ended with it. */
    RESOLVED,
    /** Someone revoked it. */
    REVOKED;

    public String wire() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Its status at {@code now}. */
  public Status status(Instant now) {
    if (endedAt != null) {
      return REVOKED.equals(endReason) ? Status.REVOKED : Status.RESOLVED;
    }
    return until != null && !until.isAfter(now) ? Status.EXPIRED : Status.ACTIVE;
  }

  /** What it covers, for people: "students / required-email, record recX, field Email". */
  public String scope() {
    StringBuilder out = new StringBuilder(entity).append(" / ").append(checkId);
    out.append(recordId == null ? ", every record" : ", record " + recordId);
    if (field != null) {
      out.append(", field ").append(field);
    }
    if (baseId != null) {
      out.append(" (base ").append(baseId).append(')');
    }
    return out.toString();
  }

  /** The part an issue carries. */
  public AckRef ref() {
    return new AckRef(id, reason, by, until);
  }

  /**
   * The acknowledgement an issue carries in its JSON and on the dashboard: {@code {"id", "reason",
   * "by", "until"}}. Immutable.
   */
  public record AckRef(String id, String reason, String by, Instant until) {}
}
