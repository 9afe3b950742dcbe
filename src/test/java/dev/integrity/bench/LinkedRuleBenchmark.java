package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.IssueSink;
import dev.integrity.check.TargetRecords;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.AirtableRecord;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * One rule over 100,000 classes, each linking 1 to 3 of 2,000 teachers, single thread: a rule
 * through {@code linked} against a rule of the record alone, to show what reading linked records
 * costs. The score is records per second (one rule on one record). Not thread-safe; JMH owns its
 * state.
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
public class LinkedRuleBenchmark {
  static final int CLASSES = 100_000;
  static final int TEACHERS = 2_000;

  @Param({
    "r.Status == \"Active\"",
    "linked(r, \"Teacher\").all(t, t.Status == \"Active\")",
    "sum(linked(r, \"Teacher\").map(t, t.Hours)) <= 40"
  })
  public String expr;

  private CheckEngine engine;
  private List<AirtableRecord> classes;
  private Map<String, Set<String>> targets;

  @Setup(Level.Trial)
  public void setUp() {
    Map<String, EntityConfig> entities = new LinkedHashMap<>();
    entities.put(
        "classes",
        new EntityConfig(
            "classes",
            "Classes",
            List.of(
                new CheckSpec.Link("Teacher", "teachers", 0, 3),
                new CheckSpec.Rule("bench", expr))));
    entities.put("teachers", new EntityConfig("teachers", "Teachers", List.of()));
    engine =
        CheckEngine.compile(
            new IntegrityConfig(
                null,
                new AirtableConfig("appBENCH", new Secret("t"), URI.create("http://127.0.0.1")),
                entities,
                List.of(),
                null));
    Random random = new Random(42);
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    List<AirtableRecord> teachers = new ArrayList<>(TEACHERS);
    for (int t = 0; t < TEACHERS; t++) {
      Map<String, Object> f = new HashMap<>();
      f.put("Status", random.nextInt(50) == 0 ? "On leave" : "Active");
      f.put("Hours", (long) (5 + random.nextInt(15)));
      teachers.add(new AirtableRecord("recT" + t, created, f));
    }
    classes = new ArrayList<>(CLASSES);
    for (int i = 0; i < CLASSES; i++) {
      List<String> linked = new ArrayList<>();
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        linked.add("recT" + random.nextInt(TEACHERS));
      }
      Map<String, Object> f = new HashMap<>();
      f.put("Status", random.nextInt(50) == 0 ? "Archived" : "Active");
      f.put("Teacher", linked);
      classes.add(new AirtableRecord("rec" + i, created, f));
    }
    targets = Map.of("teachers", TargetRecords.of(teachers));
  }

  /** Two checks per record (the link and the rule): the score counts records, not checks. */
  @Benchmark
  @OperationsPerInvocation(CLASSES)
  public void evaluate_100k_classes(Blackhole blackhole) {
    IssueSink sink = blackhole::consume;
    engine.evaluate("classes", classes, targets, sink);
  }

  /** Runs the benchmark. {@code -Dbench.forks=0} runs in this JVM. */
  public static void main(String[] args) throws Exception {
    Options options =
        new OptionsBuilder()
            .include(LinkedRuleBenchmark.class.getSimpleName())
            .forks(Integer.getInteger("bench.forks", 1))
            .build();
    new Runner(options).run();
  }
}
