package dev.integrity.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import dev.integrity.model.RunMode;
import dev.integrity.run.RunReport;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import dev.integrity.testing.TestBases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counters of a real run, read from the service's {@code /metrics}, against what the simulator
 * itself saw over HTTP: one list call per call it answered, each table's pages and records once per
 * run (a first page read again in partitions is one call more, not a page or records more), one run
 * per run (issue 18: they counted everything twice).
 */
class MetricsCountedOnceTest {
  @TempDir Path dir;
  private final Dataset dataset = Dataset.synthetic(Map.of("Teachers", 250, "Students", 1_050));
  private AirtableSimulator sim;

  @BeforeEach
  void start() {
    sim = AirtableSimulator.builder().dataset(dataset).rateLimitPerSecond(0).build().start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  @Test
  void pages_records_and_runs_are_counted_once_as_the_simulator_served_them() throws Exception {
    Path config = TestBases.config(dir, dataset.baseId(), TestBases.teachersAndStudents(1_000));
    try (IntegrityApp app =
        IntegrityApp.builder()
            .environment(TestBases.env(sim, dir, 60))
            .config(config)
            .serving(Service.Options.of("127.0.0.1", 0))
            .build()) {
      Service service = app.serve();
      sim.clearRequests();

      RunReport first = app.runOnce(List.of(), RunMode.FULL);
      RunReport second = app.runOnce(List.of(), RunMode.FULL);

      assertThat(first.status()).isEqualTo("succeeded");
      assertThat(second.status()).isEqualTo("succeeded");
      List<RequestLog> listCalls =
          sim.requests().stream()
              .filter(r -> r.method().equals("GET") && r.status() == 200)
              .filter(r -> r.tableIdOrName() != null)
              .toList();
      long recordsFetched = 2L * (250 + 1_050);
      // 3 pages of Teachers and 11 of Students per run, at Airtable's 100 records a page. The first
      // run reads each table's first page alone, then, when its first page was slow, the table as
      // partitions (issue 19): then more calls than pages, which the calls counter counts and the
      // pages counter does not.
      long tablePages = 2 * (3 + 11);
      assertThat(listCalls.size()).isGreaterThanOrEqualTo((int) tablePages);

      String scrape = scrape(service.url().resolve("metrics"));
      assertThat(counter(scrape, "integrity_pages_fetched_total")).isEqualTo(tablePages);
      assertThat(counter(scrape, "integrity_records_fetched_total")).isEqualTo(recordsFetched);
      assertThat(counter(scrape, "integrity_airtable_calls_total{kind=\"list\"}"))
          .isEqualTo(listCalls.size());
      assertThat(counter(scrape, "integrity_runs_total{status=\"succeeded\"}")).isEqualTo(2);
    }
  }

  private static String scrape(URI url) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    }
  }

  private static long counter(String scrape, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.E]+)$").matcher(scrape);
    assertThat(m.find()).as("%s in the scrape", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
