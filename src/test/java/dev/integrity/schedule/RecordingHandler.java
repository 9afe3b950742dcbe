package dev.integrity.schedule;

import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.ActiveRunExistsException;
import dev.integrity.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fire handler like the service's: creates a queued run of the base (the run engine would take it
 * from there) or reports the active run that blocks it; records every call.
 */
final class RecordingHandler implements FireHandler {
  record Fire(
      String instance,
      String schedule,
      String baseId,
      List<String> entities,
      RunMode mode,
      Instant at) {}

  private final String instance;
  private final Store store;
  private final Clock clock;
  private final boolean finishRuns;
  private final List<Fire> fires;
  private volatile RuntimeException failure;

  RecordingHandler(
      String instance, Store store, Clock clock, boolean finishRuns, List<Fire> fires) {
    this.instance = instance;
    this.store = store;
    this.clock = clock;
    this.finishRuns = finishRuns;
    this.fires = fires;
  }

  RecordingHandler(Store store, Clock clock) {
    this("test", store, clock, false, new CopyOnWriteArrayList<>());
  }

  List<Fire> fires() {
    return fires;
  }

  /** Makes the next fires throw {@code failure} (null: work again). */
  void failWith(RuntimeException failure) {
    this.failure = failure;
  }

  @Override
  public FireOutcome fire(String scheduleName, String baseId, List<String> entities, RunMode mode) {
    fires.add(new Fire(instance, scheduleName, baseId, entities, mode, clock.instant()));
    RuntimeException toThrow = failure;
    if (toThrow != null) {
      throw toThrow;
    }
    try {
      RunRecord run = store.runs().create(baseId, Trigger.SCHEDULE, scheduleName, entities);
      if (finishRuns) {
        store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
      }
      return new FireOutcome.Started(run.id());
    } catch (ActiveRunExistsException e) {
      return FireOutcome.Skipped.activeRun(baseId, e.activeRunId());
    }
  }
}
