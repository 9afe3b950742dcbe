package dev.integrity.web;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckRepository;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.RunQuery;
import dev.integrity.store.Store;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A thin adapter from the web port to a real {@link Store}, as the composition root will have;
 * schedules are not part of it. Thread-safe because the store is.
 */
public final class StoreBackend implements WebBackend {
  private final Store store;
  private final String baseId;
  // entity -> owner name, as the served config would say.
  private final java.util.Map<String, String> owners;

  public StoreBackend(Store store, String baseId) {
    this(store, baseId, java.util.Map.of());
  }

  public StoreBackend(Store store, String baseId, java.util.Map<String, String> owners) {
    this.store = store;
    this.baseId = baseId;
    this.owners = java.util.Map.copyOf(owners);
  }

  @Override
  public java.util.Map<String, String> owners(String runId) {
    return store.runs().find(runId).filter(r -> r.baseId().equals(baseId)).isPresent()
        ? owners
        : java.util.Map.of();
  }

  @Override
  public List<RunReport> runs(String status, int limit) {
    RunStatus filter = status == null ? null : RunStatus.parse(status);
    return store.runs().list(new RunQuery(filter, null, limit)).stream()
        .map(run -> RunReport.summary(run, store.issues().summary(run.id())))
        .toList();
  }

  @Override
  public Optional<RunBaseName> runBase(String runId) {
    return store.runs().find(runId).map(r -> new RunBaseName(r.baseId(), "browser.yml"));
  }

  @Override
  public Optional<String> latestRunOf(String baseId, String entity) {
    return store.runs().lastChecked(baseId, entity, null).map(dev.integrity.model.RunRecord::id);
  }

  @Override
  public Optional<RunReport> run(String id) {
    return store
        .runs()
        .find(id)
        .map(run -> RunReport.of(run, store.runs().entities(id), store.issues().summary(run.id())));
  }

  @Override
  public List<IssueRow> issues(String runId, IssueQuery query, int limit, int offset) {
    return store.issues().list(runId, query, limit, offset);
  }

  @Override
  public long countIssues(String runId, IssueQuery query) {
    return store.issues().count(runId, query);
  }

  @Override
  public void forEachIssue(String runId, IssueQuery query, Consumer<IssueRow> consumer) {
    store.issues().forEach(runId, query, consumer);
  }

  @Override
  public List<CheckCount> checkCounts(String runId) {
    return store.issues().checkCounts(runId);
  }

  @Override
  public List<CheckHistory> history(String runId, int runs) {
    return store.issues().history(runId, runs);
  }

  @Override
  public List<IssueRow> tableIssues(String runId, int limit) {
    return store.issues().tableIssues(runId, limit);
  }

  @Override
  public List<dev.integrity.store.EntityCount> recordCounts(String runId, String entity, int runs) {
    return store
        .runs()
        .find(runId)
        .map(r -> store.runs().checkedCounts(r.baseId(), entity, runId, runs))
        .orElse(List.of());
  }

  @Override
  public StartResult startRun(String base, List<String> entities) {
    if (base != null && !base.equals(baseId)) {
      return new StartResult.BadRequest("unknown base '" + base + "'");
    }
    try {
      var run = store.runs().create(baseId, Trigger.API, null, entities);
      return new StartResult.Started(RunReport.of(run, List.of(), null));
    } catch (ActiveRunExistsException e) {
      return new StartResult.Busy(e.activeRunId());
    }
  }

  @Override
  public CancelOutcome cancelRun(String id) {
    return store.runs().requestCancel(id);
  }

  @Override
  public List<ScheduleView> schedules() {
    return List.of();
  }

  @Override
  public Optional<ScheduleView> schedule(String name) {
    return Optional.empty();
  }

  @Override
  public ScheduleView putSchedule(ScheduleInput in) {
    throw new BadRequestException("schedules are not part of this adapter");
  }

  @Override
  public Optional<ScheduleView> createSchedule(ScheduleInput in) {
    throw new BadRequestException("schedules are not part of this adapter");
  }

  @Override
  public boolean deleteSchedule(String name) {
    return false;
  }

  @Override
  public List<AlertRow> alerts(int limit) {
    return store.alerts().list(limit);
  }

  @Override
  public boolean ready() {
    return store.ping();
  }

  @Override
  public String metrics() {
    return "";
  }

  @Override
  public List<String> bases() {
    return List.of(baseId);
  }

  @Override
  public Ack acknowledge(AckRepository.NewAck ack) {
    return acknowledgeAll(List.of(ack)).get(0);
  }

  @Override
  public List<Ack> acknowledgeAll(List<AckRepository.NewAck> acks) {
    try {
      return store.acks().createAll(acks.stream().map(ack -> ack.withBaseId(baseId)).toList());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  @Override
  public List<Ack> acks(boolean includeEnded) {
    return store.acks().list(includeEnded);
  }

  @Override
  public java.util.Map<String, Long> ackCoverage() {
    return store.acks().covering();
  }

  @Override
  public Optional<Ack> revokeAck(String id) {
    return store.acks().revoke(id);
  }
}
