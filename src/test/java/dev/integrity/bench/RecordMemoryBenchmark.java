package dev.integrity.bench;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.PageListener;
import dev.integrity.airtable.TableFetch;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live heap per fetched record (issue 18), not a test: the {@link LargeSchool} base at a scale,
 * fetched over HTTP from the simulator through the real client and its decoding, asking for the
 * fields a run of {@link LargeSchool#entitiesYaml()} asks for ({@code fields[]}: the primary field
 * and the checked ones, 3 or 4 per record), every record kept as a run keeps it until its check.
 * Used heap after full GCs, minus the same before the fetch (the simulator's own copy of the base
 * is there both times), divided by the records. Run with
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.integrity.bench.RecordMemoryBenchmark [scale, default 0.2 = 100,100 records]
 * </pre>
 */
public final class RecordMemoryBenchmark {
  private RecordMemoryBenchmark() {}

  /** What a run asks each table for: FieldProjection of LargeSchool's checks. */
  static final Map<String, List<String>> FIELDS =
      Map.of(
          "Teachers", List.of("Name", "Email", "Subject"),
          "Classes", List.of("Name", "Teacher", "Capacity"),
          "Students", List.of("Name", "Email", "Grade"),
          "Enrollments", List.of("Name", "Student", "Class", "Status"));

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 0.2;
    LargeSchool school = new LargeSchool(scale);
    Dataset data = school.dataset();
    try (AirtableSimulator sim =
            AirtableSimulator.builder().dataset(data).rateLimitPerSecond(0).build().start();
        AirtableClient client =
            new AirtableClient(
                AirtableSettings.builder()
                    .baseUrl(sim.baseUrl())
                    .token(new Secret(sim.token()))
                    .rateLimitPerSecond(1000)
                    .build(),
                Ticker.system(),
                AirtableListener.none())) {
      // A warm-up fetch so classes, pools and caches exist before the baseline.
      client.listRecords(
          data.baseId(),
          "Teachers",
          new ListOptions(FIELDS.get("Teachers"), null, null),
          FetchControl.create(),
          PageListener.none());
      long before = usedAfterGc();
      Map<String, TableFetch> kept = new LinkedHashMap<>();
      long records = 0;
      for (String table : List.of("Teachers", "Classes", "Students", "Enrollments")) {
        TableFetch fetch =
            client.listRecords(
                data.baseId(),
                table,
                new ListOptions(FIELDS.get(table), null, null),
                FetchControl.create(),
                PageListener.none());
        kept.put(table, fetch);
        records += fetch.records().size();
      }
      long after = usedAfterGc();
      long perRecord = (after - before) / records;
      List<String> sample = new ArrayList<>();
      kept.forEach((t, f) -> sample.add(t + " " + f.records().get(0).fields()));
      System.out.printf(
          "records=%d  live heap: before=%d MB after=%d MB  bytes/record=%d%n",
          records, before >> 20, after >> 20, perRecord);
      sample.forEach(s -> System.out.println("  " + s));
      System.out.println("  (kept " + kept.size() + " tables)");
    }
  }

  static long usedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Several rounds: a collection can leave garbage a later one frees (finalizable, soft refs).
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
