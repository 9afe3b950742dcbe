package dev.integrity.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.airtable.ListOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageLatencyTest {
  @Test
  void the_median_ignores_a_few_slow_pages() {
    PageLatency latency = new PageLatency();
    for (int ms : new int[] {300, 310, 290, 5_000, 305}) {
      latency.add(Duration.ofMillis(ms));
    }

    assertThat(latency.median()).contains(Duration.ofMillis(305));
    assertThat(latency.medianMillis()).isEqualTo(305L);
  }

  @Test
  void an_even_count_takes_the_mean_of_the_middle_two_and_none_is_empty() {
    assertThat(PageLatency.median(List.of(Duration.ofMillis(100), Duration.ofMillis(300))))
        .contains(Duration.ofMillis(200));
    assertThat(new PageLatency().median()).isEmpty();
    assertThat(new PageLatency().medianMillis()).isNull();
  }

  @Test
  void each_partition_lists_with_the_projection_the_view_and_its_own_formula() {
    FetchPlan plan =
        new FetchPlanner()
            .plan(
                List.of("big", "small"),
                Map.of(
                    "big", new LastFetch(100, Duration.ofMillis(600)),
                    "small", new LastFetch(20, Duration.ofMillis(300))),
                5);

    List<ListOptions> big =
        plan.table("big").listOptions(List.of("Name", "Email"), "Active", "{Year} = 2026");
    List<ListOptions> small = plan.table("small").listOptions(null, null, null);

    assertThat(big).hasSize(3);
    assertThat(big).allSatisfy(o -> assertThat(o.fields()).containsExactly("Name", "Email"));
    assertThat(big).allSatisfy(o -> assertThat(o.view()).isEqualTo("Active"));
    assertThat(big.get(0).filterByFormula())
        .isEqualTo("AND({Year} = 2026,REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-K]\"))");
    assertThat(big.get(2).filterByFormula()).startsWith("AND({Year} = 2026,NOT(");
    assertThat(small).containsExactly(ListOptions.all());
  }
}
