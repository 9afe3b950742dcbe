/**
 * Schedules on db-scheduler: one persistent cron task per schedule, synced from the configs and the
 * API, fired at most once across instances sharing the database; a fire while the base has an
 * active run is skipped and recorded, never queued. A fire holds its worker until its run has ended
 * ({@code FireExecution}), so the worker is the unit of work that instances share.
 *
 * <p>It starts runs through a {@code FireHandler} given to it, so it never imports the run engine.
 */
package dev.integrity.schedule;
