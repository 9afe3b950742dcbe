package dev.integrity.reaper;

import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in run owner for a child JVM: opens the store named by {@code args[0]}, creates and
 * claims a run of base {@code args[1]}, heartbeats every 200 ms and prints {@code ready <runId>}.
 * The test kills it; it also exits by itself after a minute so a failed test leaves no orphan.
 */
public final class HeartbeatingOwner {
  private HeartbeatingOwner() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(StoreSettings.of(args[0]), Clock.systemUTC());
    String owner = "child-" + ProcessHandle.current().pid();
    RunRecord run = store.runs().create(args[1], Trigger.MANUAL, null, List.of("teachers"));
    if (!store.runs().claim(run.id(), owner).applied()) {
      throw new IllegalStateException("could not claim " + run.id());
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("child-heartbeat").factory());
    timer.scheduleAtFixedRate(
        () -> store.runs().heartbeat(run.id(), owner, true), 200, 200, TimeUnit.MILLISECONDS);
    timer.schedule(() -> System.exit(3), 60, TimeUnit.SECONDS);
    System.out.println("ready " + run.id());
    System.out.flush();
  }
}
