/**
 * The fetch planner's pure parts: which fields a run asks for ({@link FieldProjection}), how a big
 * table is cut into disjoint record-id partitions ({@link Partitions}), and the order and partition
 * count of each table from the last run's page counts and latencies ({@link FetchPlanner}, giving a
 * {@link FetchPlan}); a table no run has fetched is planned from its first page ({@link
 * FetchPlanner#afterFirstPage}). No I/O, no clock: the run engine feeds them what the store, the
 * base schema and a first page say and turns the result into list-records iterations.
 */
package dev.integrity.plan;
