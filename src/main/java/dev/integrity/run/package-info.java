/**
 * The run engine: one run as a plain pipeline ({@code RunPipeline}: schema, mode, plan, then a
 * small graph of per-entity tasks, {@code RunGraph}: fetch, then check once the entity and its link
 * targets are fetched, then persist) under a lifecycle arbiter ({@code RunLifecycle}: the run's one
 * ending, {@code RunEnding}, its deadline, heartbeat and cancel, which any worker's failure
 * reaches: a run is {@code succeeded} only when every planned entity is checked); the fetch plan
 * (largest first, partitions side by side, projected fields) and incremental runs from the mirror
 * ({@code IncrementalSource}).
 *
 * <p>It reads configs, calls the client and the check engine and writes the store; it never imports
 * the web, the CLI or the composition root.
 */
package dev.integrity.run;
