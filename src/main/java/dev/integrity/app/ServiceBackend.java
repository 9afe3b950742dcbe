package dev.integrity.app;

import dev.integrity.alert.AlertService;
import dev.integrity.common.CancelOutcome;
import dev.integrity.config.AckTargets;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.metrics.Metrics;
import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunPlan;
import dev.integrity.run.RunReport;
import dev.integrity.run.UnknownEntityException;
import dev.integrity.schedule.ScheduleException;
import dev.integrity.schedule.ScheduleService;
import dev.integrity.store.AckRepository;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.RunQuery;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.web.BadRequestException;
import dev.integrity.web.ScheduleInput;
import dev.integrity.web.StartResult;
import dev.integrity.web.WebBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The web layer's view of the service: store reads, run starts and schedule changes. Thread-safe.
 */
final class ServiceBackend implements WebBackend {
  private final Store store;
  private final Map<String, RunPlan> plans;
  private final RunEngine engine;
  private final RunLauncher launcher;
  private final ScheduleService schedules;
  private final AlertService alerts;
  private final Metrics metrics;
  private final Costs costs;

  ServiceBackend(
      Store store,
      Map<String, RunPlan> plans,
      RunEngine engine,
      RunLauncher launcher,
      ScheduleService schedules,
      AlertService alerts,
      Metrics metrics,
      Costs costs) {
    this.store = store;
    this.plans = plans;
    this.engine = engine;
    this.launcher = launcher;
    this.schedules = schedules;
    this.alerts = alerts;
    this.metrics = metrics;
    this.costs = costs;
  }

  @Override
  public List<String> costWarnings() {
    return costs.projections().stream()
        .filter(dev.integrity.cost.Projection::overBudget)
        .map(dev.integrity.cost.Projection::text)
        .toList();
  }

  @Override
  public Optional<String> monthlyCalls(String runId) {
    return costs.month(runId).map(m -> "base " + m.baseId() + ": " + m.text());
  }

  @Override
  public Optional<RunBaseName> runBase(String runId) {
    return store
        .runs()
        .find(runId)
        .map(
            r -> {
              RunPlan plan = plans.get(r.baseId());
              java.nio.file.Path source = plan == null ? null : plan.config().source();
              return new RunBaseName(
                  r.baseId(),
                  source == null || source.getFileName() == null
                      ? null
                      : source.getFileName().toString());
            });
  }

  private Store store() {
    return store;
  }

  /** The plan for a base id, or the only plan when {@code baseId} is null and there is one. */
  private Optional<RunPlan> plan(String baseId) {
    return IntegrityApp.planOf(plans, baseId);
  }

  @Override
  public List<RunReport> runs(String status, int limit) {
    RunStatus wanted = status == null ? null : RunStatus.parse(status);
    return store().runs().list(new RunQuery(wanted, null, limit)).stream()
        .map(r -> RunReport.summary(r, store().issues().summary(r.id())))
        .toList();
  }

  @Override
  public Map<String, String> owners(String runId) {
    return store()
        .runs()
        .find(runId)
        .map(r -> plans.get(r.baseId()))
        .map(
            plan -> {
              Map<String, String> out = new java.util.LinkedHashMap<>();
              plan.config()
                  .entities()
                  .forEach(
                      (name, entity) -> {
                        if (entity.owner() != null) {
                          out.put(name, entity.owner().name());
                        }
                      });
              return java.util.Collections.unmodifiableMap(out);
            })
        .orElse(Map.of());
  }

  @Override
  public Optional<String> latestRunOf(String baseId, String entity) {
    return store().runs().lastChecked(baseId, entity, null).map(dev.integrity.model.RunRecord::id);
  }

  @Override
  public Optional<RunReport> run(String id) {
    return store().runs().find(id).map(this::report);
  }

  private RunReport report(RunRecord r) {
    return RunReport.of(r, store().runs().entities(r.id()), store().issues().summary(r.id()));
  }

  @Override
  public Ack acknowledge(AckRepository.NewAck ack) {
    return acknowledgeAll(List.of(ack)).get(0);
  }

