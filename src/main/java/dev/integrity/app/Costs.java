package dev.integrity.app;

import dev.integrity.config.ScheduleConfig;
import dev.integrity.cost.MonthlyUse;
import dev.integrity.cost.Projection;
import dev.integrity.cost.Projections;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.run.RunPlan;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the served bases' runs cost (issue 19): each enabled schedule's projected month (from the
 * store's schedules, so those made through the API count too) and a run's base's calls this month.
 * Thread-safe: it only reads.
 */
final class Costs {
  private static final Logger log = LoggerFactory.getLogger(Costs.class);

  private final Store store;
  private final Map<String, RunPlan> plans;
  private final Clock clock;

  Costs(Store store, Map<String, RunPlan> plans, Clock clock) {
    this.store = store;
    this.plans = plans;
    this.clock = clock;
  }

  /** The projections of every enabled schedule of a served base, in the store's order. */
  List<Projection> projections() {
    List<Projection> out = new ArrayList<>();
    for (ScheduleRow row : store.schedules().list()) {
      RunPlan plan = plans.get(row.baseId());
      if (plan == null || !row.enabled()) {
        continue;
      }
      try {
        out.add(Projections.of(plan.config(), schedule(row), store, clock.instant()));
      } catch (RuntimeException e) {
        // A projection is advice: a schedule it cannot make says so and the others still show.
        log.warn("cannot project the API calls of schedule {}: {}", row.name(), e.toString());
      }
    }
    return out;
  }

  /** Logs one WARN line per schedule whose projected month exceeds its base's budget. */
  void warnAtStart() {
    try {
      for (Projection p : projections()) {
        if (p.overBudget()) {
          log.warn("API call budget: {}", p.text());
        }
      }
    } catch (RuntimeException e) {
      log.warn("cannot project the schedules' API calls: {}", e.toString());
    }
  }

  /**
   * The calls this month of the run's base, against the budget its config has now (else the one
   * stored with the run).
   */
  Optional<MonthlyUse> month(String runId) {
    return store.runs().find(runId).map(this::month);
  }

  MonthlyUse month(RunRecord run) {
    RunPlan plan = plans.get(run.baseId());
    Long budget =
        plan != null ? plan.config().airtable().monthlyCallBudget().calls() : run.callBudget();
    return Projections.month(store, run.baseId(), budget, clock.instant());
  }

  private static ScheduleConfig schedule(ScheduleRow row) {
    return new ScheduleConfig(
        row.name(),
        row.cron(),
        ZoneId.of(row.timezone() == null ? "UTC" : row.timezone()),
        row.entities(),
        row.mode() == RunMode.INCREMENTAL);
  }
}
