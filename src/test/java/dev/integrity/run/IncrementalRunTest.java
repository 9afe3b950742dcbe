package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.IssueSummary;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.SimTable;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.MirrorRecord;
import dev.integrity.store.WebhookState;
import dev.integrity.testing.MutableClock;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental runs end to end, over sockets against the simulator: the mirror plus webhook payloads
 * gives the issues a full run gives (including checks that depend on other records: unique, link
 * targets, destroyed link targets), and every fallback is a full scan that says why.
 */
class IncrementalRunTest {
  static final String ENTITIES =
      """
        teachers:
          table: Teachers
          checks:
            - required: [Name]
            - unique: Email
        classes:
          table: Classes
          checks:
            - link: {field: Teacher, to: teachers, min: 1, max: 1}
            - range: {field: Capacity, min: 1, max: 40}
      """;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  private AirtableSimulator sim;

  @BeforeEach
  void start() {
    sim = simulator(AirtableSimulator.ALL_SCOPES);
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private AirtableSimulator simulator(Set<String> scopes) {
    return AirtableSimulator.builder()
        .dataset(school(new Random(42), 30, 60))
        .rateLimitPerSecond(0)
        .clock(clock)
        .scopes(scopes)
        .build()
        .start();
  }

  private IntegrityApp app(String db) {
    Map<String, String> env = new HashMap<>(TestBases.env(sim, dir, 60));
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve(db));
    Path config = TestBases.config(dir, sim.dataset().baseId(), ENTITIES);
    return IntegrityApp.builder().environment(env).clock(clock).config(config).build();
  }

  private static RunRecord run(IntegrityApp app, RunMode mode) {
    return IncrementalVsFull.succeeded(app, mode);
  }

