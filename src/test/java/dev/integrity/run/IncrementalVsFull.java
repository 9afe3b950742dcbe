package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Two stores fed by one simulator under one clock, over {@link EveryFieldTypeBase}: one follows the
 * base incrementally (webhook payloads into its mirror), the other reads it whole; after each
 * random edit script both run, and their issues (with states and first-seen times) and counts must
 * be equal. Drives {@code EveryFieldTypeIncrementalTest} and {@code bench.EveryFieldTypeBenchmark}.
 * Stateless.
 */
public final class IncrementalVsFull {
  /** Told of each compared pair of runs, for a benchmark's figures. */
  public interface Observer {
    void compared(int script, RunRecord incremental, RunRecord full);
  }

  private IncrementalVsFull() {}

  /**
   * Runs {@code scripts} scripts from {@code seed}, comparing after each; answers the check ids
   * that found issues and the states issues had ({@code state:new}, …), over all scripts.
   */
  public static Set<String> run(Path dir, long seed, int scripts, Observer observer) {
    Set<String> seen = new TreeSet<>();
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    Random random = new Random(seed);
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(EveryFieldTypeBase.base(random, 6, 24))
                .rateLimitPerSecond(0)
                .clock(clock)
                .build()
                .start();
        IntegrityApp incremental = app(sim, dir, clock, "incremental-" + seed + ".db");
        IntegrityApp full = app(sim, dir, clock, "full-" + seed + ".db")) {
      RunRecord first = succeeded(incremental, RunMode.INCREMENTAL);
      assertThat(first.mode()).isEqualTo(RunMode.FULL);
      succeeded(full, RunMode.FULL);
      for (int script = 0; script < scripts; script++) {
        clock.advance(Duration.ofMinutes(10));
        EveryFieldTypeBase.script(sim, random, script);
        clock.advance(Duration.ofMinutes(1));
        RunRecord inc = succeeded(incremental, RunMode.INCREMENTAL);
        RunRecord ref = succeeded(full, RunMode.FULL);

        assertThat(inc.mode())
            .as("seed %d script %d: %s", seed, script, inc.modeReason())
            .isEqualTo(RunMode.INCREMENTAL);
        assertThat(issues(incremental, inc.id()))
            .as("seed %d script %d", seed, script)
            .isEqualTo(issues(full, ref.id()));
        IssueSummary a = incremental.store().issues().summary(inc.id());
        IssueSummary b = full.store().issues().summary(ref.id());
        assertThat(List.of(a.total(), a.newCount(), a.resolvedCount()))
            .as("seed %d script %d: total, new, resolved", seed, script)
            .isEqualTo(List.of(b.total(), b.newCount(), b.resolvedCount()));
        observer.compared(script, inc, ref);
        full.store()
            .issues()
            .forEach(
                ref.id(),
                IssueFilter.ALL,
                i -> {
                  seen.add(i.checkId());
                  seen.add("state:" + i.state());
                });
      }
    }
    return seen;
  }

  private static IntegrityApp app(AirtableSimulator sim, Path dir, MutableClock clock, String db) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve(db));
    Path config = TestBases.config(dir, EveryFieldTypeBase.BASE, EveryFieldTypeBase.ENTITIES);
    return IntegrityApp.builder().environment(env).clock(clock).config(config).build();
  }

  /** Runs {@code app} once in {@code mode} to its end, which must be {@code succeeded}. */
  static RunRecord succeeded(IntegrityApp app, RunMode mode) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), mode);
    RunRecord ended = app.execute(queued.id());
    assertThat(ended.status())
        .as("run %s: %s", ended.id(), ended.error())
        .isEqualTo(RunStatus.SUCCEEDED);
    return ended;
  }

  /** A run's issues as comparable lines: entity, record, check, field, state, first seen, text. */
  private static Set<String> issues(IntegrityApp app, String runId) {
    Set<String> out = new TreeSet<>();
    app.store()
        .issues()
        .forEach(
            runId,
            IssueFilter.ALL,
            i ->
                out.add(
                    String.join(
                        " | ",
                        i.entity(),
                        i.recordId(),
                        i.checkId(),
                        String.valueOf(i.field()),
                        i.state(),
                        String.valueOf(i.firstSeenAt()),
                        i.message())));
    return out;
  }
}