  @Override
  public List<Ack> acknowledgeAll(List<AckRepository.NewAck> acks) {
    List<IntegrityConfig> configs = plans.values().stream().map(RunPlan::config).toList();
    try {
      return store()
          .acks()
          .createAll(
              acks.stream()
                  .map(
                      ack ->
                          ack.withBaseId(
                              AckTargets.baseOf(
                                  configs, ack.baseId(), ack.entity(), ack.checkId())))
                  .toList());
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  @Override
  public List<Ack> acks(boolean includeEnded) {
    return store().acks().list(includeEnded);
  }

  @Override
  public Map<String, Long> ackCoverage() {
    return store().acks().covering();
  }

  @Override
  public Optional<Ack> revokeAck(String id) {
    return store().acks().revoke(id);
  }

  @Override
  public List<IssueRow> issues(String runId, IssueQuery query, int limit, int offset) {
    return store().issues().list(runId, query, limit, offset);
  }

  @Override
  public long countIssues(String runId, IssueQuery query) {
    return store().issues().count(runId, query);
  }

  @Override
  public void forEachIssue(String runId, IssueQuery query, Consumer<IssueRow> consumer) {
    store().issues().forEach(runId, query, consumer);
  }

  @Override
  public List<CheckCount> checkCounts(String runId) {
    return store().issues().checkCounts(runId);
  }

  @Override
  public List<CheckHistory> history(String runId, int runs) {
    return store().issues().history(runId, runs);
  }

  @Override
  public List<IssueRow> tableIssues(String runId, int limit) {
    return store().issues().tableIssues(runId, limit);
  }

  @Override
  public List<dev.integrity.store.EntityCount> recordCounts(String runId, String entity, int runs) {
    return store()
        .runs()
        .find(runId)
        .map(r -> store().runs().checkedCounts(r.baseId(), entity, runId, runs))
        .orElse(List.of());
  }

  @Override
  public StartResult startRun(String baseId, List<String> entities) {
    Optional<RunPlan> plan = plan(baseId);
    if (plan.isEmpty()) {
      return new StartResult.BadRequest(
          baseId == null
              ? "this service serves several bases " + bases() + ": name one in \"base\""
              : "base " + baseId + " is not served here (served: " + bases() + ")");
    }
    try {
      RunRecord queued =
          launcher.launch(plan.get(), Trigger.API, null, entities, RunMode.FULL).queued();
      return new StartResult.Started(report(queued));
    } catch (ActiveRunExistsException e) {
      return new StartResult.Busy(e.activeRunId());
    } catch (UnknownEntityException e) {
      return new StartResult.BadRequest(e.getMessage());
    }
  }

  @Override
  public CancelOutcome cancelRun(String id) {
    return engine.cancel(id);
  }

  @Override
  public List<ScheduleView> schedules() {
    return schedules.list();
  }

  @Override
  public Optional<ScheduleView> schedule(String name) {
    return schedules.find(name);
  }

  @Override
  public ScheduleView putSchedule(ScheduleInput in) {
    ScheduleRow row = scheduleRow(in);
    try {
      schedules.put(row);
    } catch (ScheduleException e) {
      throw new BadRequestException(e.getMessage());
    }
    return schedule(in.name()).orElseThrow();
  }

  @Override
  public Optional<ScheduleView> createSchedule(ScheduleInput in) {
    ScheduleRow row = scheduleRow(in);
    try {
      return schedules.create(row).flatMap(created -> schedule(created.name()));
    } catch (ScheduleException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  /** The schedule row an API input asks for, its base and entities checked against the plans. */
  private ScheduleRow scheduleRow(ScheduleInput in) {
    String baseId = in.baseId();
    if (baseId == null || baseId.isBlank()) {
      if (plans.size() != 1) {
        throw new BadRequestException("name the schedule's baseId: one of " + bases());
      }
      baseId = bases().getFirst();
    }
    RunPlan plan =
        plan(baseId)
            .orElseThrow(
                () -> new BadRequestException("base " + in.baseId() + " is not served here"));
    List<String> unknown = new ArrayList<>();
    for (String entity : in.entities()) {
      if (!plan.config().entities().containsKey(entity)) {
        unknown.add(entity);
      }
    }
    if (!unknown.isEmpty()) {
      throw new BadRequestException(
          "unknown entities " + unknown + " (defined: " + plan.config().entities().keySet() + ")");
    }
    return new ScheduleRow(
        in.name(),
        baseId,
        in.cron(),
        in.timezone() == null ? "UTC" : in.timezone(),
        in.entities(),
        in.enabled(),
        "api",
        null,
        null,
        RunMode.parse(in.mode()));
  }

  @Override
  public boolean deleteSchedule(String name) {
    return schedules.delete(name);
  }

  @Override
  public List<AlertRow> alerts(int limit) {
    return alerts.recent(limit);
  }

  @Override
  public boolean ready() {
    return store().ping();
  }

  @Override
  public String metrics() {
    return metrics.scrape();
  }

  @Override
  public List<String> bases() {
    return List.copyOf(plans.keySet());
  }
}
