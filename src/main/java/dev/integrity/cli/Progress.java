package dev.integrity.cli;

import dev.integrity.common.Texts;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunRecord;
import dev.integrity.run.RunListener;
import dev.integrity.run.RunReport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows run progress on stderr: a live bar per entity on a terminal, otherwise one plain line per
 * entity status change. Thread-safe (every method synchronizes).
 */
final class Progress implements RunListener {
  private static final int BAR = 24;
  private final PrintStream err;
  private final boolean live;
  private final Map<String, EntityProgress> entities = new LinkedHashMap<>();
  private int drawnLines;
  private long lastDraw;
  // The command's own run: later runs (started from the demo's dashboard) draw nothing here.
  private String runId;
  // Entities skipped by the run's ending wait for it: their line then says only what differs from
  // the run's error (a wrong token is said once, by the report, not once per entity).
  private final List<EntityProgress> skipped = new ArrayList<>();
  private String runError;

  Progress(PrintStream err, boolean live) {
    this.err = err;
    this.live = live;
  }

  @Override
  public synchronized void onRunSubmitted(RunRecord run) {
    if (runId != null) {
      return;
    }
    runId = run.id();
    err.printf("run %s: %s%n", run.id(), String.join(", ", run.entities()));
    if (live) {
      // One line per entity from the start, in the config's order, so bars never move.
      for (String name : run.entities()) {
        entities.putIfAbsent(name, EntityProgress.pending(run.id(), name, name));
      }
    }
  }

  @Override
  public synchronized void onEntityProgress(String runId, EntityProgress p) {
    if (this.runId == null) {
      this.runId = runId;
    } else if (!runId.equals(this.runId)) {
      return;
    }
    EntityProgress before = entities.put(p.name(), p);
    if (live) {
      long now = System.nanoTime();
      if (before == null || before.status() != p.status() || now - lastDraw > 100_000_000L) {
        lastDraw = now;
        draw();
      }
    } else if (before == null || before.status() != p.status()) {
      if (p.status() == EntityStatus.SKIPPED && p.error() != null) {
        skipped.add(p);
      } else if (p.status() != EntityStatus.PENDING) {
        err.println(line(p));
      }
    } else if (p.checked() && !before.checked()) {
      // Checked as soon as it (and its link targets) were in, possibly long before the run ends.
      err.printf("%s: checked, %,d issues%n", p.name(), p.issues());
    }
  }

  @Override
  public synchronized void onRunEnded(RunRecord run) {
    if (run.id().equals(runId)) {
      runError = run.error();
      for (EntityProgress p : skipped) {
        err.println(line(p));
      }
      skipped.clear();
      end();
    }
  }

  /** The run ended: the bars are drawn once more, final. */
  synchronized void end() {
    if (live) {
      draw();
    }
  }

  private void draw() {
    StringBuilder s = new StringBuilder();
    if (drawnLines > 0) {
      s.append("\033[").append(drawnLines).append('A');
    }
    for (EntityProgress p : entities.values()) {
      s.append("\r\033[2K").append(bar(p)).append('\n');
    }
    drawnLines = entities.size();
    err.print(s);
    err.flush();
  }

  private String bar(EntityProgress p) {
    // Airtable does not say how many records a table has: the bar fills per page, wrapping.
    int filled =
        switch (p.status()) {
          case FETCHED -> BAR;
          case PENDING -> 0;
          default -> p.pages() % (BAR + 1);
        };
    return String.format(
        "%-14s [%s%s] %-8s %,8d records %5d pages%s",
        p.name(),
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        p.status().wire(),
        p.records(),
        p.pages(),
        error(p) == null ? "" : "  " + Texts.shorten(error(p), 60));
  }

  private String error(EntityProgress p) {
    return RunReport.entityError(p.error(), runError);
  }

  private String line(EntityProgress p) {
    return String.format(
        "%s: %s, %,d records, %d pages%s%s",
        p.name(),
        p.status().wire(),
        p.records(),
        p.pages(),
        p.durationMs() == null ? "" : ", " + Reports.seconds(p.durationMs()),
        error(p) == null ? "" : " (" + error(p) + ")");
  }
}
