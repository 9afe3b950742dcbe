/**
 * What runs cost in Airtable API calls (issue 19): each base's calls this month against its {@code
 * airtable.monthlyCallBudget} ({@link dev.integrity.cost.MonthlyUse}), and each schedule's
 * projected month, calls per run times fires per month ({@link dev.integrity.cost.Projection}, made
 * by {@link dev.integrity.cost.Projections}), which {@code validate --online}, {@code serve}'s
 * start-up log and the dashboard warn about when it exceeds the budget. Runs count their calls
 * themselves (the client counts every attempt it sends under the run's fetch control).
 *
 * <p>It reads the config, the store and cron patterns (through {@code common}); it never imports
 * the run engine, the web, the CLI or the composition root.
 */
package dev.integrity.cost;
