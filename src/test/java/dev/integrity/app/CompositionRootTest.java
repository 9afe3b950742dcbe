package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.reaper.Reaped;
import dev.integrity.run.RunListener;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The root wires listeners once and gives every ended run the same road. */
class CompositionRootTest {
  @TempDir Path dir;

  private final Dataset dataset = Dataset.synthetic(Map.of("Teachers", 50, "Students", 50));
  @RegisterExtension final CapturedLogs logs = CapturedLogs.root();
  private AirtableSimulator sim;

  @BeforeEach
  void start() {
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /** Records what it hears; thread-safe because runs end on engine and sweeper threads. */
  private static final class Heard implements RunListener {
    final List<String> submitted = new CopyOnWriteArrayList<>();
    final List<RunRecord> ended = new CopyOnWriteArrayList<>();

    @Override
    public void onRunSubmitted(RunRecord run) {
      submitted.add(run.id());
    }

    @Override
    public void onEntityProgress(String runId, EntityProgress progress) {}

    @Override
    public void onRunEnded(RunRecord run) {
      ended.add(run);
    }
  }

  private IntegrityApp.Builder builder(Map<String, String> env) {
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    return IntegrityApp.builder().environment(env).config(config);
  }

  @Test
  void a_run_the_reaper_ends_reaches_the_same_listeners_as_one_its_engine_ends() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
    Heard heard = new Heard();
    try (IntegrityApp app =
        builder(TestBases.env(sim, dir, 30)).clock(clock).runListener(heard).build()) {
      String finished = app.runOnce(List.of(), RunMode.FULL).id();
      // A queued run nobody claims: its owner is lost once the heartbeat staleness has passed.
      RunRecord orphan = app.start(null, Trigger.API, List.of(), RunMode.FULL);
      clock.advance(Duration.ofSeconds(11));

      List<Reaped> reaped = app.reap(false);

      assertThat(reaped).extracting(Reaped::runId).containsExactly(orphan.id());
      assertThat(heard.submitted).containsExactly(finished, orphan.id());
      assertThat(heard.ended).extracting(RunRecord::id).containsExactly(finished, orphan.id());
      assertThat(heard.ended.get(1).status()).isEqualTo(RunStatus.ERROR);
    }
  }

  @Test
  void a_dry_run_sweep_ends_nothing_and_tells_no_listener() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
    Heard heard = new Heard();
    try (IntegrityApp app =
        builder(TestBases.env(sim, dir, 30)).clock(clock).runListener(heard).build()) {
      RunRecord orphan = app.start(null, Trigger.API, List.of(), RunMode.FULL);
      clock.advance(Duration.ofSeconds(11));

      assertThat(app.reap(true)).extracting(Reaped::runId).containsExactly(orphan.id());
      assertThat(heard.ended).isEmpty();
      assertThat(app.store().runs().find(orphan.id()).orElseThrow().status())
          .isEqualTo(RunStatus.QUEUED);
    }
  }

  @Test
  void the_settings_and_each_limit_fitted_to_them_are_logged_once_with_secrets_masked() {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
    // Only the run deadline is the user's: the default request deadline (300 s) must fit under it.
    env.remove("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
    env.put("INTEGRITY_DB_PASSWORD", "db-s3cret");
    env.put("INTEGRITY_API_TOKEN", "api-s3cret");

    String flagged = "jdbc:sqlite:" + dir.resolve("from-the-flag.db");
    try (IntegrityApp app = builder(env).dbUrl(flagged).build()) {
      assertThat(app.settings().limits().requestTimeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(app.settings().store().url()).isEqualTo(flagged);
    }

    List<String> lines = logs.messages();
    // One line, naming the store actually opened (the --db flag's), not INTEGRITY_DB_URL's.
    assertThat(lines.stream().filter(l -> l.startsWith("settings: ")))
        .singleElement()
        .asString()
        .contains(flagged);
    assertThat(
            lines.stream()
                .filter(l -> l.contains("AIRTABLE_REQUEST_TIMEOUT_SECONDS left at its default")))
        .hasSize(1);
    assertThat(String.join("\n", lines))
        .doesNotContain("db-s3cret")
        .doesNotContain("api-s3cret")
        .doesNotContain(sim.token());
  }
}
