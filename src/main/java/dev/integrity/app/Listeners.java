package dev.integrity.app;

import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.ApiCall;
import dev.integrity.airtable.RequestEvent;
import dev.integrity.airtable.RetryEvent;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.run.RunListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans run and Airtable events out to listeners added after the app was built (metrics and alerts
 * need the store, which the app opens). Thread-safe; a failing listener is logged and skipped.
 */
public final class Listeners implements RunListener, AirtableListener {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private final List<RunListener> runs = new CopyOnWriteArrayList<>();
  private final List<AirtableListener> airtable = new CopyOnWriteArrayList<>();

  public void add(RunListener listener) {
    runs.add(listener);
  }

  public void add(AirtableListener listener) {
    airtable.add(listener);
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