  /** A run's issues as comparable lines: entity, record, check, field, state, message. */
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
                        i.message())));
    return out;
  }

  /** List-records requests the simulator saw (neither webhooks nor the Meta API). */
  private static long listCalls(AirtableSimulator sim) {
    return sim.requests().stream()
        .filter(r -> !r.path().contains("/webhooks") && !r.path().contains("/meta/"))
        .count();
  }

  static dev.integrity.airtable.AirtableClient client(AirtableSimulator sim) {
    return new dev.integrity.airtable.AirtableClient(
        dev.integrity.airtable.AirtableSettings.builder()
            .baseUrl(sim.baseUrl())
            .token(new dev.integrity.Secret(sim.token()))
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(5))
            .writeTimeout(Duration.ofSeconds(5))
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(2)
            .rateLimitPerSecond(100)
            .build(),
        dev.integrity.Ticker.system(),
        dev.integrity.airtable.AirtableListener.none());
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 11, 23})
  void an_incremental_run_after_random_edits_finds_exactly_what_a_full_run_finds(long seed) {
    try (IntegrityApp incremental = app("incremental.db");
        IntegrityApp full = app("full.db")) {
      RunRecord first = run(incremental, RunMode.INCREMENTAL);
      assertThat(first.mode()).isEqualTo(RunMode.FULL);
      assertThat(first.modeReason()).contains("first incremental run");
      run(full, RunMode.FULL);

      Random random = new Random(seed);
      for (int round = 0; round < 3; round++) {
        randomEdits(sim, random, 15);
        sim.clearRequests();
        RunRecord inc = run(incremental, RunMode.INCREMENTAL);
        long listCalls = listCalls(sim);
        RunRecord ref = run(full, RunMode.FULL);

        assertThat(inc.mode())
            .as("round %d: %s", round, inc.modeReason())
            .isEqualTo(RunMode.INCREMENTAL);
        assertThat(inc.modeReason()).isNull();
        assertThat(listCalls).as("an incremental run lists no records").isZero();
        assertThat(issues(incremental, inc.id()))
            .as("seed %d round %d", seed, round)
            .isEqualTo(issues(full, ref.id()));
        IssueSummary a = incremental.store().issues().summary(inc.id());
        IssueSummary b = full.store().issues().summary(ref.id());
        assertThat(List.of(a.total(), a.newCount(), a.resolvedCount()))
            .isEqualTo(List.of(b.total(), b.newCount(), b.resolvedCount()));
      }
    }
  }

  @Test
  void a_crash_after_the_run_is_saved_but_before_the_cursor_gives_the_same_mirror_and_issues() {
    try (IntegrityApp app = app("crash.db")) {
      run(app, RunMode.INCREMENTAL);
      String base = sim.dataset().baseId();
      long before = app.store().mirrors().webhook(base).orElseThrow().cursor();
      randomEdits(sim, new Random(5), 12);
      RunRecord applied = run(app, RunMode.INCREMENTAL);
      assertThat(applied.mode()).isEqualTo(RunMode.INCREMENTAL);
      List<MirrorRecord> mirror = app.store().mirrors().records(base, "teachers");
      List<MirrorRecord> classes = app.store().mirrors().records(base, "classes");
      // The state a crash leaves: run and mirror saved, the cursor not stored.
      WebhookState hook = app.store().mirrors().webhook(base).orElseThrow();
      assertThat(hook.cursor()).isGreaterThan(before);
      app.store().mirrors().saveCursor(base, hook.webhookId(), before);

      RunRecord again = run(app, RunMode.INCREMENTAL);

      assertThat(again.mode()).isEqualTo(RunMode.INCREMENTAL);
      assertThat(app.store().mirrors().records(base, "teachers")).isEqualTo(mirror);
      assertThat(app.store().mirrors().records(base, "classes")).isEqualTo(classes);
      assertThat(withoutStates(issues(app, again.id())))
          .isEqualTo(
              withoutStates(issues(app, applied.id())).stream()
                  .filter(l -> !l.contains("resolved"))
                  .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
      assertThat(app.store().mirrors().webhook(base).orElseThrow().cursor())
          .isEqualTo(hook.cursor());
    }
  }

  private static Set<String> withoutStates(Set<String> lines) {
    Set<String> out = new TreeSet<>();
    for (String l : lines) {
      if (l.contains(" | resolved | ")) {
        continue;
      }
      out.add(l.replace(" | new | ", " | ").replace(" | persisting | ", " | "));
    }
    return out;
  }

  @Test
  void an_expired_webhook_makes_the_run_a_full_scan_that_says_why_and_rebuilds() {
    try (IntegrityApp app = app("expired.db")) {
      run(app, RunMode.INCREMENTAL);
      String base = sim.dataset().baseId();
      String oldHook = app.store().mirrors().webhook(base).orElseThrow().webhookId();
      clock.advance(Duration.ofDays(8));
      randomEdits(sim, new Random(3), 5);

      RunRecord run = run(app, RunMode.INCREMENTAL);

      assertThat(run.mode()).isEqualTo(RunMode.FULL);
      assertThat(run.modeReason()).contains("disabled or expired");
      String newHook = app.store().mirrors().webhook(base).orElseThrow().webhookId();
      assertThat(newHook).isNotEqualTo(oldHook);
      randomEdits(sim, new Random(4), 5);
      assertThat(run(app, RunMode.INCREMENTAL).mode()).isEqualTo(RunMode.INCREMENTAL);
    }
  }

  @Test
  void a_webhook_error_payload_is_not_applied_as_data_the_run_is_a_full_scan_that_says_why() {
    try (IntegrityApp app = app("error-payload.db");
        IntegrityApp full = app("error-payload-full.db")) {
      run(app, RunMode.INCREMENTAL);
      randomEdits(sim, new Random(6), 3);
      sim.webhookError("INVALID_FILTERS");
      randomEdits(sim, new Random(7), 3);

      RunRecord run = run(app, RunMode.INCREMENTAL);

      assertThat(run.mode()).isEqualTo(RunMode.FULL);
      assertThat(run.modeReason()).contains("error payload").contains("INVALID_FILTERS");
      RunRecord ref = run(full, RunMode.FULL);
      assertThat(withoutStates(issues(app, run.id())))
          .isEqualTo(withoutStates(issues(full, ref.id())));
      randomEdits(sim, new Random(8), 3);
      assertThat(run(app, RunMode.INCREMENTAL).mode()).isEqualTo(RunMode.INCREMENTAL);
    }
  }

  @Test
  void a_lost_cursor_makes_the_run_a_full_scan() {
    try (IntegrityApp app = app("lost.db")) {
      run(app, RunMode.INCREMENTAL);
      String base = sim.dataset().baseId();
      app.store().mirrors().deleteWebhook(base);

      RunRecord run = run(app, RunMode.INCREMENTAL);

      assertThat(run.mode()).isEqualTo(RunMode.FULL);
      assertThat(run.modeReason()).contains("no webhook yet");
    }
  }

  @Test
  void a_cursor_older_than_the_retention_makes_the_run_a_full_scan() {
    try (IntegrityApp app = app("retention.db")) {
      run(app, RunMode.INCREMENTAL);
      clock.advance(Duration.ofDays(1));
      randomEdits(sim, new Random(9), 4);
      // Someone keeps the webhook alive without reading its payloads.
      String base = sim.dataset().baseId();
      clock.advance(Duration.ofDays(5));
      try (var client = client(sim)) {
        new dev.integrity.airtable.AirtableWebhooks(client, clock)
            .refreshIfDue(
                base,
                app.store().mirrors().webhook(base).orElseThrow().webhookId(),
                null,
                dev.integrity.airtable.FetchControl.create());
      }
      clock.advance(Duration.ofDays(2).plusHours(12));

      RunRecord run = run(app, RunMode.INCREMENTAL);

      assertThat(run.mode()).isEqualTo(RunMode.FULL);
      assertThat(run.modeReason()).contains("no longer kept");
    }
  }

  @Test
  void payloads_split_across_several_pages_are_all_applied() {
    try (IntegrityApp app = app("pages.db");
        IntegrityApp full = app("pages-full.db")) {
      run(app, RunMode.INCREMENTAL);
      randomEdits(sim, new Random(13), 130); // 130 transactions: three pages of at most 50
      sim.clearRequests();

      RunRecord inc = run(app, RunMode.INCREMENTAL);

      long payloadPages =
          sim.requests().stream().filter(r -> r.path().contains("/payloads")).count();
      assertThat(payloadPages).isGreaterThanOrEqualTo(3);
      assertThat(inc.mode()).isEqualTo(RunMode.INCREMENTAL);
      RunRecord ref = run(full, RunMode.FULL);
      assertThat(withoutStates(issues(app, inc.id())))
          .isEqualTo(withoutStates(issues(full, ref.id())));
    }
  }

  @Test
  void a_token_without_webhook_manage_makes_every_incremental_run_a_full_scan_that_says_why() {
    sim.close();
    Set<String> scopes = new java.util.HashSet<>(AirtableSimulator.ALL_SCOPES);
    scopes.remove("webhook:manage");
    sim = simulator(scopes);
    try (IntegrityApp app = app("scope.db")) {
      RunRecord first = run(app, RunMode.INCREMENTAL);
      RunRecord second = run(app, RunMode.INCREMENTAL);

      assertThat(first.mode()).isEqualTo(RunMode.FULL);
      assertThat(second.mode()).isEqualTo(RunMode.FULL);
      assertThat(second.modeReason()).contains("webhook:manage");
      assertThat(issues(app, second.id())).isNotEmpty();
    }
  }

  @Test
  void a_schema_change_of_a_checked_field_makes_the_run_a_full_scan() {
    try (IntegrityApp app = app("schema.db")) {
      run(app, RunMode.INCREMENTAL);
      sim.apply(Edits.begin().retypeField("Classes", "Capacity", "singleLineText"));

      RunRecord run = run(app, RunMode.INCREMENTAL);

      assertThat(run.mode()).isEqualTo(RunMode.FULL);
      assertThat(run.modeReason()).contains("schema change");
    }
  }

  // ------------------------------------------------------------------------------ the data

  static final String TEACHERS = "tblTeachers000001";
  static final String CLASSES = "tblClasses0000001";

  /** Teachers (Name, Email from a small pool: duplicates) and Classes linking one teacher. */
  static Dataset school(Random random, int teachers, int classes) {
    List<FieldSchema> tf =
        List.of(
            new FieldSchema("fldTName000000001", "Name", "singleLineText", null, null),
            new FieldSchema("fldTEmail00000001", "Email", "email", null, null));
    List<FieldSchema> cf =
        List.of(
            new FieldSchema("fldCName000000001", "Name", "singleLineText", null, null),
            new FieldSchema("fldCTeacher000001", "Teacher", "multipleRecordLinks", null, TEACHERS),
            new FieldSchema("fldCCapacity00001", "Capacity", "number", null, null));
    List<AirtableRecord> t = new ArrayList<>();
    for (int i = 0; i < teachers; i++) {
      t.add(new AirtableRecord(recordId(random), Instant.EPOCH, teacher(random, i)));
    }
    List<AirtableRecord> c = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      String teacher = t.get(random.nextInt(t.size())).id();
      c.add(new AirtableRecord(recordId(random), Instant.EPOCH, klass(random, i, teacher)));
    }
    return Dataset.of(
        "appIncremental001",
        List.of(
            new SimTable(TEACHERS, "Teachers", "fldTName000000001", tf, t),
            new SimTable(CLASSES, "Classes", "fldCName000000001", cf, c)));
  }

  static String recordId(Random random) {
    String chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder id = new StringBuilder("rec");
    for (int i = 0; i < 14; i++) {
      id.append(chars.charAt(random.nextInt(chars.length())));
    }
    return id.toString();
  }

  static Map<String, Object> teacher(Random random, int i) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (random.nextInt(10) > 0) {
      f.put("Name", "Teacher " + i);
    }
    f.put("Email", "t" + random.nextInt(40) + "@school.test");
    return f;
  }

  static Map<String, Object> klass(Random random, int i, String teacher) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("Name", "Class " + i);
    f.put("Teacher", List.of(teacher));
    f.put("Capacity", random.nextInt(45));
    return f;
  }

  /**
   * Transactions of 1-3 random edits across both tables: creations, updates (some emptying a field,
   * some moving a link, some duplicating an email) and destructions (some of teachers that classes
   * link to).
   */
  static void randomEdits(AirtableSimulator sim, Random random, int transactions) {
    for (int n = 0; n < transactions; n++) {
      Dataset now = sim.currentDataset();
      List<AirtableRecord> teachers = now.table("Teachers").orElseThrow().records();
      List<AirtableRecord> classes = now.table("Classes").orElseThrow().records();
      Edits edits = Edits.begin();
      Set<String> touched = new java.util.HashSet<>();
      int ops = 1 + random.nextInt(3);
      for (int i = 0; i < ops; i++) {
        boolean teacher = random.nextBoolean();
        List<AirtableRecord> pool = teacher ? teachers : classes;
        int kind = random.nextInt(4);
        if (kind == 0 || pool.size() < 5) {
          if (teacher) {
            edits.create("Teachers", teacher(random, 1000 + n));
          } else {
            String to = teachers.get(random.nextInt(teachers.size())).id();
            edits.create("Classes", klass(random, 1000 + n, to));
          }
          continue;
        }
        String id = pool.get(random.nextInt(pool.size())).id();
        if (!touched.add(id)) {
          continue;
        }
        if (kind == 3) {
          edits.destroy(teacher ? "Teachers" : "Classes", id);
          continue;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (teacher) {
          if (random.nextBoolean()) {
            values.put("Name", random.nextInt(4) == 0 ? null : "Renamed " + n);
          } else {
            values.put("Email", "t" + random.nextInt(40) + "@school.test");
          }
        } else if (random.nextBoolean()) {
          values.put("Capacity", random.nextInt(5) == 0 ? null : (Object) random.nextInt(50));
        } else {
          String to = teachers.get(random.nextInt(teachers.size())).id();
          values.put("Teacher", random.nextInt(6) == 0 ? List.of() : List.of(to));
        }
        edits.update(teacher ? "Teachers" : "Classes", id, values);
      }
      sim.apply(edits);
    }
  }
}
