package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.IssueSink;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.CheckSpec.Format.Kind;
import dev.integrity.config.CheckSpec.Range.Bound;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.Severity;
import dev.integrity.model.AirtableRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The check engine over 100,000 generated records x 10 checks (every type; about 5% bad values),
 * single thread. The score is record-checks per second (one operation = one check on one record).
 * Run with {@code main} (see docs/checks.md). Not thread-safe; JMH owns its state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx512m"})
@Threads(1)
public class CheckEngineBenchmark {
  static final int RECORDS = 100_000;
  static final int CHECKS = 10;
  static final int TEACHERS = 2_000;

  /** Issue 20: the ten checks plus computed and similar. */
  static final int MORE_CHECKS = 12;

  private CheckEngine engine;
  private CheckEngine engineWithMore;
  private CheckEngine engineWithComputed;
  private List<AirtableRecord> records;
  private Map<String, Set<String>> idsByEntity;

  @Setup(Level.Trial)
  public void setUp() {
    List<CheckSpec> checks =
        List.of(
            new CheckSpec.Required(List.of("Name")),
            new CheckSpec.Unique(List.of("Email"), true),
            new CheckSpec.Allowed("Status", List.of("Active", "Archived", "Planned")),
            new CheckSpec.Pattern("Code", "^[A-Z]{3}-\\d{3}$"),
            new CheckSpec.Format("Email", Kind.EMAIL),
            new CheckSpec.Format("Phone", Kind.PHONE),
            new CheckSpec.Range(
                "Capacity",
                new Bound.Number(BigDecimal.ONE),
                new Bound.Number(BigDecimal.valueOf(40))),
            new CheckSpec.Range(
                "Start Date",
                new Bound.Date(LocalDate.parse("2020-01-01")),
                new Bound.Date(LocalDate.parse("2030-12-31"))),
            new CheckSpec.Link("Teacher", "teachers", 1, 1),
            new CheckSpec.Rule(
                "ends-after-start",
                "r[\"End Date\"] >= r[\"Start Date\"]",
                null,
                Severity.WARN,
                null));
    if (checks.size() != CHECKS) {
      throw new IllegalStateException("the benchmark promises " + CHECKS + " checks");
    }
    engine = engine(checks);
    List<CheckSpec> more = new ArrayList<>(checks);
    more.add(new CheckSpec.Computed(List.of("Total")));
    engineWithComputed = engine(List.copyOf(more));
    more.add(new CheckSpec.Similar(List.of("First Name", "Last Name"), 0.9, List.of()));
    if (more.size() != MORE_CHECKS) {
      throw new IllegalStateException("the benchmark promises " + MORE_CHECKS + " checks");
    }
    engineWithMore = engine(more);
    records = generate(new Random(42));
    addNamesAndTotals(records, new Random(43));
    Set<String> teacherIds = new HashSet<>();
    for (int t = 0; t < TEACHERS; t++) {
      teacherIds.add("recT" + t);
    }
    idsByEntity = Map.of("teachers", teacherIds);
    // A full collection once, outside any measurement, to see what the records alone occupy.
    System.gc();
    baselineAfterGc = heapAfterGc();
  }

  private static CheckEngine engine(List<CheckSpec> checks) {
    Map<String, EntityConfig> entities = new LinkedHashMap<>();
    entities.put("classes", new EntityConfig("classes", "Classes", checks));
    entities.put("teachers", new EntityConfig("teachers", "Teachers", List.of()));
    return CheckEngine.compile(
        new IntegrityConfig(
            null,
            new AirtableConfig("appBENCH", new Secret("t"), URI.create("http://127.0.0.1")),
            entities,
            List.of(),
            null));
  }

  /**
   * Issue 20's fields, from their own random numbers so the other fields stay as before: a formula
   * Total (1% {@code #ERROR!}) and First/Last Name for similar (names as in {@link
   * PlantedStudents}; 2% of the records a copy of the record before with one letter changed).
   */
  static void addNamesAndTotals(List<AirtableRecord> records, Random random) {
    PlantedStudents names = new PlantedStudents(1, 0, 1);
    String previousFirst = "Ada";
    String previousLast = "Lovelace";
    for (int i = 0; i < records.size(); i++) {
      AirtableRecord record = records.get(i);
      Map<String, Object> f = new HashMap<>(record.fields());
      f.put(
          "Total",
          random.nextInt(100) == 0 ? Map.of("error", "#ERROR!") : (long) random.nextInt(500));
      String first = PlantedStudents.FIRST[random.nextInt(PlantedStudents.FIRST.length)];
      String last = names.lastName(random);
      if (random.nextInt(50) == 0) {
        first = previousFirst;
        int at = random.nextInt(previousLast.length());
        last = previousLast.substring(0, at) + 'x' + previousLast.substring(at + 1);
      }
      f.put("First Name", first);
      f.put("Last Name", last);
      previousFirst = first;
      previousLast = last;
      records.set(i, new AirtableRecord(record.id(), record.createdTime(), f));
    }
  }

