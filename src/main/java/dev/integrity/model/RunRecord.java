package dev.integrity.model;

import java.time.Instant;
import java.util.List;

/**
 * One stored run; timestamps not reached yet are null. Immutable and thread-safe.
 *
 * @param schedule the schedule that fired it, or null
 * @param owner the process that claimed it, or null while queued
 * @param cancelRequestedAt when someone asked a running run to stop, or null
 * @param mode how the run reads its data (asked for when queued; what it did once decided)
 * @param modeReason why a run that asked for incremental did a full scan, or null
 * @param apiCalls the HTTP requests it sent to Airtable so far, retries included; null for runs
 *     stored before this was counted
 * @param callBudget the base's monthly call budget when it ran, or null when it had none
 */
public record RunRecord(
    String id,
    String baseId,
    RunStatus status,
    Trigger trigger,
    String schedule,
    List<String> entities,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String error,
    String owner,
    Instant heartbeatAt,
    Instant lastProgressAt,
    Instant cancelRequestedAt,
    RunMode mode,
    String modeReason,
    Long apiCalls,
    Long callBudget) {
  public RunRecord {
    entities = List.copyOf(entities);
    mode = mode == null ? RunMode.FULL : mode;
  }

  /** A run whose calls are not known. */
  public RunRecord(
      String id,
      String baseId,
      RunStatus status,
      Trigger trigger,
      String schedule,
      List<String> entities,
      Instant createdAt,
      Instant startedAt,
      Instant finishedAt,
      String error,
      String owner,
      Instant heartbeatAt,
      Instant lastProgressAt,
      Instant cancelRequestedAt,
      RunMode mode,
      String modeReason) {
    this(
        id,
        baseId,
        status,
        trigger,
        schedule,
        entities,
        createdAt,
        startedAt,
        finishedAt,
        error,
        owner,
        heartbeatAt,
        lastProgressAt,
        cancelRequestedAt,
        mode,
        modeReason,
        null,
        null);
  }
}
