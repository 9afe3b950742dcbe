package dev.integrity.bench;

import dev.integrity.common.CronFires;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * How long projecting a schedule's fires in 30 days takes (issue 19, goal 4), each pattern twice
 * (the first call loads classes). Not a test; run as {@code java … dev.integrity.bench
 * .CronFiresBenchmark}.
 */
public final class CronFiresBenchmark {
  private CronFiresBenchmark() {}

  public static void main(String[] args) {
    Instant from = Instant.parse("2026-03-01T12:00:00Z");
    String[] crons = {"* * * * *", "*/15 * * * *", "* 9-17 * * 1-5", "0 2 * * *"};
    for (int round = 1; round <= 2; round++) {
      for (String cron : crons) {
        long start = System.nanoTime();
        long fires = CronFires.perMonth(cron, ZoneOffset.UTC, from);
        System.out.printf(
            "round %d: %-16s %,9d fires in %6.1f ms%n",
            round, cron, fires, (System.nanoTime() - start) / 1e6);
      }
    }
  }
}
