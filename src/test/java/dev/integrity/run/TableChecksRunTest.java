package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.Fault;
import dev.integrity.sim.SimTable;
import dev.integrity.store.EntityCount;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 end to end: {@code volume} and {@code freshness} in runs against the simulator over real
 * sockets, with a real SQLite store for the history and the run's injected clock for the ages. A
 * table issue is new, persisting and resolved like any other, and resolved only by a run that
 * judged its check and found the table fine.
 */
class TableChecksRunTest {
  private static final String ENTITIES =
      """
        students:
          table: Students
          checks:
            - volume: {maxDrop: 10}
            - freshness: {field: createdTime, maxAge: 7d}
      """;

  @TempDir Path dir;

  /** The synthetic records were created on 2024-01-01 in the first minutes of the day. */
  private final MutableClock clock = new MutableClock(Instant.parse("2024-01-05T00:00:00Z"));

  private AirtableSimulator sim;
  private SimTable students;

  @BeforeEach
  void start() {
    Dataset data = Dataset.synthetic(Map.of("Students", 100));
    students = data.tables().getFirst();
    sim =
        AirtableSimulator.builder()
            .dataset(data)
            .rateLimitPerSecond(0)
            .clock(clock)
            .scopes(AirtableSimulator.ALL_SCOPES)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private IntegrityApp app() {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 30));
    env.put("AIRTABLE_MAX_RETRIES", "1");
    Path config = TestBases.config(dir, sim.dataset().baseId(), ENTITIES);
    return IntegrityApp.builder().environment(env).clock(clock).config(config).build();
  }

  private static RunRecord run(IntegrityApp app, RunMode mode) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), mode);
    return app.execute(queued.id());
  }

  private static List<String> issues(IntegrityApp app, RunRecord run) {
    return app.store().issues().list(run.id(), IssueFilter.ALL, 100, 0).stream()
        .map(i -> i.checkId() + " " + i.state() + ": " + i.message())
        .toList();
  }

  private void destroy(int count) {
    Edits edits = Edits.begin();
    for (AirtableRecord r : students.records().subList(0, count)) {
      edits.destroy("Students", r.id());
    }
    sim.apply(edits);
  }

  @Test
  void a_drop_is_a_table_issue_that_an_unchecked_run_keeps_open_and_a_judged_run_resolves() {
    try (IntegrityApp app = app()) {
      RunRecord first = run(app, RunMode.FULL);
      assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(issues(app, first)).isEmpty();

      destroy(20);
      clock.advance(Duration.ofHours(1));
      RunRecord dropped = run(app, RunMode.FULL);
      List<IssueRow> found = app.store().issues().list(dropped.id(), IssueFilter.ALL, 100, 0);
      assertThat(found)
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.entity()).isEqualTo("students");
                assertThat(i.recordId()).isEmpty();
                assertThat(i.field()).isNullOrEmpty();
                assertThat(i.checkId()).isEqualTo("volume");
                assertThat(i.state()).isEqualTo(IssueRow.NEW);
                assertThat(i.message())
                    .isEqualTo("80 records, 20% fewer than the 100 of the last run (maxDrop 10%)");
                assertThat(i.url())
                    .isEqualTo(
                        "https://airtable.com/" + sim.dataset().baseId() + "/" + students.id());
              });

      // The table is down: the entity is not checked, its issue neither resolved nor counted,
      // and its run is no part of the history.
      clock.advance(Duration.ofHours(1));
      RunRecord down;
      try (var outage = sim.faults().forTable("Students").down(Fault.serverError(500))) {
        down = run(app, RunMode.FULL);
      }
      assertThat(down.status()).isEqualTo(RunStatus.ERROR);
      assertThat(app.store().runs().entities(down.id()))
          .extracting(EntityProgress::checked)
          .containsExactly(false);
      assertThat(issues(app, down)).isEmpty();

      // Same 80 records as the last run that checked the table: the drop is over, resolved.
      clock.advance(Duration.ofHours(1));
      RunRecord steady = run(app, RunMode.FULL);
      assertThat(issues(app, steady))
          .containsExactly(
              "volume resolved: 80 records, 20% fewer than the 100 of the last run (maxDrop 10%)");
      assertThat(
              app.store().runs().checkedCounts(sim.dataset().baseId(), "students", steady.id(), 30))
          .extracting(EntityCount::runId, EntityCount::records)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(steady.id(), 80L),
              org.assertj.core.groups.Tuple.tuple(dropped.id(), 80L),
              org.assertj.core.groups.Tuple.tuple(first.id(), 100L));
    }
  }

  @Test
  void freshness_ages_at_the_runs_clock_and_a_fresh_record_resolves_it() {
    try (IntegrityApp app = app()) {
      // The mirror of incremental runs keeps no creation time: such a check makes them full.
      RunRecord fresh = run(app, RunMode.INCREMENTAL);
      assertThat(fresh.mode()).isEqualTo(RunMode.FULL);
      assertThat(fresh.modeReason())
          .isEqualTo(
              "entity students checks freshness:createdTime, the records' creation time, which"
                  + " the mirror does not keep");
      assertThat(issues(app, fresh)).isEmpty();

      // The newest record was created on 2024-01-01 at 00:01:40; 8 days on it is stale.
      clock.set(Instant.parse("2024-01-09T00:00:00Z"));
      RunRecord stale = run(app, RunMode.FULL);
      assertThat(issues(app, stale))
          .containsExactly(
              "freshness:createdTime new: newest creation time is 2024-01-01T00:01:40Z,"
                  + " 7d 23h old at the run's start (maxAge 7d)");

      // A record created now makes the table fresh: resolved.
      clock.advance(Duration.ofMinutes(1));
      sim.apply(Edits.begin().create("Students", Map.of("Name", "New", "Number", 101)));
      clock.advance(Duration.ofMinutes(1));
      RunRecord again = run(app, RunMode.INCREMENTAL);
      assertThat(again.mode()).isEqualTo(RunMode.FULL);
      assertThat(issues(app, again))
          .containsExactly(
              "freshness:createdTime resolved: newest creation time is 2024-01-01T00:01:40Z,"
                  + " 7d 23h old at the run's start (maxAge 7d)");
    }
  }
}
