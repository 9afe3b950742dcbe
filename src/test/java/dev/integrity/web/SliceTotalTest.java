package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.CheckCount;
import dev.integrity.store.AckFilter;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pager's "of N" from the per-check counts, acknowledgements included. */
class SliceTotalTest {
  // open 10 (new 4, persisting 6), resolved 2, retired 1, acknowledged 3.
  private final List<CheckCount> counts =
      List.of(
          new CheckCount("teachers", "required-email", "fail", 10, 4, 6, 2, 1, 3),
          new CheckCount("classes", "pattern-code", "warn", 5, 5, 0, 0, 0, 0));

  private long total(String entity, IssueFilter state, AckFilter ack) {
    return RunViews.sliceTotal(counts, new IssueQuery(entity, null, null, state).withAck(ack));
  }

  @Test
  void acknowledged_issues_are_counted_among_the_open_ones_only() {
    assertThat(total("teachers", IssueFilter.OPEN, AckFilter.ALL)).isEqualTo(10);
    assertThat(total("teachers", IssueFilter.OPEN, AckFilter.YES)).isEqualTo(3);
    assertThat(total("teachers", IssueFilter.OPEN, AckFilter.NO)).isEqualTo(7);
    assertThat(total("teachers", IssueFilter.ALL, AckFilter.NO)).isEqualTo(10);
    assertThat(total("teachers", IssueFilter.ALL, AckFilter.YES)).isEqualTo(3);
    assertThat(total("teachers", IssueFilter.RESOLVED, AckFilter.YES)).isZero();
    assertThat(total(null, IssueFilter.OPEN, AckFilter.NO)).isEqualTo(12);
  }

  @Test
  void the_acknowledged_among_new_or_persisting_ones_are_not_known_from_the_counts() {
    assertThat(total("teachers", IssueFilter.NEW, AckFilter.ALL)).isEqualTo(4);
    assertThat(total("teachers", IssueFilter.NEW, AckFilter.YES)).isEqualTo(-1);
    assertThat(total("teachers", IssueFilter.PERSISTING, AckFilter.NO)).isEqualTo(-1);
  }
}
