package dev.integrity.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-page latency of one table's fetch: the median time of its page requests (the client's
 * {@code RequestEvent} latency of each answered list request), which is what the planner compares
 * with the base's floor next run. The median, not the mean, so a few retried or stalled pages do
 * not make the table look slow. Thread-safe: partitions of one table report side by side.
 */
public final class PageLatency {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Duration> samples = new ArrayList<>();

  /** One answered page request. */
  public void add(Duration latency) {
    if (latency == null || latency.isNegative()) {
      return;
    }
    lock.lock();
    try {
      samples.add(latency);
    } finally {
      lock.unlock();
    }
  }

  /** The median so far; empty before the first page. */
  public Optional<Duration> median() {
    lock.lock();
    try {
      return median(samples);
    } finally {
      lock.unlock();
    }
  }

  /** The median in whole milliseconds, for the store; null before the first page. */
  public Long medianMillis() {
    return median().map(Duration::toMillis).orElse(null);
  }

  /** The median of durations (the mean of the middle two for an even count); empty for none. */
  static Optional<Duration> median(List<Duration> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    if (n % 2 == 1) {
      return Optional.of(sorted.get(n / 2));
    }
    return Optional.of(sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
  }
}
