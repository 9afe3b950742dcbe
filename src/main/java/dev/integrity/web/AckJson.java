package dev.integrity.web;

import dev.integrity.model.Ack;
import java.time.Instant;

/**
 * An acknowledgement as {@code /api/acks} and {@code integrity acks list --format json} show it:
 * what it covers, why, who, until when, its status now and (when listed) how many open issues it
 * covers in its entity's latest run. Immutable.
 */
public record AckJson(
    String id,
    String base,
    String entity,
    String check,
    String recordId,
    String field,
    String reason,
    String by,
    Instant until,
    Instant createdAt,
    String status,
    Instant endedAt,
    Long covers) {
  public static AckJson of(Ack a, Long covers, Instant now) {
    return new AckJson(
        a.id(),
        a.baseId(),
        a.entity(),
        a.checkId(),
        a.recordId(),
        a.field(),
        a.reason(),
        a.by(),
        a.until(),
        a.createdAt(),
        a.status(now).wire(),
        a.endedAt(),
        covers);
  }
}
