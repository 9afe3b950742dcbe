package dev.integrity.web;

import dev.integrity.common.CancelOutcome;
import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.CheckHistory;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunStatus;
import dev.integrity.model.ScheduleView;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckRepository;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/** An in-memory service behind the web layer; all methods synchronized, so thread-safe. */
final class FakeBackend implements WebBackend {
  static final String BASE = "appFAKEBASE000001";
  static final Set<String> ENTITIES = Set.of("teachers", "classes");

  private final Map<String, RunReport> runs = new LinkedHashMap<>();
  private final Map<String, List<IssueRow>> issues = new LinkedHashMap<>();
  private final Map<String, ScheduleView> schedules = new TreeMap<>();
  private final List<AlertRow> alerts = new ArrayList<>();
  private final Instant epoch;
  private boolean ready = true;
  private String metrics =
      "# HELP integrity_runs_total Runs by final status\n"
          + "# TYPE integrity_runs_total counter\n"
          + "integrity_runs_total{status=\"succeeded\"} 1.0\n";
  private int started;
  private String lastStartBase;
  private List<String> lastStartEntities;

  FakeBackend(Instant epoch) {
    this.epoch = epoch;
  }

  static RunReport report(String id, String status, Instant created, Long durationMs) {
    Instant started = created.plusSeconds(1);
    Instant finished =
        durationMs == null || !RunStatus.parse(status).terminal()
            ? null
            : started.plusMillis(durationMs);
    return new RunReport(
        id,
        status,
        "manual",
        null,
        "full",
        null,
        status.equals("queued") ? null : "test-host:4242",
        created,
        status.equals("queued") ? null : started,
        finished,
        finished == null ? null : durationMs,
        null,
        List.of(
            new RunReport.EntityReport(
                "teachers", "Teachers", "fetched", 120, 2, 800L, null, true, 1, List.of()),
            new RunReport.EntityReport(
                "classes", "Classes", "fetched", 300, 3, 1200L, null, true, 2, List.of())),
        new RunReport.Issues(3, Map.of("fail", 2L, "warn", 1L), 1, 0, 0));
  }

  synchronized void put(RunReport run) {
    runs.put(run.id(), run);
  }

  synchronized void setStatus(String id, String status) {
    RunReport r = runs.get(id);
    runs.put(
        id,
        new RunReport(
            r.id(),
            status,
            r.trigger(),
            r.schedule(),
            r.mode(),
            r.modeReason(),
            r.instance(),
            r.createdAt(),
            r.startedAt(),
            r.finishedAt(),
            r.durationMs(),
            r.error(),
            r.entities(),
            r.issues()));
  }

  synchronized void putIssues(String runId, List<IssueRow> rows) {
    issues.put(runId, List.copyOf(rows));
  }

  synchronized void putSchedule(ScheduleView view) {
    schedules.put(view.name(), view);
  }

  synchronized void addAlert(AlertRow row) {
    alerts.add(0, row);
  }

  synchronized void ready(boolean value) {
    ready = value;
  }

  synchronized void metricsText(String text) {
    metrics = text;
  }

  synchronized int startedCount() {
    return started;
  }

  synchronized String lastStartBase() {
    return lastStartBase;
  }

  synchronized List<String> lastStartEntities() {
    return lastStartEntities;
  }

  @Override
  public synchronized List<RunReport> runs(String status, int limit) {
    List<RunReport> newestFirst = new ArrayList<>(runs.values());
    java.util.Collections.reverse(newestFirst);
    return newestFirst.stream()
        .filter(r -> status == null || r.status().equals(status))
        .limit(limit)
        .map(
            r ->
                new RunReport(
                    r.id(),
                    r.status(),
                    r.trigger(),
                    r.schedule(),
                    r.mode(),
                    r.modeReason(),
                    r.instance(),
                    r.createdAt(),
                    r.startedAt(),
                    r.finishedAt(),
                    r.durationMs(),
                    r.error(),
                    null,
                    r.issues()))
        .toList();
  }

