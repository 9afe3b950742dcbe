package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.sim.RequestLog;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch plan in the engine, over sockets against the simulator: a second run reads as the first
 * run's figures say (largest first, a slow big table as partitions side by side, projected fields,
 * the entity's filter), and finds what an unplanned run finds.
 */
class PlannedRunTest {
  @TempDir Path dir;
  private AirtableSimulator sim;

  /** Teachers: 1 page; Students: 10 pages of 40 ms each, slower alone than the base's floor. */
  private void start(Duration latency) {
    Dataset data = Dataset.synthetic(Map.of("Teachers", 100, "Students", 1_000));
    sim =
        AirtableSimulator.builder()
            .dataset(data)
            .latency(latency)
            .rateLimitPerSecond(0)
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private IntegrityApp app(String entities, int ratePerSecond) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", Integer.toString(ratePerSecond));
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "10");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "10");
    Path config = TestBases.config(dir, sim.dataset().baseId(), entities);
    return IntegrityApp.builder().environment(env).config(config).build();
  }

  private static final String TEACHERS_AND_STUDENTS =
      """
        teachers:
          table: Teachers
          checks:
            - required: [Name]
        students:
          table: Students
          checks:
            - range: {field: Number, min: 1, max: 900}
      """;

  private static RunRecord run(IntegrityApp app) {
    RunRecord queued = app.start(null, Trigger.MANUAL, List.of(), RunMode.FULL);
    RunRecord ended = app.execute(queued.id());
    assertThat(ended.status())
        .as("run %s: %s", ended.id(), ended.error())
        .isEqualTo(RunStatus.SUCCEEDED);
    return ended;
  }

  private static EntityProgress entity(IntegrityApp app, String runId, String name) {
    return app.store().runs().entities(runId).stream()
        .filter(e -> e.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private List<RequestLog> listRequests(String table) {
    return sim.requests().stream().filter(r -> table.equals(r.tableIdOrName())).toList();
  }

  private static Set<String> issues(IntegrityApp app, String runId) {
    return app.store().issues().list(runId, IssueFilter.ALL, 100_000, 0).stream()
        .map(i -> i.entity() + "/" + i.recordId() + "/" + i.checkId() + "/" + i.message())
        .collect(Collectors.toSet());
  }

  @Test
  void the_second_run_starts_with_the_table_that_had_the_most_pages_last_time() {
    start(Duration.ZERO);
    // A slow rate: every first page waits for a slot after the schema request, so the limiter,
    // not thread start-up, decides which goes first.
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS, 5)) {
      RunRecord first = run(app);
      assertThat(entity(app, first.id(), "students").pages()).isEqualTo(10);
      sim.clearRequests();

      run(app);

      List<RequestLog> pages =
          sim.requests().stream().filter(r -> r.tableIdOrName() != null).toList();
      assertThat(pages.getFirst().tableIdOrName()).isEqualTo("Students");
      // Which table takes later slots depends on who is waiting when each opens (a table busy
      // saving its page is not): BaseRateLimiterTest pins the priority down with a fake ticker.
    }
  }

  @Test
  void a_slow_big_table_is_read_as_partitions_once_and_finds_what_a_whole_table_read_finds() {
    start(Duration.ofMillis(40));
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS, 50)) {
      RunRecord first = run(app);
      EntityProgress students = entity(app, first.id(), "students");
      assertThat(students.pageLatencyMs()).isNotNull().isGreaterThanOrEqualTo(40L);
      assertThat(entity(app, first.id(), "teachers").pageLatencyMs()).isNotNull();
      // A first run reads Students from its first page, whole, then as partitions (FirstNightTest).
      assertThat(listRequests("Students").getFirst().parameter("filterByFormula")).isEmpty();
      sim.clearRequests();

      RunRecord second = run(app);

      Set<String> formulas =
          listRequests("Students").stream()
              .flatMap(r -> r.parameter("filterByFormula").stream())
              .collect(Collectors.toSet());
      assertThat(formulas).hasSizeGreaterThanOrEqualTo(2);
      assertThat(formulas)
          .allSatisfy(f -> assertThat(f).contains("REGEX_MATCH(RECORD_ID(),\"^rec["));
      assertThat(listRequests("Teachers"))
          .allSatisfy(r -> assertThat(r.parameter("filterByFormula")).isEmpty());
      assertThat(entity(app, second.id(), "students").records()).isEqualTo(1_000);
      assertThat(entity(app, second.id(), "students").issues()).isEqualTo(100);
      assertThat(issues(app, second.id())).isEqualTo(issues(app, first.id()));
      assertThat(entity(app, second.id(), "students").pageLatencyMs()).isNotNull();
    }
  }

  @Test
  void the_entity_filter_is_combined_with_each_partition() {
    start(Duration.ofMillis(40));
    String entities =
        """
          teachers:
            table: Teachers
            checks:
              - required: [Name]
          students:
            table: Students
            filter: 'NOT(REGEX_MATCH({Name}, "5$"))'
            checks:
              - range: {field: Number, min: 1, max: 900}
        """;
    try (IntegrityApp app = app(entities, 50)) {
      RunRecord first = run(app);
      assertThat(entity(app, first.id(), "students").records()).isEqualTo(900);
      sim.clearRequests();

      RunRecord second = run(app);

      Set<String> formulas =
          listRequests("Students").stream()
              .flatMap(r -> r.parameter("filterByFormula").stream())
              .collect(Collectors.toSet());
      assertThat(formulas).hasSizeGreaterThanOrEqualTo(2);
      assertThat(formulas)
          .allSatisfy(f -> assertThat(f).startsWith("AND(NOT(REGEX_MATCH({Name}, \"5$\")),"));
      assertThat(entity(app, second.id(), "students").records()).isEqualTo(900);
      assertThat(issues(app, second.id())).isEqualTo(issues(app, first.id()));
    }
  }

  @Test
  void every_list_request_asks_for_exactly_the_fields_the_checks_name_unless_fields_all() {
    start(Duration.ZERO);
    String entities =
        """
          teachers:
            table: Teachers
            fields: all
            checks:
              - required: [Name]
          students:
            table: Students
            checks:
              - range: {field: Number, min: 1, max: 900}
        """;
    try (IntegrityApp app = app(entities, 50)) {
      run(app);

      // 10 pages; more when the first run read Students as partitions after its first page.
      assertThat(listRequests("Students")).hasSizeGreaterThanOrEqualTo(10);
      assertThat(listRequests("Students"))
          .allSatisfy(r -> assertThat(r.parameter("fields[]")).containsExactly("Name", "Number"));
      assertThat(listRequests("Teachers"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.parameter("fields[]")).isEmpty());
    }
  }

  @Test
  void an_expired_offset_in_one_partition_restarts_only_that_partition() {
    start(Duration.ofMillis(40));
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS, 50)) {
      RunRecord first = run(app);
      sim.clearRequests();
      sim.faults().forTable("Students").next(1, Fault.expireOffset());

      RunRecord second = run(app);

      Map<String, Long> firstPagesByPartition = new LinkedHashMap<>();
      for (RequestLog r : listRequests("Students")) {
        if (r.parameter("offset").isEmpty()) {
          firstPagesByPartition.merge(r.parameter("filterByFormula").getFirst(), 1L, Long::sum);
        }
      }
      assertThat(firstPagesByPartition).hasSizeGreaterThanOrEqualTo(2);
      assertThat(firstPagesByPartition.values().stream().filter(n -> n == 2).count()).isEqualTo(1);
      assertThat(firstPagesByPartition.values().stream().filter(n -> n == 1).count())
          .isEqualTo(firstPagesByPartition.size() - 1);
      assertThat(entity(app, second.id(), "students").records()).isEqualTo(1_000);
      assertThat(issues(app, second.id())).isEqualTo(issues(app, first.id()));
    }
  }
}
