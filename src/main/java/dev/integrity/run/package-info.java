/**
 * The run engine: one run as a small graph of per-entity tasks ({@code RunGraph}: fetch, then check
 * once the entity and its link targets are fetched) settled by one ending ({@code RunEnding}), with
 * the run deadline, heartbeat, cancel, the fetch plan (largest first, partitions side by side,
 * projected fields) and incremental runs from the mirror ({@code IncrementalSource}).
 *
 * <p>It reads configs, calls the client and the check engine and writes the store; it never imports
 * the web, the CLI or the composition root.
 */
package dev.integrity.run;
