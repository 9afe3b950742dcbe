package dev.integrity.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FetchPlannerTest {
  private static final Duration MS_300 = Duration.ofMillis(300);
  private final FetchPlanner planner = new FetchPlanner();

  private static LastFetch last(int pages, Duration perPage) {
    return new LastFetch(pages, perPage);
  }

  @Test
  void order_follows_the_last_runs_page_counts_largest_first() {
    FetchPlan plan =
        planner.plan(
            List.of("a", "b", "c", "d"),
            Map.of(
                "a", last(2, MS_300),
                "b", last(50, MS_300),
                "c", last(10, MS_300),
                "d", last(120, MS_300)),
            5);

    assertThat(plan.order()).containsExactly("d", "b", "c", "a");
  }

  @Test
  void a_table_whose_pages_alone_exceed_the_floor_gets_the_smallest_k_that_fits() {
    // Floor: 120 pages / 5 per s = 24 s; d alone: 100 x 0.6 s = 60 s -> K = 3 (20 s each).
    FetchPlan plan =
        planner.plan(
            List.of("small", "big"),
            Map.of("small", last(20, MS_300), "big", last(100, Duration.ofMillis(600))),
            5);

    FetchPlan.Table big = plan.table("big");
    assertThat(big.partitions()).hasSize(3);
    assertThat(big.partitions()).isEqualTo(Partitions.of(3));
    assertThat(big.reason())
        .isEqualTo(
            "big: 100 pages x 0.60 s = 60.00 s alone > floor 24.00 s (120 pages / 5 per s)"
                + " -> 3 partitions, 20.00 s each");
    FetchPlan.Table small = plan.table("small");
    assertThat(small.partitioned()).isFalse();
    assertThat(small.reason()).contains("6.00 s alone <= floor 24.00 s").endsWith("one iteration");
    assertThat(plan.reason()).contains("1 of 2 tables partitioned");
  }

  @Test
  void the_skewed_base_of_the_issue_splits_only_the_big_table_when_its_latency_makes_it_bind() {
    Map<String, LastFetch> lasts =
        Map.of(
            "a", last(2, Duration.ofSeconds(1)),
            "b", last(10, Duration.ofSeconds(1)),
            "c", last(50, Duration.ofSeconds(1)),
            "d", last(120, Duration.ofSeconds(1)));
    // Floor 182 / 5 = 36.4 s; d alone 120 s -> K = ceil(120 / 36.4) = 4; c alone 50 s -> 2.
    FetchPlan plan = planner.plan(List.of("a", "b", "c", "d"), lasts, 5);

    assertThat(plan.table("d").partitions()).hasSize(4);
    assertThat(plan.table("c").partitions()).hasSize(2);
    assertThat(plan.table("b").partitioned()).isFalse();
    assertThat(plan.table("a").partitioned()).isFalse();
  }

  @Test
  void a_table_exactly_at_the_floor_is_one_iteration() {
    // Floor 10 pages / 5 per s = 2 s; pages alone 10 x 0.2 s = 2 s.
    FetchPlan plan = planner.plan(List.of("t"), Map.of("t", last(10, Duration.ofMillis(200))), 5);

    assertThat(plan.table("t").partitioned()).isFalse();
  }

  @Test
  void k_is_capped_at_the_maximum_and_at_the_page_count() {
    Map<String, LastFetch> lasts = Map.of("t", last(400, Duration.ofSeconds(2)));
    FetchPlan capped = new FetchPlanner(8).plan(List.of("t"), lasts, 5);

    assertThat(capped.table("t").partitions()).hasSize(8);
    assertThat(capped.table("t").reason()).contains("capped from 10 at 8");

    FetchPlan few =
        new FetchPlanner(8).plan(List.of("t"), Map.of("t", last(3, Duration.ofSeconds(30))), 5);
    assertThat(few.table("t").partitions()).hasSize(3);
  }

  @Test
  void a_first_run_has_no_plan_and_starts_its_tables_in_the_order_asked() {
    FetchPlan plan = planner.plan(List.of("x", "y", "z"), Map.of(), 5);

    assertThat(plan.order()).containsExactly("x", "y", "z");
    assertThat(plan.tables()).noneMatch(FetchPlan.Table::partitioned);
    assertThat(plan.reason()).contains("no earlier run");
  }

  @Test
  void tables_no_run_fetched_yet_come_after_the_known_ones() {
    FetchPlan plan =
        planner.plan(
            List.of("new", "old", "older"),
            Map.of("old", last(3, MS_300), "older", last(9, MS_300)),
            5);

    assertThat(plan.order()).containsExactly("older", "old", "new");
    assertThat(plan.table("new").last()).isNull();
    assertThat(plan.table("new").reason()).contains("no earlier run fetched it");
  }

  @Test
  void equal_page_counts_keep_the_order_asked() {
    FetchPlan plan =
        planner.plan(
            List.of("p", "q", "r"),
            Map.of("p", last(5, MS_300), "q", last(7, MS_300), "r", last(5, MS_300)),
            5);

    assertThat(plan.order()).containsExactly("q", "p", "r");
  }

  @Test
  void a_table_no_run_fetched_is_read_from_its_first_page_first() {
    FetchPlan plan = planner.plan(List.of("x", "y"), Map.of("y", last(4, MS_300)), 5);

    assertThat(plan.table("x").firstPageFirst()).isTrue();
    assertThat(plan.table("x").partitions()).isEqualTo(Partitions.of(1));
    assertThat(plan.table("x").reason()).contains("its first page first");
    assertThat(plan.table("y").firstPageFirst()).isFalse();
  }

  @Test
  void after_a_first_page_with_more_the_partitions_alone_keep_the_rate_busy() {
    // 5 per s x 0.30 s = 1.5 -> 2: two iterations of 0.3 s send up to 6.7 per s.
    FetchPlan.Table skewed = planner.afterFirstPage("students", MS_300, 5);
    assertThat(skewed.partitions()).isEqualTo(Partitions.of(2));
    assertThat(skewed.firstPageFirst()).isTrue();
    assertThat(skewed.reason())
        .isEqualTo(
            "students: first page 0.30 s, more pages follow -> 2 partitions (rate 5 per s x 0.30 s"
                + " = 1.50 iterations to keep the rate busy; more than 1: at least 2, at most 8)");
    // A slow page needs more iterations: 5 x 1.1 s = 5.5 -> 6.
    assertThat(planner.afterFirstPage("t", Duration.ofMillis(1_100), 5).partitions()).hasSize(6);
    // Just over one iteration's worth gets two: 5 x 0.21 s = 1.05.
    assertThat(planner.afterFirstPage("t", Duration.ofMillis(210), 5).partitions()).hasSize(2);
    // One iteration that keeps up with the rate is read on: 5 x 0.2 s = 1.
    FetchPlan.Table fast = planner.afterFirstPage("t", Duration.ofMillis(200), 5);
    assertThat(fast.partitions()).isEqualTo(Partitions.of(1));
    assertThat(fast.reason()).contains("-> read on as one iteration");
    assertThat(planner.afterFirstPage("t", Duration.ofSeconds(10), 5).partitions()).hasSize(8);
    assertThat(new FetchPlanner(3).afterFirstPage("t", Duration.ofSeconds(10), 5).partitions())
        .hasSize(3);
  }

  @Test
  void a_tables_pages_are_its_records_in_pages_of_a_hundred_and_at_least_one() {
    assertThat(LastFetch.pagesOf(0)).isEqualTo(1);
    assertThat(LastFetch.pagesOf(1)).isEqualTo(1);
    assertThat(LastFetch.pagesOf(100)).isEqualTo(1);
    assertThat(LastFetch.pagesOf(101)).isEqualTo(2);
    assertThat(LastFetch.pagesOf(12_000)).isEqualTo(120);
  }

  @Test
  void a_rate_that_is_not_positive_is_refused() {
    assertThatThrownBy(() -> planner.plan(List.of(), Map.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FetchPlanner(0)).hasMessageContaining("maxPartitions");
  }
}
