package dev.integrity.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.testing.TestBases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty bases in one app, each its own simulator answering every request after a fixed latency:
 * their runs fetch side by side, not eight at a time as when one fixed pool of eight fetch threads
 * served every run in the process. Concurrency is read from the simulators' request logs (how many
 * list requests arrived within one latency of each other, so were in flight together), not from
 * timings.
 */
class ManyBasesConcurrencyTest {
  private static final int BASES = 20;
  private static final Duration LATENCY = Duration.ofMillis(800);
  private static final int OLD_FETCH_THREADS = 8;

  @TempDir Path dir;
  private final List<AirtableSimulator> sims = new ArrayList<>();

  @AfterEach
  void stop() {
    sims.forEach(AirtableSimulator::close);
  }

  @Test
  void twentyBasesListTheirTablesAtOnceNotEightAtATime() throws Exception {
    List<Path> configs = new ArrayList<>();
    List<String> baseIds = new ArrayList<>();
    for (int i = 0; i < BASES; i++) {
      String baseId = "appManyBasesTst" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
      AirtableSimulator sim =
          AirtableSimulator.builder()
              .dataset(Dataset.of(baseId, Dataset.synthetic(Map.of("Rows", 200)).tables()))
              .latency(LATENCY)
              .build()
              .start();
      sims.add(sim);
      baseIds.add(baseId);
      Path config = dir.resolve("base-" + i + ".yml");
      Files.writeString(
          config,
          """
          airtable:
            baseId: %s
            token: ${AIRTABLE_TOKEN}
            baseUrl: %s
          entities:
            rows:
              table: Rows
              checks:
                - required: [Name]
          """
              .formatted(baseId, sim.baseUrl()));
      configs.add(config);
    }
    Map<String, String> env = TestBases.env(sims.getFirst(), dir, 60);
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "20");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "20");
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "5");
    env.remove("AIRTABLE_BASE_URL"); // each config names its own simulator

    List<RunRecord> ended = new ArrayList<>();
    try (IntegrityApp app = IntegrityApp.builder().environment(env).configs(configs).build();
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<RunRecord>> runs = new ArrayList<>();
      for (String baseId : baseIds) {
        RunRecord queued = app.start(baseId, Trigger.MANUAL, List.of(), RunMode.FULL);
        runs.add(callers.submit(() -> app.execute(queued.id())));
      }
      for (Future<RunRecord> run : runs) {
        ended.add(run.get());
      }
    }

    assertThat(ended).extracting(RunRecord::status).containsOnly(RunStatus.SUCCEEDED);
    List<Long> listArrivals = new ArrayList<>();
    for (AirtableSimulator sim : sims) {
      List<RequestLog> lists =
          sim.requests().stream().filter(r -> r.tableIdOrName() != null).toList();
      // Two pages, read as first page then partitions on a first night: at least two requests.
      assertThat(lists).as("list requests of one base").hasSizeGreaterThanOrEqualTo(2);
      assertThat(lists).extracting(RequestLog::status).containsOnly(200);
      lists.forEach(r -> listArrivals.add(r.arrivalNanos()));
    }
    assertThat(mostInFlightAtOnce(listArrivals)).isGreaterThan(OLD_FETCH_THREADS);
  }

  /** The most requests that arrived within one latency of each other: all in flight together. */
  private static int mostInFlightAtOnce(List<Long> arrivals) {
    List<Long> sorted = arrivals.stream().sorted().toList();
    int most = 0;
    int from = 0;
    for (int to = 0; to < sorted.size(); to++) {
      while (sorted.get(to) - sorted.get(from) >= LATENCY.toNanos()) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }
}
