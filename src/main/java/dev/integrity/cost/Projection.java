package dev.integrity.cost;

import dev.integrity.config.CallBudget;
import java.util.Locale;

/**
 * One schedule's projected month: calls per run times fires in 30 days, against the base's monthly
 * budget. Immutable.
 *
 * @param baseId the base the schedule runs
 * @param schedule the schedule's name
 * @param callsPerRun calls one run sends
 * @param basis where {@code callsPerRun} comes from, for a person
 * @param atLeast whether {@code callsPerRun} is only a lower bound (no run of the base was counted
 *     yet: one schema read plus one page per entity)
 * @param firesPerMonth the schedule's fires in 30 days
 * @param budget the base's monthly budget
 */
public record Projection(
    String baseId,
    String schedule,
    long callsPerRun,
    String basis,
    boolean atLeast,
    long firesPerMonth,
    CallBudget budget) {

  /** Calls per run times fires per month. */
  public long projected() {
    return Math.multiplyExact(callsPerRun, firesPerMonth);
  }

  /** Whether the projected month exceeds the budget (a lower bound that does counts too). */
  public boolean overBudget() {
    return budget.limited() && projected() > budget.calls();
  }

  /**
   * For a person: {@code base app…, schedule nightly: 812 calls per run (the last run of the
   * schedule, 01J…) x 30 fires a month = 24,360 calls a month, over the monthly call budget of
   * 1,000 (free)}.
   */
  public String text() {
    String bound = atLeast ? "at least " : "";
    String verdict;
    if (!budget.limited()) {
      verdict = "; " + budget.describe();
    } else if (overBudget()) {
      verdict = ", over the monthly call budget of " + budget.describe();
    } else {
      verdict = ", within the monthly call budget of " + budget.describe();
    }
    return String.format(
        Locale.ROOT,
        "base %s, schedule %s: %s%,d calls per run (%s) x %,d fires a month = %s%,d calls a"
            + " month%s",
        baseId,
        schedule,
        bound,
        callsPerRun,
        basis,
        firesPerMonth,
        bound,
        projected(),
        verdict);
  }
}