  static List<AirtableRecord> generate(Random random) {
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    String[] statuses = {"Active", "Archived", "Planned", "Pending"};
    List<AirtableRecord> out = new ArrayList<>(RECORDS);
    for (int i = 0; i < RECORDS; i++) {
      boolean bad = random.nextInt(20) == 0;
      Map<String, Object> f = new HashMap<>();
      if (!bad || random.nextBoolean()) {
        f.put("Name", "Class " + i);
      }
      f.put("Email", bad ? "teacher" + (i % 50) + "@school" : "t" + i + "@school.example.org");
      f.put("Status", statuses[bad ? 3 : random.nextInt(3)]);
      f.put("Code", bad ? "abc-" + i : String.format("%s-%03d", "MAT", i % 1000));
      f.put("Phone", bad ? "12-34" : "+1 (555) 010-" + String.format("%04d", i % 10000));
      f.put("Capacity", bad ? 99L : (long) (1 + random.nextInt(40)));
      LocalDate start = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(300));
      f.put("Start Date", start.toString());
      f.put("End Date", (bad ? start.minusDays(3) : start.plusDays(90)).toString());
      f.put("Teacher", List.of(bad ? "recGone" + i : "recT" + random.nextInt(TEACHERS)));
      out.add(new AirtableRecord("rec" + i, created, f));
    }
    return out;
  }

  @Benchmark
  @OperationsPerInvocation(RECORDS * CHECKS)
  public void evaluate_100k_records_x_10_checks(Blackhole blackhole) {
    IssueSink sink = blackhole::consume;
    engine.evaluate("classes", records, idsByEntity, sink);
  }

  /** The ten checks and computed. */
  @Benchmark
  @OperationsPerInvocation(RECORDS * (CHECKS + 1))
  public void evaluate_100k_records_x_11_checks_with_computed(Blackhole blackhole) {
    IssueSink sink = blackhole::consume;
    engineWithComputed.evaluate("classes", records, idsByEntity, sink);
  }

  /** The same, with computed and similar: one operation is still one check on one record. */
  @Benchmark
  @OperationsPerInvocation(RECORDS * MORE_CHECKS)
  public void evaluate_100k_records_x_12_checks_with_computed_and_similar(Blackhole blackhole) {
    IssueSink sink = blackhole::consume;
    engineWithMore.evaluate("classes", records, idsByEntity, sink);
  }

  private long peakAfterGc;
  private long baselineAfterGc;

  /**
   * Samples the heap left after each pool's latest collection: the live set (records, engine and
   * the evaluation's unique tallies), unlike raw peak usage, which just fills whatever heap the JVM
   * was given.
   */
  @TearDown(Level.Iteration)
  public void sampleHeapAfterGc() {
    peakAfterGc = Math.max(peakAfterGc, heapAfterGc());
  }

  private static long heapAfterGc() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
        live += pool.getCollectionUsage().getUsed();
      }
    }
    return live;
  }

  @TearDown(Level.Trial)
  public void reportPeakHeap() {
    // JMH measures time and allocation itself; heap occupancy it does not.
    System.out.printf(
        "%nheap after GC: %d MiB with the records loaded, at most %d MiB while evaluating"
            + " (max heap %d MiB)%n",
        baselineAfterGc >> 20, peakAfterGc >> 20, Runtime.getRuntime().maxMemory() >> 20);
  }

  /**
   * Runs the benchmark with the GC profiler. {@code -Dbench.forks=0} runs in this JVM (needed under
   * {@code exec:java}, whose class path a forked JVM cannot see).
   */
  public static void main(String[] args) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(CheckEngineBenchmark.class.getSimpleName())
            .forks(Integer.getInteger("bench.forks", 1))
            .addProfiler(GCProfiler.class)
            .build();
    new Runner(options).run();
  }
}
