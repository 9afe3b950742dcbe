package dev.integrity.web;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckRepository;
import dev.integrity.store.AlertRow;
import dev.integrity.store.EntityCount;
import dev.integrity.store.IssueQuery;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the web layer needs from the service; implemented by the composition root. Implementations
 * must be thread-safe: the server calls them from many request threads at once, and they must not
 * block longer than the store's own statement timeout.
 */
public interface WebBackend {
  /** Runs newest first, without entities; {@code status} is a wire name or null for any. */
  List<RunReport> runs(String status, int limit);

  /** One run with its entities. */
  Optional<RunReport> run(String id);

  /** A page of one slice of a run's issues in the order they were written. */
  List<IssueRow> issues(String runId, IssueQuery query, int limit, int offset);

  /**
   * How many issues one slice of a run holds, for the pager when the per-check counts cannot tell
   * (the acknowledged among the new ones, say).
   */
  default long countIssues(String runId, IssueQuery query) {
    long[] n = {0};
    forEachIssue(runId, query, i -> n[0]++);
    return n[0];
  }

  /** Every issue of one slice of a run, streamed in the order they were written (the CSV). */
  void forEachIssue(String runId, IssueQuery query, Consumer<IssueRow> consumer);

  /** The run's issue counts per (entity, check, severity), ordered so. */
  List<CheckCount> checkCounts(String runId);

  /** Open issues per (entity, check) over the base's last {@code runs} runs up to this one. */
  List<CheckHistory> history(String runId, int runs);

  /**
   * The run's issues of whole tables (volume, freshness: an empty record id), every state, at most
   * {@code limit}, in the order they were written.
   */
  List<IssueRow> tableIssues(String runId, int limit);

  /**
   * The entity's record counts in the last {@code runs} runs of the run's base that checked it, up
   * to and including this run, newest first; empty for an unknown run.
   */
  List<EntityCount> recordCounts(String runId, String entity, int runs);

  /**
   * Starts a run with trigger {@code api}.
   *
   * @param baseId the base, or null when the service serves one base
   * @param entities the entities to run, empty for all
   */
  StartResult startRun(String baseId, List<String> entities);

  /** Asks a run to stop: a queued run is cancelled at once, a running one at its next beat. */
  CancelOutcome cancelRun(String id);

  List<ScheduleView> schedules();

  Optional<ScheduleView> schedule(String name);

  /**
   * Creates or replaces a schedule.
   *
   * @throws BadRequestException when the input is invalid (unknown base or entity, bad cron)
   */
  ScheduleView putSchedule(ScheduleInput in);

  /**
   * Creates a schedule unless one of that name exists; the check and the insert are one step, so of
   * two concurrent creations of one name exactly one succeeds.
   *
   * @return the created schedule, or empty when the name is taken
   * @throws BadRequestException when the input is invalid (unknown base or entity, bad cron)
   */
  Optional<ScheduleView> createSchedule(ScheduleInput in);

  /** Deletes a schedule; false when there was none of that name. */
  boolean deleteSchedule(String name);

  /**
   * Acknowledges issues: every issue of a check on an entity, or of one record (and field).
   *
   * @throws BadRequestException when the base, entity or check is not one served here, the reason
   *     is missing or the end date is not in the future
   */
  Ack acknowledge(AckRepository.NewAck ack);

  /**
   * Acknowledges several slices at once, all or none (the run page's "acknowledge all N in this
   * view": one per issue).
   *
   * @throws BadRequestException as {@link #acknowledge}; then none is stored
   */
  List<Ack> acknowledgeAll(List<AckRepository.NewAck> acks);

  /** Acknowledgements newest first: those not ended, or (includeEnded) every one. */
  List<Ack> acks(boolean includeEnded);

  /** For each acknowledgement not ended, the open issues it covers in its entity's latest run. */
  Map<String, Long> ackCoverage();

  /** Revokes an acknowledgement; empty when there is none with that id. */
  Optional<Ack> revokeAck(String id);

  /** The latest alerts, newest first. */
  List<AlertRow> alerts(int limit);

  /** True when the database answers. */
  boolean ready();

  /** The metrics in the Prometheus text format (0.0.4). */
  String metrics();

  /** The base ids this service serves. */
  List<String> bases();

  /**
   * One line per schedule whose projected month of Airtable API calls exceeds its base's {@code
   * airtable.monthlyCallBudget} (base, schedule, calls per run, fires, total, budget).
   */
  default List<String> costWarnings() {
    return List.of();
  }

  /**
   * The base the run checked, with the file name of the config that names it when this service
   * serves it (else null); empty for an unknown run or a backend that cannot tell.
   */
  default Optional<RunBaseName> runBase(String runId) {
    return Optional.empty();
  }

  /**
   * A run's base id and the config file that names it (null when this service does not serve it).
   */
  record RunBaseName(String baseId, String config) {}

  /**
   * The base a run belongs to (the run page's acknowledgements name it), or empty when unknown;
   * then the service finds the base from the entity.
   */
  default Optional<String> baseOfRun(String runId) {
    return runBase(runId).map(RunBaseName::baseId);
  }

  /**
   * The latest run of the base that checked the entity: the run an acknowledgement made now changes
   * (older runs keep what was true when they ran); empty when there is none or the backend cannot
   * tell.
   */
  default Optional<String> latestRunOf(String baseId, String entity) {
    return Optional.empty();
  }

  /**
   * The owner's name of each entity of the run's base that has one ({@code entities.E.owner.name}
   * in the config served for that base, as it is now): the run page's and the API's {@code owner}
   * filter. Empty for an unknown run, a base not served here, or a backend that cannot tell.
   */
  default Map<String, String> owners(String runId) {
    return Map.of();
  }

  /** The calls this month of the run's base against its budget, e.g. "312 of 1,000 calls…". */
  default Optional<String> monthlyCalls(String runId) {
    return Optional.empty();
  }
}
