package dev.integrity.store;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs and their per-entity progress. Every status change is a compare-and-set in SQL: a terminal
 * status is final, and a caller that loses a race learns the current status instead of overwriting
 * it. Implementations are thread-safe and safe across processes sharing a database.
 */
public interface RunRepository {
  /**
   * Creates a {@code queued} run with a new time-ordered id.
   *
   * @param schedule the schedule that fired it, or null
   * @throws ActiveRunExistsException when the base already has a queued or running run
   */
  RunRecord create(String baseId, Trigger trigger, String schedule, List<String> entities);

  /** {@code queued -> running}, stamping owner, start and heartbeat. */
  Transition claim(String runId, String owner);

  /** Ends a queued or running run with a terminal status and an optional error message. */
  Transition finish(String runId, RunStatus terminal, String error);

  /**
   * Ends a running run with {@code terminal} only if nobody asked it to stop: one conditional
   * update, so a cancel requested at the same moment either lands first (this one is lost, with the
   * run still {@code running}, and the run ends cancelled) or finds the run ended.
   */
  Transition finishUnlessCancelRequested(String runId, RunStatus terminal, String error);

  /** Ends the run with {@code terminal} only if its status is {@code expected}. */
  Transition finishIf(String runId, RunStatus expected, RunStatus terminal, String error);

  /** Reaper: a running run whose heartbeat is older than {@code staleBefore} ends {@code error}. */
  Transition reapStale(String runId, Instant staleBefore, String error);

  /** Reaper: a running run started before {@code startedBefore} ends {@code timeout}. */
  Transition reapOverdue(String runId, Instant startedBefore, String error);

  /** Reaper: a queued run created before {@code createdBefore} ends {@code error}. */
  Transition reapUnclaimed(String runId, Instant createdBefore, String error);

  /**
   * Stamps the heartbeat (and last progress when {@code progressed}) if the run is running and
   * owned by {@code owner}; tells the owner whether to go on.
   */
  Heartbeat heartbeat(String runId, String owner, boolean progressed);

  /**
   * A queued run is cancelled at once; a running one gets a cancel request its owner sees at the
   * next heartbeat.
   */
  CancelOutcome requestCancel(String runId);

  Optional<RunRecord> find(String runId);

  /** Runs matching the query, newest first. */
  List<RunRecord> list(RunQuery query);

  /** The base's queued or running run, if any. */
  Optional<RunRecord> activeRun(String baseId);

  /** All runs with this status, oldest first. */
  List<RunRecord> withStatus(RunStatus status);

  /**
   * The newest succeeded run of the base that covered {@code entity} and was created before run
   * {@code beforeRunId} (any, when null).
   */
  Optional<RunRecord> lastSucceededCovering(String baseId, String entity, String beforeRunId);

  /**
   * The newest run of the base that checked {@code entity} (whatever its ending) and was created
   * before run {@code beforeRunId} (any, when null): what new/resolved compare with.
   */
  Optional<RunRecord> lastChecked(String baseId, String entity, String beforeRunId);

  /**
   * The entity's record counts in the newest {@code limit} runs of the base that checked it (its
   * run_entities row says {@code checked}), created up to and including run {@code throughRunId},
   * newest first. A run that did not check the entity (it failed to fetch it, or ran other
   * entities) is no part of this history.
   */
  List<EntityCount> checkedCounts(String baseId, String entity, String throughRunId, int limit);

  /** Inserts the initial rows of a run's entities, in the given order. */
  void saveEntities(String runId, List<EntityProgress> entities);

  /** Inserts or replaces one entity's progress, keyed by run id and entity name. */
  void updateEntity(EntityProgress progress);

  /** The run's entities in the order they were saved. */
  List<EntityProgress> entities(String runId);

  /**
   * The newest run of the base (any status) in which {@code entity} ended {@code fetched}: its
   * pages and per-page latency, for the fetch planner. Empty when no run fetched it.
   */
  Optional<LastEntityFetch> lastFetch(String baseId, String entity);

  /**
   * Sets how the run reads its data: the mode asked for when it is queued, then what it did once
   * decided ({@code reason}: why it fell back to a full scan, else null).
   */
  void setMode(String runId, RunMode mode, String reason);

  /**
   * Saves how many HTTP requests the run has sent to Airtable ({@code calls}, retries included) and
   * the base's monthly call budget ({@code budget}, null for none). A count lower than the stored
   * one is ignored.
   */
  void recordApiCalls(String runId, long calls, Long budget);

  /** The API calls of the base's runs created at or after {@code since} (0 when none). */
  long apiCallsSince(String baseId, Instant since);

  /**
   * The newest succeeded run of the base whose calls were counted, of {@code schedule} when not
   * null: what a schedule's projected month is built on.
   */
  Optional<RunRecord> lastCounted(String baseId, String schedule);
}
