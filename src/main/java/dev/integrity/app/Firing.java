package dev.integrity.app;

import dev.integrity.alert.AlertService;
import dev.integrity.metrics.Metrics;
import dev.integrity.model.RunMode;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunPlan;
import dev.integrity.schedule.FireHandler;
import dev.integrity.schedule.FireOutcome;
import dev.integrity.store.ActiveRunExistsException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a due schedule does: start a run of its base through the launcher, or say why not; a skip is
 * counted and may raise an alert. Thread-safe.
 */
final class Firing implements FireHandler {
  private final Map<String, RunPlan> plans;
  private final RunLauncher launcher;
  private final Metrics metrics;
  private final AlertService alerts;

  Firing(Map<String, RunPlan> plans, RunLauncher launcher, Metrics metrics, AlertService alerts) {
    this.plans = plans;
    this.launcher = launcher;
    this.metrics = metrics;
    this.alerts = alerts;
  }

  @Override
  public FireOutcome fire(String schedule, String baseId, List<String> entities, RunMode mode) {
    RunPlan plan = plans.get(baseId);
    FireOutcome outcome;
    if (plan == null) {
      outcome = new FireOutcome.Skipped("base " + baseId + " is not served by this process", null);
    } else {
      try {
        // The mode stored with the schedule (synced from the config, or set through the API).
        RunLauncher.Launched launched =
            launcher.launch(plan, Trigger.SCHEDULE, schedule, entities, mode);
        // The schedule service holds the fire's worker until the run has ended.
        outcome = new FireOutcome.Started(launched.queued().id(), launched.ended());
      } catch (ActiveRunExistsException e) {
        outcome = FireOutcome.Skipped.activeRun(baseId, e.activeRunId());
      }
    }
    String reason = null;
    switch (outcome) {
      case FireOutcome.Skipped s -> {
        reason = s.reason();
        metrics.onScheduleSkipped(schedule);
      }
      case FireOutcome.Started s -> {}
    }
    alerts.onScheduleFire(schedule, baseId, reason != null, reason);
    return outcome;
  }

  @Override
  public void passed(String schedule, String baseId, Instant at, String reason) {
    metrics.onScheduleSkipped(schedule);
    alerts.onScheduleFire(schedule, baseId, true, reason);
  }
}