  @Override
  public synchronized Optional<RunReport> run(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  @Override
  public synchronized List<IssueRow> issues(String runId, IssueQuery query, int limit, int offset) {
    return slice(runId, query).skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized void forEachIssue(
      String runId, IssueQuery query, Consumer<IssueRow> consumer) {
    slice(runId, query).toList().forEach(consumer);
  }

  private java.util.stream.Stream<IssueRow> slice(String runId, IssueQuery q) {
    return issues.getOrDefault(runId, List.of()).stream()
        .filter(i -> q.entity() == null || q.entity().equals(i.entity()))
        .filter(i -> q.check() == null || q.check().equals(i.checkId()))
        .filter(i -> q.severity() == null || q.severity().equals(i.severity()))
        .filter(
            i ->
                switch (q.state()) {
                  case ALL -> true;
                  case OPEN ->
                      !IssueRow.RESOLVED.equals(i.state()) && !IssueRow.RETIRED.equals(i.state());
                  case NEW -> IssueRow.NEW.equals(i.state());
                  case PERSISTING -> IssueRow.PERSISTING.equals(i.state());
                  case RESOLVED -> IssueRow.RESOLVED.equals(i.state());
                  case RETIRED -> IssueRow.RETIRED.equals(i.state());
                });
  }

  @Override
  public synchronized List<CheckCount> checkCounts(String runId) {
    Map<List<String>, long[]> counts =
        new TreeMap<>(java.util.Comparator.comparing(Object::toString));
    for (IssueRow i : issues.getOrDefault(runId, List.of())) {
      long[] c =
          counts.computeIfAbsent(List.of(i.entity(), i.checkId(), i.severity()), k -> new long[5]);
      String state = i.state() == null ? IssueRow.NEW : i.state();
      switch (state) {
        case IssueRow.NEW -> c[1]++;
        case IssueRow.PERSISTING -> c[2]++;
        case IssueRow.RETIRED -> c[4]++;
        default -> c[3]++;
      }
      c[0] = c[1] + c[2];
    }
    List<CheckCount> out = new ArrayList<>();
    counts.forEach(
        (k, c) ->
            out.add(new CheckCount(k.get(0), k.get(1), k.get(2), c[0], c[1], c[2], c[3], c[4])));
    return out;
  }

  @Override
  public synchronized List<CheckHistory> history(String runId, int runs) {
    return List.of();
  }

  @Override
  public synchronized List<IssueRow> tableIssues(String runId, int limit) {
    return issues.getOrDefault(runId, List.of()).stream()
        .filter(i -> i.recordId() == null || i.recordId().isEmpty())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<dev.integrity.store.EntityCount> recordCounts(
      String runId, String entity, int runs) {
    return List.of();
  }

  @Override
  public synchronized StartResult startRun(String baseId, List<String> entities) {
    if (baseId != null && !baseId.equals(BASE)) {
      return new StartResult.BadRequest("unknown base '" + baseId + "': this service runs " + BASE);
    }
    for (String entity : entities) {
      if (!ENTITIES.contains(entity)) {
        return new StartResult.BadRequest(
            "unknown entity '" + entity + "': the config defines classes, teachers");
      }
    }
    for (RunReport r : runs.values()) {
      if (!RunStatus.parse(r.status()).terminal()) {
        return new StartResult.Busy(r.id());
      }
    }
    started++;
    lastStartBase = baseId;
    lastStartEntities = List.copyOf(entities);
    RunReport run = report("run_api_" + started, "queued", epoch.plusSeconds(3600 + started), null);
    runs.put(run.id(), run);
    return new StartResult.Started(run);
  }

  @Override
  public synchronized CancelOutcome cancelRun(String id) {
    RunReport r = runs.get(id);
    if (r == null) {
      return CancelOutcome.NOT_FOUND;
    }
    return switch (RunStatus.parse(r.status())) {
      case QUEUED -> {
        setStatus(id, "cancelled");
        yield CancelOutcome.CANCELLED;
      }
      case RUNNING -> CancelOutcome.REQUESTED;
      case SUCCEEDED, ERROR, TIMEOUT, CANCELLED -> CancelOutcome.ALREADY_ENDED;
    };
  }

  @Override
  public synchronized List<ScheduleView> schedules() {
    return List.copyOf(schedules.values());
  }

  @Override
  public synchronized Optional<ScheduleView> schedule(String name) {
    return Optional.ofNullable(schedules.get(name));
  }

  @Override
  public synchronized ScheduleView putSchedule(ScheduleInput in) {
    for (String entity : in.entities()) {
      if (!ENTITIES.contains(entity)) {
        throw new BadRequestException("unknown entity '" + entity + "' in schedule " + in.name());
      }
    }
    ScheduleView view =
        new ScheduleView(
            in.name(),
            in.baseId() == null ? BASE : in.baseId(),
            in.cron(),
            in.timezone(),
            in.entities(),
            in.enabled(),
            in.mode(),
            null,
            null,
            in.enabled() ? epoch.plusSeconds(86_400) : null,
            0,
            null);
    schedules.put(in.name(), view);
    return view;
  }

  @Override
  public synchronized Optional<ScheduleView> createSchedule(ScheduleInput in) {
    if (schedules.containsKey(in.name())) {
      return Optional.empty();
    }
    return Optional.of(putSchedule(in));
  }

  @Override
  public synchronized boolean deleteSchedule(String name) {
    return schedules.remove(name) != null;
  }

  @Override
  public synchronized List<AlertRow> alerts(int limit) {
    return alerts.stream().limit(limit).toList();
  }

  @Override
  public synchronized boolean ready() {
    return ready;
  }

  @Override
  public synchronized String metrics() {
    return metrics;
  }

  @Override
  public synchronized List<String> bases() {
    return List.of(BASE);
  }

  private final List<Ack> acks = new ArrayList<>();

  @Override
  public synchronized Ack acknowledge(AckRepository.NewAck in) {
    if (!ENTITIES.contains(in.entity())) {
      throw new BadRequestException("entity: '" + in.entity() + "' is not configured");
    }
    Ack ack =
        new Ack(
            "ack_" + (acks.size() + 1),
            BASE,
            in.entity(),
            in.checkId(),
            in.recordId(),
            in.field(),
            in.reason(),
            in.by(),
            in.until(),
            epoch,
            null,
            null);
    acks.add(ack);
    return ack;
  }

  @Override
  public synchronized List<Ack> acknowledgeAll(List<AckRepository.NewAck> in) {
    return in.stream().map(this::acknowledge).toList();
  }

  @Override
  public synchronized List<Ack> acks(boolean includeEnded) {
    return acks.stream().filter(a -> includeEnded || a.endedAt() == null).toList();
  }

  @Override
  public synchronized Map<String, Long> ackCoverage() {
    Map<String, Long> out = new LinkedHashMap<>();
    acks.stream().filter(a -> a.endedAt() == null).forEach(a -> out.put(a.id(), 0L));
    return out;
  }

  @Override
  public synchronized Optional<Ack> revokeAck(String id) {
    for (int i = 0; i < acks.size(); i++) {
      Ack a = acks.get(i);
      if (a.id().equals(id)) {
        Ack revoked =
            a.endedAt() != null
                ? a
                : new Ack(
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
                    epoch,
                    Ack.REVOKED);
        acks.set(i, revoked);
        return Optional.of(revoked);
      }
    }
    return Optional.empty();
  }
}
