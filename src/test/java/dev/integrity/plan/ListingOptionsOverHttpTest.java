package dev.integrity.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.PageListener;
import dev.integrity.airtable.TableFetch;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.model.AirtableRecord;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.RequestLog;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The planner's list options through the real client to the simulator over HTTP. */
class ListingOptionsOverHttpTest {
  private AirtableSimulator sim;
  private AirtableClient client;

  private void start(Dataset data) {
    sim = AirtableSimulator.builder().dataset(data).rateLimitPerSecond(0).build().start();
    client =
        new AirtableClient(
            AirtableSettings.builder()
                .baseUrl(sim.baseUrl())
                .token(new Secret(sim.token()))
                .rateLimitPerSecond(50)
                .build(),
            Ticker.system(),
            AirtableListener.none());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private TableFetch list(String table, ListOptions options) {
    return client.listRecords(
        sim.dataset().baseId(), table, options, FetchControl.create(), PageListener.none());
  }

  @Test
  void projection_sends_exactly_the_named_fields_and_moves_fewer_bytes() {
    start(Dataset.synthetic(Map.of("Students", 250), 2_000));
    EntityConfig students =
        new EntityConfig(
            "students", "Students", List.of(new CheckSpec.Rule("positive", "r.Number > 0")));
    List<String> fields = FieldProjection.fields(students, sim.dataset().schema());

    sim.clearRequests();
    TableFetch projected = list("Students", new ListOptions(fields, null, null));
    long projectedBytes = sim.requests().stream().mapToLong(RequestLog::bodyBytes).sum();
    sim.clearRequests();
    TableFetch all = list("Students", ListOptions.all());
    long allBytes = sim.requests().stream().mapToLong(RequestLog::bodyBytes).sum();

    assertThat(fields).containsExactly("Name", "Number");
    assertThat(projected.records()).hasSize(250);
    assertThat(projected.records())
        .allSatisfy(
            r -> assertThat(r.fields().keySet()).containsExactlyInAnyOrder("Name", "Number"));
    assertThat(all.records().getFirst().fields()).containsKey("Notes");
    assertThat(projectedBytes * 3).isLessThan(allBytes);
  }

  @Test
  void the_entity_view_and_filter_reach_the_simulator_and_partitions_count_records_once() {
    start(Dataset.demo());
    long active =
        sim.dataset().table("Classes").orElseThrow().records().stream()
            .filter(r -> "Active".equals(r.fields().get("Status")))
            .count();
    FetchPlan plan =
        new FetchPlanner()
            .plan(
                List.of("classes"),
                Map.of("classes", new LastFetch(12, java.time.Duration.ofSeconds(5))),
                5);
    List<ListOptions> parts =
        plan.table("classes").listOptions(List.of("Name", "Status"), "Active", "{Status} != ''");

    Set<String> ids = new HashSet<>();
    int total = 0;
    for (ListOptions options : parts) {
      for (AirtableRecord r : list("Classes", options).records()) {
        ids.add(r.id());
        total++;
        assertThat(r.fields().get("Status")).isEqualTo("Active");
      }
    }

    assertThat(parts).hasSizeGreaterThan(1);
    assertThat(total).isEqualTo(ids.size()).isEqualTo((int) active);
  }
}
