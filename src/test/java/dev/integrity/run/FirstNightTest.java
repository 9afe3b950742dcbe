package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.app.IntegrityApp;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.plan.FetchPlanner;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.sim.RequestLog;
import dev.integrity.sim.SimTable;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.LastEntityFetch;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first night of a base, over sockets against the simulator: a table no run has fetched is read
 * from its first page; one page ends it, more pages make it record-id partitions, every record
 * counted once (with the entity's filter and view too); the figures it records are the table's, and
 * the next run is planned from them.
 */
class FirstNightTest {
  @TempDir Path dir;
  private AirtableSimulator sim;

  /** Teachers: 1 page (exactly 100 records); Students: 10 pages, 40 ms each. */
  private void start(Dataset data) {
    start(data, Duration.ofMillis(40));
  }

  private void start(Dataset data, Duration latency) {
    sim =
        AirtableSimulator.builder()
            .dataset(data)
            .latency(latency)
            .rateLimitPerSecond(0)
            .build()
            .start();
  }

  private static Dataset teachersAndStudents() {
    return Dataset.synthetic(Map.of("Teachers", 100, "Students", 1_000));
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private IntegrityApp app(String entities) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
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

  private static boolean firstPage(RequestLog r) {
    return r.parameter("offset").isEmpty();
  }

  private static Set<String> formulas(List<RequestLog> requests) {
    return requests.stream()
        .flatMap(r -> r.parameter("filterByFormula").stream())
        .collect(Collectors.toSet());
  }

  /** Record ids with a Number over 900: the issues of the range check, one each. */
  private static Set<String> issueRecords(IntegrityApp app, String runId, String entity) {
    return app.store().issues().list(runId, IssueFilter.ALL, 100_000, 0).stream()
        .filter(i -> i.entity().equals(entity))
        .map(i -> i.recordId())
        .collect(Collectors.toSet());
  }

  private Set<String> recordsOver(String table, int number) {
    return sim.dataset().table(table).orElseThrow().records().stream()
        .filter(r -> ((Number) r.fields().get("Number")).intValue() > number)
        .map(AirtableRecord::id)
        .collect(Collectors.toSet());
  }

  private AirtableClient client(int ratePerSecond) {
    return new AirtableClient(
        AirtableSettings.builder()
            .baseUrl(sim.baseUrl())
            .token(new Secret(sim.token()))
            .rateLimitPerSecond(ratePerSecond)
            .build(),
        Ticker.system(),
        AirtableListener.none());
  }

  private Set<String> ids(String table) {
    return sim.dataset().table(table).orElseThrow().records().stream()
        .map(AirtableRecord::id)
        .collect(Collectors.toSet());
  }

  private Set<String> recordsNamedWith(String table, String lastDigit) {
    return sim.dataset().table(table).orElseThrow().records().stream()
        .filter(r -> r.fields().get("Name").toString().endsWith(lastDigit))
        .map(AirtableRecord::id)
        .collect(Collectors.toSet());
  }

  @Test
  void aFirstRunReadsAMultiPageTableFromItsFirstPageThenAsPartitionsAndChecksEveryRecordOnce() {
    start(teachersAndStudents());
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS)) {
      RunRecord first = run(app);

      List<RequestLog> students = listRequests("Students");
      // The first page alone, whole: no formula, no offset.
      assertThat(students.getFirst().parameter("filterByFormula")).isEmpty();
      assertThat(students.getFirst().parameter("offset")).isEmpty();
      // Then the partitions, each from its own first page, each with its record-id range.
      List<RequestLog> rest = students.subList(1, students.size());
      assertThat(rest).allSatisfy(r -> assertThat(r.parameter("filterByFormula")).hasSize(1));
      Set<String> formulas = formulas(rest);
      assertThat(formulas).hasSizeGreaterThanOrEqualTo(2);
      assertThat(formulas).allSatisfy(f -> assertThat(f).contains("REGEX_MATCH(RECORD_ID(),"));
      // Each leaves out the first page's records it would select: none is read twice.
      assertThat(formulas).allSatisfy(f -> assertThat(f).contains(",NOT(OR(RECORD_ID()=\"rec"));
      assertThat(rest.stream().filter(FirstNightTest::firstPage).count())
          .isEqualTo(formulas.size());
      EntityProgress progress = entity(app, first.id(), "students");
      assertThat(progress.records()).isEqualTo(1_000);
      assertThat(progress.issues()).isEqualTo(100);
      assertThat(issueRecords(app, first.id(), "students")).isEqualTo(recordsOver("Students", 900));
    }
  }

  @Test
  void aOnePageTableIsReadWithOneRequestAndNotSplit() {
    start(teachersAndStudents());
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS)) {
      RunRecord first = run(app);

      List<RequestLog> teachers = listRequests("Teachers");
      assertThat(teachers).hasSize(1);
      assertThat(teachers.getFirst().parameter("filterByFormula")).isEmpty();
      assertThat(entity(app, first.id(), "teachers").records()).isEqualTo(100);
      assertThat(entity(app, first.id(), "teachers").pages()).isEqualTo(1);
    }
  }

  @Test
  void aMultiPageTableWhoseOneIterationKeepsUpWithTheRateIsReadOnFromItsFirstPage() {
    start(teachersAndStudents(), Duration.ZERO);
    try (AirtableClient client = client(50)) {
      FetchPlanner planner = new FetchPlanner();
      var plan = planner.plan(List.of("students"), Map.of(), 0.1).table("students");
      // At 0.1 request a second, one iteration keeps the rate busy unless a page takes 10 s.
      PartitionedFetch fetch =
          new PartitionedFetch(
              client,
              sim.dataset().baseId(),
              plan,
              null,
              null,
              null,
              latency -> planner.afterFirstPage("students", latency, 0.1));
      List<long[]> seen = new ArrayList<>();

      EntityFetcher.Fetched fetched =
          fetch.fetch("Students", FetchControl.create(), (r, p) -> seen.add(new long[] {r, p}));

      List<RequestLog> students = listRequests("Students");
      assertThat(students).hasSize(10);
      assertThat(students).allSatisfy(r -> assertThat(r.parameter("filterByFormula")).isEmpty());
      assertThat(students.stream().filter(FirstNightTest::firstPage).count()).isEqualTo(1);
      assertThat(fetched.records().stream().map(AirtableRecord::id).collect(Collectors.toSet()))
          .isEqualTo(ids("Students"))
          .hasSize(fetched.records().size());
      assertThat(fetched.pages()).isEqualTo(10);
      assertThat(fetched.requests()).isEqualTo(10);
      assertThat(seen.stream().map(e -> e[1]).toList())
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
  }

  @Test
  void anOffsetThatExpiresWhileReadingOnRestartsTheListingAndCountsEveryRecordOnce() {
    start(teachersAndStudents(), Duration.ZERO);
    sim.faults().forTable("Students").next(1, Fault.expireOffset());
    try (AirtableClient client = client(50)) {
      FetchPlanner planner = new FetchPlanner();
      var plan = planner.plan(List.of("students"), Map.of(), 0.1).table("students");
      PartitionedFetch fetch =
          new PartitionedFetch(
              client,
              sim.dataset().baseId(),
              plan,
              null,
              null,
              null,
              latency -> planner.afterFirstPage("students", latency, 0.1));

      EntityFetcher.Fetched fetched = fetch.fetch("Students", FetchControl.create(), (r, p) -> {});

      // The first page, its offset refused, then the listing again from page 1: 1 + 1 + 10.
      assertThat(listRequests("Students")).hasSize(12);
      assertThat(fetched.records()).hasSize(1_000);
      assertThat(fetched.records().stream().map(AirtableRecord::id).collect(Collectors.toSet()))
          .isEqualTo(ids("Students"));
      assertThat(fetched.pages()).isEqualTo(10);
    }
  }

  @Test
  void theFiguresOfTheFirstRunAreTheTablesPagesAndTheSecondRunIsPlannedFromThem() {
    start(teachersAndStudents());
    try (IntegrityApp app = app(TEACHERS_AND_STUDENTS)) {
      RunRecord first = run(app);
      int firstRequests = listRequests("Students").size();

      EntityProgress students = entity(app, first.id(), "students");
      // The table's 10 pages, not the 11 or more requests its first page and partitions took.
      assertThat(firstRequests).isGreaterThan(10);
      assertThat(students.pages()).isEqualTo(10);
      assertThat(students.pageLatencyMs()).isNotNull().isGreaterThanOrEqualTo(40L);
      LastEntityFetch last =
          app.store().runs().lastFetch(sim.dataset().baseId(), "students").orElseThrow();
      assertThat(last.pages()).isEqualTo(10);
      sim.clearRequests();

      RunRecord second = run(app);

      // Planned: 10 pages x 40 ms alone are over the floor of 11 pages at 50 per s (0.22 s), so
      // the table is read straight away as partitions; no first page is set aside.
      List<RequestLog> again = listRequests("Students");
      assertThat(again).allSatisfy(r -> assertThat(r.parameter("filterByFormula")).hasSize(1));
      assertThat(again.stream().filter(FirstNightTest::firstPage).count())
          .isEqualTo(formulas(again).size());
      assertThat(listRequests("Teachers")).hasSize(1);
      assertThat(entity(app, second.id(), "students").pages()).isEqualTo(10);
      assertThat(issueRecords(app, second.id(), "students"))
          .isEqualTo(issueRecords(app, first.id(), "students"));
    }
  }

  @Test
  void withAFilterTheFirstPageCarriesItAloneAndEachPartitionIsAndOfFilterAndRange() {
    start(teachersAndStudents());
    String entities =
        """
          students:
            table: Students
            filter: 'NOT(REGEX_MATCH({Name}, "5$"))'
            checks:
              - range: {field: Number, min: 1, max: 900}
        """;
    try (IntegrityApp app = app(entities)) {
      RunRecord first = run(app);

      List<RequestLog> students = listRequests("Students");
      assertThat(students.getFirst().parameter("filterByFormula"))
          .containsExactly("NOT(REGEX_MATCH({Name}, \"5$\"))");
      Set<String> formulas = formulas(students.subList(1, students.size()));
      assertThat(formulas).hasSizeGreaterThanOrEqualTo(2);
      assertThat(formulas)
          .allSatisfy(f -> assertThat(f).contains("AND(NOT(REGEX_MATCH({Name}, \"5$\")),"));
      EntityProgress progress = entity(app, first.id(), "students");
      assertThat(progress.records()).isEqualTo(900);
      assertThat(progress.pages()).isEqualTo(9);
      Set<String> expected = recordsOver("Students", 900);
      expected.removeAll(recordsNamedWith("Students", "5"));
      assertThat(issueRecords(app, first.id(), "students")).isEqualTo(expected).hasSize(90);
    }
  }

  @Test
  void throughAViewTheFirstPageAndEveryPartitionReadOnlyTheViewsRecords() {
    Dataset plain = teachersAndStudents();
    List<SimTable> tables = new ArrayList<>();
    for (SimTable t : plain.tables()) {
      tables.add(
          t.name().equals("Students")
              ? t.withView("No sevens", "NOT(REGEX_MATCH({Name}, \"7$\"))")
              : t);
    }
    start(Dataset.of(plain.baseId(), tables));
    String entities =
        """
          students:
            table: Students
            view: No sevens
            checks:
              - range: {field: Number, min: 1, max: 900}
        """;
    try (IntegrityApp app = app(entities)) {
      RunRecord first = run(app);

      List<RequestLog> students = listRequests("Students");
      assertThat(students)
          .allSatisfy(r -> assertThat(r.parameter("view")).containsExactly("No sevens"));
      assertThat(formulas(students)).hasSizeGreaterThanOrEqualTo(2);
      EntityProgress progress = entity(app, first.id(), "students");
      assertThat(progress.records()).isEqualTo(900);
      assertThat(progress.pages()).isEqualTo(9);
      Set<String> expected = recordsOver("Students", 900);
      expected.removeAll(recordsNamedWith("Students", "7"));
      assertThat(issueRecords(app, first.id(), "students")).isEqualTo(expected).hasSize(90);
    }
  }

  @Test
  void progressNeverGoesDownAndEndsAtTheTablesRecordsAndPages() {
    start(teachersAndStudents());
    try (AirtableClient client = client(50)) {
      FetchPlanner planner = new FetchPlanner();
      var plan = planner.plan(List.of("students"), Map.of(), 50).table("students");
      PartitionedFetch fetch =
          new PartitionedFetch(client, sim.dataset().baseId(), plan, null, null, null, planner, 50);
      List<long[]> seen = new ArrayList<>();

      EntityFetcher.Fetched fetched =
          fetch.fetch(
              "Students",
              FetchControl.create(),
              (records, pages) -> {
                synchronized (seen) {
                  seen.add(new long[] {records, pages});
                }
              });

      Set<String> ids =
          fetched.records().stream().map(AirtableRecord::id).collect(Collectors.toSet());
      assertThat(fetched.records()).hasSize(1_000);
      assertThat(ids).isEqualTo(ids("Students"));
      assertThat(fetched.pages()).isEqualTo(10);
      assertThat(fetched.requests()).isEqualTo(listRequests("Students").size()).isGreaterThan(10);
      for (int i = 1; i < seen.size(); i++) {
        assertThat(seen.get(i)[0]).isGreaterThanOrEqualTo(seen.get(i - 1)[0]);
        assertThat(seen.get(i)[1]).isGreaterThanOrEqualTo(seen.get(i - 1)[1]);
      }
      assertThat(seen.getLast()).containsExactly(1_000L, 10L);
    }
  }
}
