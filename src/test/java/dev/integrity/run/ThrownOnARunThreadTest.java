package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18: whatever is thrown on a run's thread, in whatever stage, ends its entity or its run
 * {@code error} (the deadline: {@code timeout}) with a message a person can act on; never a wrong
 * success. A {@link RunProbe} throws once, at one stage; the rest is real (simulator over HTTP,
 * SQLite).
 */
class ThrownOnARunThreadTest {
  private static final String TOKEN = "patSecretToken1234567890.abcdef";

  @TempDir Path dir;
  private AirtableSimulator sim;
  private Dataset dataset;

  @BeforeEach
  void startSimulator() {
    dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 500));
    sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .rateLimitPerSecond(0)
            .token(TOKEN)
            .build()
            .start();
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  static Stream<Arguments> stagesAndThrowables() {
    Supplier<Error> oom = () -> new OutOfMemoryError("Java heap space");
    Supplier<Error> error = () -> new AssertionError("a bug");
    return Stream.of(
            RunStage.SCHEMA,
            RunStage.FETCH,
            RunStage.CHECK,
            RunStage.PERSIST,
            RunStage.HEARTBEAT,
            RunStage.ENDING)
        .flatMap(
            s ->
                Stream.of(
                    Arguments.of(s, "OutOfMemoryError", oom),
                    Arguments.of(s, "AssertionError", error)));
  }

  /**
   * Throws once at {@code stage} (for students, when the stage is an entity's), then stays quiet.
   */
  private static RunProbe throwOnce(RunStage stage, Supplier<Error> thrown) {
    AtomicBoolean done = new AtomicBoolean();
    // For the heartbeat, the students' fetch waits until the first beat has thrown, so the run is
    // still going when it does (an event, not a sleep).
    CountDownLatch beaten = new CountDownLatch(1);
    return (at, entity) -> {
      if (stage == RunStage.HEARTBEAT && at == RunStage.FETCH && "students".equals(entity)) {
        try {
          beaten.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      boolean entityStage = entity != null;
      if (at == stage
          && (!entityStage || entity.equals("students"))
          && done.compareAndSet(false, true)) {
        beaten.countDown();
        throw thrown.get();
      }
    };
  }

  @ParameterizedTest(name = "{1} while {0}")
  @MethodSource("stagesAndThrowables")
  void an_error_thrown_in_any_stage_ends_the_run_error_and_never_succeeded(
      RunStage stage, String kind, Supplier<Error> thrown) {
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(TestBases.env(sim, dir, 60))
            .config(config)
            .runProbe(throwOnce(stage, thrown))
            .build()) {
      RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
      RunRecord run = app.execute(queued.id());

      assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.ERROR);
      assertThat(run.error())
          .contains(
              kind.equals("OutOfMemoryError") ? "out of memory while" : "internal error while");
      if (kind.equals("OutOfMemoryError")) {
        assertThat(run.error()).contains("INTEGRITY_JAVA_OPTS");
      }
      List<EntityProgress> entities = app.store().runs().entities(run.id());
      assertThat(entities)
          .allSatisfy(
              e ->
                  assertThat(e.status())
                      .as(e.name())
                      .isNotIn(EntityStatus.PENDING, EntityStatus.FETCHING));
      if (stage == RunStage.FETCH || stage == RunStage.CHECK || stage == RunStage.PERSIST) {
        EntityProgress students =
            entities.stream().filter(e -> e.name().equals("students")).findFirst().orElseThrow();
        assertThat(students.checked()).isFalse();
        assertThat(students.error()).contains("while " + stage.doing() + " 'Students'");
        EntityProgress teachers =
            entities.stream().filter(e -> e.name().equals("teachers")).findFirst().orElseThrow();
        assertThat(teachers.checked()).as("the other entity goes on").isTrue();
        assertThat(run.error()).startsWith("checked 1 of 2 entities");
      }
    }
  }

  @org.junit.jupiter.api.Test
  void
      an_out_of_memory_while_saving_a_mirror_fails_that_entity_and_the_next_incremental_run_is_a_full_scan() {
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(450));
    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(TestBases.env(sim, dir, 60))
            .config(config)
            .runProbe(throwOnce(RunStage.MIRROR, () -> new OutOfMemoryError("Java heap space")))
            .build()) {
      RunRecord first =
          app.execute(app.start(null, Trigger.MANUAL, List.of(), RunMode.INCREMENTAL).id());

      assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.ERROR);
      assertThat(first.error()).contains("out of memory while").contains("INTEGRITY_JAVA_OPTS");
      List<EntityProgress> entities = app.store().runs().entities(first.id());
      assertThat(entities)
          .filteredOn(e -> e.name().equals("students"))
          .singleElement()
          .satisfies(e -> assertThat(e.checked()).isFalse());
      assertThat(entities)
          .filteredOn(e -> e.name().equals("teachers"))
          .singleElement()
          .satisfies(e -> assertThat(e.checked()).isTrue());
      // No webhook the half-saved mirror could be trusted with.
      assertThat(app.store().mirrors().webhook(dataset.baseId())).isEmpty();

      RunRecord next =
          app.execute(app.start(null, Trigger.MANUAL, List.of(), RunMode.INCREMENTAL).id());

      assertThat(next.status()).as(next.error()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(next.mode()).isEqualTo(RunMode.FULL);
      assertThat(next.modeReason()).isNotBlank();
    }
  }
}
