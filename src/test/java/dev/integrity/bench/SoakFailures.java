package dev.integrity.bench;

import dev.integrity.bench.ChaosSoak.Tracked;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The failures of one soak, each one line, printed as it is recorded. Its own class because the
 * serve's supervisor ({@link SoakServe}) records failures before the store the invariants ({@link
 * SoakInvariants}) read is open, and both report into the same list.
 */
final class SoakFailures {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final PrintStream out;

  SoakFailures(PrintStream out) {
    this.out = out;
  }

  /** An invariant of one run failed. */
  void invariant(Tracked t, String invariant, String what) {
    String line =
        String.format(
            Locale.ROOT,
            "%s run %s base %s fault %s: %s",
            invariant,
            t.id(),
            t.base().id(),
            t.kind().wire(),
            what);
    lines.add(line);
    out.println("INVARIANT FAILED " + line);
  }

  /** A failure that is not one run's invariant: a soak error, a serve that died on its own. */
  void other(String line) {
    lines.add(line);
    out.println("FAILURE " + line);
  }

  int count() {
    return lines.size();
  }

  List<String> list() {
    return List.copyOf(lines);
  }
}
