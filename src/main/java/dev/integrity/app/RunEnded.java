package dev.integrity.app;

import dev.integrity.metrics.Metrics;
import dev.integrity.reaper.Reaped;
import dev.integrity.reaper.ReaperListener;
import dev.integrity.store.Store;
import java.util.Locale;

/**
 * The one road for "a run ended" when the reaper ended it: the run, as stored now, goes to the same
 * listeners as a run its engine ended (progress, metrics, alerts), and the reaper's reason is
 * counted. Used by the service's sweeps and by {@code reap}. Thread-safe.
 */
final class RunEnded implements ReaperListener {
  private final Store store;
  private final Metrics metrics;
  private final Listeners listeners;

  RunEnded(Store store, Metrics metrics, Listeners listeners) {
    this.store = store;
    this.metrics = metrics;
    this.listeners = listeners;
  }

  @Override
  public void onReaped(Reaped reaped) {
    metrics.onReaped(reaped.reason().name().toLowerCase(Locale.ROOT));
    store.runs().find(reaped.runId()).ifPresent(listeners::onRunEnded);
  }
}
