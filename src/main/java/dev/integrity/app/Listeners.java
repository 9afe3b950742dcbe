package dev.integrity.app;

import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.ApiCall;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.RetryEvent;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.run.RunListener;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans run and Airtable events out to the listeners the root fixed when it built the app (progress,
 * metrics, alerts). It is also the one road for "a run ended": the engine and the reaper both end
 * runs through {@link #onRunEnded}. Immutable and thread-safe; a failing listener is logged and
 * skipped.
 */
final class Listeners implements RunListener, AirtableListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private final List<RunListener> runs;
  private final List<AirtableListener> airtable;

  Listeners(List<RunListener> runs, List<AirtableListener> airtable) {
    this.runs = runs.stream().filter(Objects::nonNull).toList();
    this.airtable = airtable.stream().filter(Objects::nonNull).toList();
  }

  @Override
  public void onRunSubmitted(RunRecord run) {
    for (RunListener l : runs) {
      safely(() -> l.onRunSubmitted(run));
    }
  }

  @Override
  public void onEntityProgress(String runId, EntityProgress progress) {
    for (RunListener l : runs) {
      safely(() -> l.onEntityProgress(runId, progress));
    }
  }

  @Override
  public void onRunEnded(RunRecord run) {
    for (RunListener l : runs) {
      safely(() -> l.onRunEnded(run));
    }
  }

  @Override
  public void onRequest(RequestEvent e) {
    for (AirtableListener l : airtable) {
      safely(() -> l.onRequest(e));
    }
  }

  @Override
  public void onApiCall(ApiCall call) {
    for (AirtableListener l : airtable) {
      safely(() -> l.onApiCall(call));
    }
  }

  @Override
  public void onRetry(RetryEvent e) {
    for (AirtableListener l : airtable) {
      safely(() -> l.onRetry(e));
    }
  }

  private static void safely(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      log.warn("a listener failed: {}", e.toString());
    }
  }
}
