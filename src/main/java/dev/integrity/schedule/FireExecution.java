package dev.integrity.schedule;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.github.kagkarlsson.scheduler.task.schedule.PersistentCronSchedule;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One schedule's fire on a db-scheduler worker, and what becomes of a fire whose instance died:
 * asks the handler for a run, records the outcome, holds the worker until the run has ended (the
 * worker is the unit of work), records the fire times that passed meanwhile, and returns the data
 * db-scheduler computes the next fire from. Thread-safe.
 */
final class FireExecution {
  // The service's logger: a fire's lines are the schedule service's, wherever the code sits.
  private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
  // db-scheduler's disabled cron pattern: a schedule given it fires "never" again.
  private static final String DISABLED_PATTERN = "-";
  // How many passed fire times one fire records at most; the log line gives the full count.
  private static final int MAX_PASSED_RECORDED = 10;

  private final Store store;
  private final Clock clock;
  private final ScheduleSettings settings;
  private final FireHandler handler;

  FireExecution(Store store, Clock clock, ScheduleSettings settings, FireHandler handler) {
    this.store = store;
    this.clock = clock;
    this.settings = settings;
    this.handler = handler;
  }

  /**
   * One fire: asks the handler for a run and records the outcome. Returns the data db-scheduler
   * computes the next fire from: the stored definition, so a cron change made while this fire was
   * in progress still applies, or "never" for a schedule deleted or disabled meanwhile.
   */
  PersistentCronSchedule execute(
      TaskInstance<PersistentCronSchedule> instance, ExecutionContext context) {
    String name = instance.getId();
    PersistentCronSchedule current = instance.getData();
    boolean interrupted = false;
    try {
      Optional<ScheduleRow> row = store.schedules().find(name);
      if (row.isEmpty() || !row.get().enabled()) {
        log.info(
            "schedule {} fired but is {}: not running it again",
            name,
            row.isEmpty() ? "deleted" : "disabled");
        return disabled(current);
      }
      Instant due = context.getExecution().getExecutionTime();
      Instant picked = now();
      FireOutcome outcome = fire(row.get(), due);
      if (outcome instanceof FireOutcome.Started started) {
        interrupted = awaitRun(name, started);
      }
      recordPassed(row.get(), due, picked, outcome);
      // Read again: a change made while the run went on applies from the next fire.
      Optional<ScheduleRow> after = store.schedules().find(name);
      return after.isPresent() && after.get().enabled() ? data(after.get()) : disabled(current);
    } catch (RuntimeException e) {
      // Never let a failure turn into db-scheduler retries: a fire that failed is simply over.
      log.error("schedule {} failed to fire; it fires again at its next time", name, e);
      return current;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Holds this worker until the fire's run has ended, so that an instance carries no more runs than
   * it has workers (the others pick up the rest), and a fire of an instance that dies is taken up
   * by db-scheduler's dead-execution detection. Bounded by the run's deadline plus a margin.
   * Returns whether the wait was interrupted (the service is stopping).
   */
  private boolean awaitRun(String name, FireOutcome.Started started) {
    try {
      started.ended().toCompletableFuture().get(settings.runHold().toMillis(), MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "schedule {}: run {} is still going after {}, past its deadline; its fire lets go of its"
              + " worker and the reaper ends the run",
          name,
          started.runId(),
          settings.runHold());
    } catch (ExecutionException e) {
      // The run records its own failure; the fire is over either way.
      log.debug("schedule {}: run {} ended exceptionally", name, started.runId(), e);
    } catch (InterruptedException e) {
      log.info(
          "schedule {}: stopping while run {} goes on; the run ends by itself",
          name,
          started.runId());
      return true;
    }
    return false;
  }

  /**
   * Records the fire times that passed while this fire waited for a worker or held its run: a
   * schedule fires once at a time, so those times are skipped, and said so, not silently lost.
   */
  private void recordPassed(ScheduleRow row, Instant due, Instant picked, FireOutcome outcome) {
    CronSchedule cron = Crons.schedule(row.name(), row.cron(), row.timezone());
    Instant done = now();
    Instant at = cron.getNextExecutionTime(ExecutionComplete.simulatedSuccess(due));
    int passed = 0;
    while (!at.isAfter(done)) {
      String reason =
          !at.isAfter(picked)
              ? "no worker was free at this time: the fire due at "
                  + due
                  + " waited until "
                  + picked
                  + " (every instance had its scheduled runs going, or none was running)"
              : outcome instanceof FireOutcome.Started s
                  ? "run " + s.runId() + " (the fire due at " + due + ") was still going"
                  : "the fire due at " + due + " was still going";
      if (passed < MAX_PASSED_RECORDED) {
        store
            .schedules()
            .recordFire(new FireRow(row.name(), row.baseId(), null, FireRow.SKIPPED, null, reason));
        handler.passed(row.name(), row.baseId(), at, reason);
      }
      passed++;
      at = cron.getNextExecutionTime(ExecutionComplete.simulatedSuccess(at));
    }
    if (passed > 0) {
      log.warn(
          "schedule {}: {} fire time(s) passed while its fire due at {} was in progress; the next"
              + " fire is the first one after {}",
          row.name(),
          passed,
          due,
          done);
    }
  }

  /**
   * A fire whose instance stopped heartbeating (it died, or lost the database for longer than the
   * stale bound): its run, if any, is the reaper's to end; the schedule fires again at its next
   * time, not at once, so a dead instance costs its bases one fire each and no burst.
   */
  void deadExecution(
      ExecutionComplete complete, ExecutionOperations<PersistentCronSchedule> operations) {
    Execution execution = complete.getExecution();
    String name = execution.taskInstance.getId();
    Instant next = now();
    if (execution.taskInstance.getData() instanceof PersistentCronSchedule data
        && data.getSchedule() != null) {
      next = data.getSchedule().getNextExecutionTime(ExecutionComplete.simulatedSuccess(next));
    }
    log.warn(
        "schedule {}: the fire due at {} picked by instance {} has had no heartbeat since {}; it"
            + " fires again at {} on instance {} or another",
        name,
        execution.executionTime,
        execution.pickedBy,
        execution.lastHeartbeat,
        next,
        settings.instanceName());
    operations.reschedule(complete, next);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private FireOutcome fire(ScheduleRow row, Instant due) {
    String name = row.name();
    FireOutcome outcome;
    try {
      // The stored mode is the source: config schedules sync theirs, API schedules name theirs.
      outcome = handler.fire(name, row.baseId(), row.entities(), row.mode());
      Objects.requireNonNull(outcome, "the fire handler returned no outcome");
    } catch (RuntimeException e) {
      log.error("schedule {} could not start a run of base {}", name, row.baseId(), e);
      outcome = new FireOutcome.Skipped("could not start a run: " + e.getMessage(), null);
    }
    switch (outcome) {
      case FireOutcome.Started started -> {
        log.info(
            "schedule {} (due {}) started run {} of base {} on instance {}",
            name,
            due,
            started.runId(),
            row.baseId(),
            settings.instanceName());
        store
            .schedules()
            .recordFire(
                new FireRow(name, row.baseId(), null, FireRow.STARTED, started.runId(), null));
      }
      case FireOutcome.Skipped skipped -> {
        String reason = skipped.reason();
        if (skipped.activeRunId() != null && !reason.contains(skipped.activeRunId())) {
          reason = reason + " (active run " + skipped.activeRunId() + ")";
        }
        log.warn(
            "schedule {} (due {}) skipped its fire on instance {}: {}",
            name,
            due,
            settings.instanceName(),
            reason);
        store
            .schedules()
            .recordFire(new FireRow(name, row.baseId(), null, FireRow.SKIPPED, null, reason));
      }
    }
    return outcome;
  }

  static PersistentCronSchedule data(ScheduleRow row) {
    CronSchedule cron = Crons.schedule(row.name(), row.cron(), row.timezone());
    return new PersistentCronSchedule(cron.getPattern(), cron.getZoneId());
  }

  private static PersistentCronSchedule disabled(PersistentCronSchedule current) {
    ZoneId zone =
        current != null && current.getSchedule() instanceof CronSchedule cron
            ? cron.getZoneId()
            : ZoneId.of("UTC");
    return new PersistentCronSchedule(DISABLED_PATTERN, zone);
  }
}
