package dev.integrity.app;

import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.run.RunEngine;
import dev.integrity.run.RunPlan;
import dev.integrity.store.ActiveRunExistsException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs in the background for the service (API and schedules): submits a queued run and
 * executes it on the injected run pool. Thread-safe; the pool stays the root's to shut down.
 */
final class RunLauncher {
  private static final Logger log = LoggerFactory.getLogger(RunLauncher.class);
  private final RunEngine engine;
  private final ExecutorService runPool;

  RunLauncher(RunEngine engine, ExecutorService runPool) {
    this.engine = engine;
    this.runPool = runPool;
  }

  /** A launched run: as created (queued), and a stage that completes once it has ended. */
  record Launched(RunRecord queued, CompletableFuture<Void> ended) {}

  /**
   * Creates a queued run and executes it on the run pool.
   *
   * @throws ActiveRunExistsException when the base already has an active run
   */
  Launched launch(
      RunPlan plan, Trigger trigger, String schedule, List<String> entities, RunMode mode) {
    RunRecord queued = engine.submit(plan, trigger, schedule, entities, mode);
    CompletableFuture<Void> ended =
        CompletableFuture.runAsync(
            () -> {
              try {
                engine.execute(plan, queued.id());
              } catch (RuntimeException e) {
                log.error("run {} failed to execute", queued.id(), e);
              }
            },
            runPool);
    return new Launched(queued, ended);
  }
}
