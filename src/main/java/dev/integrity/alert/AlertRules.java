package dev.integrity.alert;

import dev.integrity.common.Texts;
import dev.integrity.model.IssueRow;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conditions, the half of alerting that knows nothing of channels: when a run's end, a
 * schedule's fire or the periodic look at running runs opens or resolves an alert, and what it
 * says. The store decides dedup ({@code openIfAbsent}, {@code resolve}): across several processes
 * only the one that opened (or resolved) an alert hands it to the {@link AlertSink}. Every entry
 * point catches, logs and goes on. Thread-safe.
 */
final class AlertRules {
  private static final Logger log = LoggerFactory.getLogger(AlertRules.class);
  private static final int MAX_LISTED_RUNS = 10;
  private static final int MAX_ERROR_CHARS = 500;
  private static final String FAIL = "fail";

  private final Store store;
  private final Clock clock;
  private final AlertSettings settings;
  private final AlertRoutes routes;
  private final Messages messages;
  private final AlertSink sink;
  private final SkipGroups skipGroups;
  // Schedules this process saw skipping: a started fire of one re-evaluates the groups at once.
  private final Set<String> skipping = ConcurrentHashMap.newKeySet();

  /**
   * @param settings the thresholds ({@code longRun}, {@code runningThreshold}, {@code skipsInARow})
   *     and the dashboard for links
   * @param routes whether each base's new fail issues raise an alert
   */
  AlertRules(Store store, Clock clock, AlertSettings settings, AlertRoutes routes, AlertSink sink) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.messages = new Messages(settings.dashboardUrl());
    this.skipGroups = new SkipGroups(store, settings.skipsInARow());
  }

  /** Whether the end of a run of this base needs its issue summary. */
  boolean wantsIssues(RunRecord run) {
    return run.status() == RunStatus.SUCCEEDED && routes.wantsIssues(run.baseId());
  }

  /** See {@link AlertService#onRunEnded(RunRecord, IssueSummary)}. */
  void onRunEnded(RunRecord run, IssueSummary issues) {
    try {
      resolve(
          AlertKind.LONG_RUN.key(run.id()), "run " + run.id() + " ended " + run.status().wire());
      switch (run.status()) {
        case TIMEOUT -> raiseForRun(AlertKind.RUN_TIMEOUT, run, "timed out");
        case ERROR -> raiseForRun(AlertKind.RUN_ERROR, run, "ended with an error");
        case SUCCEEDED -> {
          String why = "run " + run.id() + " of base " + run.baseId() + " succeeded";
          resolve(AlertKind.RUN_TIMEOUT.key(run.baseId()), why);
          resolve(AlertKind.RUN_ERROR.key(run.baseId()), why);
          onSucceededIssues(run, issues);
        }
        case CANCELLED, QUEUED, RUNNING -> {
          // Someone asked for a cancel; nothing went wrong, and nothing is fixed either.
        }
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot evaluate the end of run {}", run.id(), e);
    }
  }

  /** A run that ended badly raises its base's alert of that kind, saying how it ended. */
  private void raiseForRun(AlertKind kind, RunRecord run, String ended) {
    raise(
        kind,
        run.baseId(),
        run.id(),
        run.schedule(),
        "Run "
            + run.id()
            + " of base "
            + run.baseId()
            + " "
            + ended
            + ranFor(run)
            + errorSuffix(run));
  }

  /**
   * One digest per owner of the run's new fail issues: the owners of the entities, and the base's
   * channels for entities without one when {@code alerts.onNewFailIssues} is on. Each owner's
   * condition opens with a digest, repeats (with the latest digest) at most once per {@code
   * repeatAfter} while runs keep finding new fail issues, and resolves with a run that checked the
   * owner's entities and found none.
   */
  private void onSucceededIssues(RunRecord run, IssueSummary issues) {
    String baseId = run.baseId();
    if (!routes.wantsIssues(baseId) || issues == null) {
      return;
    }
    boolean toBase = routes.onNewFailIssues(baseId);
    // By owner; the null key is the base's channels.
    Map<String, DigestBuilder> digests = new HashMap<>();
    // Only new issues of severity fail count: a new warn among old fail issues is no new failure.
    // Acknowledged ones never alert; one whose acknowledgement expired alerts as if new.
    if (issues.alertingOf(FAIL) > 0) {
      forEachNewFailIssue(
          run.id(),
          row -> {
            String owner = routes.ownerOf(baseId, row.entity());
            if (owner != null || toBase) {
              digests.computeIfAbsent(owner, o -> new DigestBuilder(run.id(), baseId, o)).add(row);
            }
          });
    }
    List<String> owners = new ArrayList<>();
    if (toBase) {
      owners.add(null);
    }
    owners.addAll(routes.owners(baseId));
    resolveFormerOwners(baseId, routes.owners(baseId));
    for (String owner : owners) {
      String key = AlertKind.newFailIssuesKey(baseId, owner);
      try {
        DigestBuilder found = digests.get(owner);
        if (found != null) {
          raiseDigest(run, key, found.build(messages));
        } else if (owner == null
            ? !onlyOwned(run, baseId)
            : covers(run, routes.entitiesOf(baseId, owner))) {
          resolve(
              key,
              "run "
                  + run.id()
                  + " of base "
                  + baseId
                  + " found no new fail issues"
                  + (owner == null ? "" : " for " + owner));
        }
      } catch (RuntimeException e) {
        // One owner's trouble must not keep the digest from the others.
        log.error("alerts: cannot evaluate the new fail issues of run {} for {}", run.id(), key, e);
      }
    }
  }

  /**
   * An owner renamed or taken out of the config would keep its condition open for ever: nothing
   * evaluates it any more. Its alert resolves (to the base's channels: the owner's are gone).
   */
  private void resolveFormerOwners(String baseId, Set<String> current) {
    for (AlertRow row : store.alerts().open()) {
      String owner = AlertKind.ownerOf(row.key());
      if (owner != null && baseId.equals(row.baseId()) && !current.contains(owner)) {
        resolve(row.key(), "owner " + owner + " is no longer in the config of base " + baseId);
      }
    }
  }

  /**
   * The run's new fail issues in the order the run wrote them, streamed: the one place alerts read
   * them, so that what is excluded here is excluded from every alert and digest.
   */
  private void forEachNewFailIssue(String runId, Consumer<IssueRow> consumer) {
    // New and unacknowledged, or open again because their acknowledgement expired.
    store.issues().forEach(runId, IssueQuery.alerting(null, FAIL), consumer);
  }

  /** Whether the run checked only entities with an owner: it says nothing of the base's own. */
  private boolean onlyOwned(RunRecord run, String baseId) {
    return run.entities() != null
        && !run.entities().isEmpty()
        && run.entities().stream().allMatch(e -> routes.ownerOf(baseId, e) != null);
  }

  /** Whether the run checked one of these entities (a run of no named entities checks all). */
  private static boolean covers(RunRecord run, Set<String> entities) {
    return run.entities() == null
        || run.entities().isEmpty()
        || run.entities().stream().anyMatch(entities::contains);
  }

  /**
   * Opens the owner's condition with the digest; while it is open, repeats it with this run's
   * digest once {@code repeatAfter} has passed since it was last told, else only rewrites the
   * stored message (what {@code GET /api/alerts} shows) and stays quiet.
   */
  private void raiseDigest(RunRecord run, String key, Digest digest) {
    String summary = Messages.digestText(digest);
    Optional<AlertRow> opened =
        store
            .alerts()
            .openIfAbsent(
                key,
                AlertKind.NEW_FAIL_ISSUES.wire(),
                run.baseId(),
                run.id(),
                run.schedule(),
                summary);
    if (opened.isPresent()) {
      log.warn(
          "alert opened: {} (key {}): {} new fail issue(s)",
          opened.get().kind(),
          key,
          digest.total());
      sink.deliver(opened.get(), messages.digest(opened.get(), digest, false));
      return;
    }
    Optional<AlertRow> again =
        store.alerts().renotify(key, summary, routes.repeatAfter(run.baseId()));
    if (again.isPresent()) {
      log.warn("alert still open, repeated: {} (key {})", again.get().kind(), key);
      sink.deliver(again.get(), messages.digest(again.get(), digest, true));
    } else {
      store.alerts().amend(key, summary);
    }
  }

  /**
   * See {@link AlertService#onScheduleFire(String, String, boolean, String)}. Skips are grouped by
   * cause at the next {@link #evaluate()}, so that fifty bases skipping for one reason (an instance
   * that died holding their runs) make one alert naming them, not fifty; a started fire of a
   * schedule that was skipping re-evaluates at once, so its group's alert resolves without delay.
   */
  void onScheduleFire(String schedule, String baseId, boolean skipped, String reason) {
    try {
      if (skipped) {
        skipping.add(schedule);
      } else if (skipping.remove(schedule)) {
        evaluateSkips();
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot evaluate a fire of schedule {}", schedule, e);
    }
  }

  /**
   * One alert per cause of skipped fires ({@link SkipGroups}): opened when the first schedule shows
   * up, amended as more join (delivered once, when it opened), resolved when none is left.
   */
  private void evaluateSkips() {
    // The open skip alerts, read once: a group whose alert already says the same writes nothing.
    Map<String, AlertRow> open = new java.util.HashMap<>();
    for (AlertRow row : store.alerts().open()) {
      if (AlertKind.SCHEDULE_SKIPPED.wire().equals(row.kind())) {
        open.put(row.key(), row);
      }
    }
    for (SkipGroups.Group group : skipGroups.current()) {
      String key = AlertKind.SCHEDULE_SKIPPED.key(group.cause().key());
      AlertRow already = open.remove(key);
      if (already != null && repeat(key, group.baseId(), group.summary())) {
        continue;
      }
      if (already == null
          && raise(
              AlertKind.SCHEDULE_SKIPPED,
              key,
              group.baseId(),
              group.blockingRunId(),
              group.schedule(),
              group.summary())) {
        continue;
      }
      if (already == null || !group.summary().equals(already.message())) {
        store.alerts().amend(key, group.summary());
      }
    }
    // What is left open has no group any more.
    for (String key : open.keySet()) {
      resolve(key, "no schedule skips its fires for this cause any more");
    }
  }

  /** See {@link AlertService#evaluate()}. */
  void evaluate() {
    List<RunRecord> running;
    try {
      running = store.runs().withStatus(RunStatus.RUNNING);
    } catch (RuntimeException e) {
      log.warn("alerts: cannot list running runs: {}", e.getMessage());
      return;
    }
    Instant now = clock.instant();
    for (RunRecord run : running) {
      try {
        Duration age = Duration.between(started(run), now);
        if (age.compareTo(settings.longRun()) >= 0) {
          raise(
              AlertKind.LONG_RUN,
              run.baseId(),
              run.id(),
              run.schedule(),
              "Run "
                  + run.id()
                  + " of base "
                  + run.baseId()
                  + " has been running for "
                  + Messages.human(age)
                  + " (alert threshold "
                  + Messages.human(settings.longRun())
                  + "), since "
                  + started(run));
        }
      } catch (RuntimeException e) {
        log.error("alerts: cannot check run {} for its age", run.id(), e);
      }
    }
    resolveEndedLongRuns(running);
    try {
      evaluateSkips();
    } catch (RuntimeException e) {
      log.error("alerts: cannot evaluate the skipped fires of schedules", e);
    }
    try {
      String key = AlertKind.RUNNING_RUNS.key(null);
      if (running.size() > settings.runningThreshold()) {
        raise(AlertKind.RUNNING_RUNS, null, null, null, pileUp(running, now));
      } else {
        resolve(
            key,
            running.size()
                + " run(s) running, at most the threshold of "
                + settings.runningThreshold());
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot check the number of running runs", e);
    }
  }

  private void resolveEndedLongRuns(List<RunRecord> running) {
    try {
      Set<String> ids = running.stream().map(RunRecord::id).collect(Collectors.toSet());
      for (AlertRow row : store.alerts().open()) {
        if (AlertKind.LONG_RUN.wire().equals(row.kind()) && !ids.contains(row.runId())) {
          String status = store.runs().find(row.runId()).map(r -> r.status().wire()).orElse("gone");
          resolve(row.key(), "run " + row.runId() + " is no longer running (" + status + ")");
        }
      }
    } catch (RuntimeException e) {
      log.error("alerts: cannot resolve the long-run alerts of ended runs", e);
    }
  }

  private String pileUp(List<RunRecord> running, Instant now) {
    StringBuilder text =
        new StringBuilder()
            .append(running.size())
            .append(" runs are running, more than the threshold of ")
            .append(settings.runningThreshold())
            .append(':');
    running.stream()
        .limit(MAX_LISTED_RUNS)
        .forEach(
            run -> {
              text.append("\n- ")
                  .append(run.id())
                  .append(" (base ")
                  .append(run.baseId())
                  .append(", running ")
                  .append(Messages.human(Duration.between(started(run), now)))
                  .append(") ")
                  .append(messages.runUrl(run.id()));
            });
    if (running.size() > MAX_LISTED_RUNS) {
      text.append("\n- and ").append(running.size() - MAX_LISTED_RUNS).append(" more");
    }
    return text.toString();
  }

  private void raise(AlertKind kind, String baseId, String runId, String schedule, String summary) {
    String key =
        switch (kind) {
          case RUN_TIMEOUT, RUN_ERROR, NEW_FAIL_ISSUES -> kind.key(baseId);
          case LONG_RUN -> kind.key(runId);
          case SCHEDULE_SKIPPED -> kind.key(SkipGroups.Cause.OTHER.key());
          case RUNNING_RUNS -> kind.key(null);
        };
    raise(kind, key, baseId, runId, schedule, summary);
  }

  /** Opens the alert unless one with this key is open; true when this call opened it. */
  private boolean raise(
      AlertKind kind, String key, String baseId, String runId, String schedule, String summary) {
    Optional<AlertRow> opened =
        store.alerts().openIfAbsent(key, kind.wire(), baseId, runId, schedule, summary);
    opened.ifPresent(
        row -> {
          log.warn("alert opened: {} (key {}): {}", kind.wire(), key, summary);
          sink.deliver(row, messages.opened(row));
        });
    if (opened.isEmpty()) {
      repeat(key, baseId, summary);
    }
    return opened.isPresent();
  }

  /**
   * A condition seen again while its alert is open: told again, saying what it says now, when
   * {@code repeatAfter} has passed since it was last told (the store decides, across processes);
   * true when this call repeated it.
   */
  private boolean repeat(String key, String baseId, String summary) {
    Duration every = routes.repeatAfter(baseId);
    Optional<AlertRow> again = store.alerts().renotify(key, summary, every);
    again.ifPresent(
        row -> {
          log.warn("alert still open, repeated: {} (key {}): {}", row.kind(), key, summary);
          sink.deliver(row, messages.repeated(row, every));
        });
    return again.isPresent();
  }

  private void resolve(String key, String why) {
    store
        .alerts()
        .resolve(key)
        .ifPresent(
            row -> {
              log.info("alert resolved: {} (key {}): {}", row.kind(), key, why);
              sink.deliver(row, messages.resolved(row, why));
            });
  }

  private static Instant started(RunRecord run) {
    return run.startedAt() != null ? run.startedAt() : run.createdAt();
  }

  private static String ranFor(RunRecord run) {
    if (run.finishedAt() == null) {
      return "";
    }
    return " after " + Messages.human(Duration.between(started(run), run.finishedAt()));
  }

  private static String errorSuffix(RunRecord run) {
    return run.error() == null || run.error().isBlank()
        ? ""
        : ": " + Texts.shorten(run.error(), MAX_ERROR_CHARS);
  }
}
