package dev.integrity.bench;

import dev.integrity.run.IncrementalVsFull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The property test of issue 17 at length: on the every-field-type base, {@code seeds} series of
 * {@code scripts} random edit scripts each; after every script an incremental run and a full run of
 * the same data must give the same issues, states and first-seen times (the first difference stops
 * the benchmark with the failing seed and script). Prints the scripts compared and the time per
 * script. Arguments: {@code [seeds, default 20] [scripts per seed, default 100]}. See
 * docs/benchmarks.md for the command.
 */
public final class EveryFieldTypeBenchmark {
  private EveryFieldTypeBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int scripts = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path dir = Files.createTempDirectory("every-field-type-bench");
    long[] compared = new long[1];
    Set<String> seen = new java.util.TreeSet<>();
    long start = System.nanoTime();
    for (int seed = 1; seed <= seeds; seed++) {
      seen.addAll(
          IncrementalVsFull.run(
              dir, 1000L + seed, scripts, (script, incremental, full) -> compared[0]++));
    }
    System.out.printf(
        "scripts compared: %,d (%d seeds x %d), all equal (issues, states, first seen)%n",
        compared[0], seeds, scripts);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "wall %.1f s: %.1f ms per script (one incremental and one full run, compared)%n",
        seconds, seconds * 1000 / compared[0]);
    System.out.printf("checks and states seen: %s%n", seen);
  }
}
