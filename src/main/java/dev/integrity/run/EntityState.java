package dev.integrity.run;

import dev.integrity.Ticker;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One entity's state machine within a run: {@code pending -> fetching -> fetched | error | timeout
 * | skipped}, {@code pending -> skipped}, and, once fetched, {@code unchecked -> checked} (or a
 * failed check). Every transition is a compare-and-set under this object's monitor, so the worker,
 * the deadline and a cancel can race on it and only the first wins. Thread-safe.
 */
final class EntityState {
  final String runId;
  final String name;
  final String table;
  private final Ticker ticker;

  private EntityStatus status = EntityStatus.PENDING;
  private long records;
  private int pages;
  private long startedNanos;
  private Long durationMs;
  private String error;
  private boolean checked;
  private long issues;
  private List<String> partialChecks = List.of();
  private String checkFailure;
  private Long pageLatencyMs;

  EntityState(String runId, String name, String table, Ticker ticker) {
    this.runId = runId;
    this.name = name;
    this.table = table;
    this.ticker = ticker;
  }

  /** PENDING -> FETCHING. */
  synchronized boolean start() {
    if (status != EntityStatus.PENDING) {
      return false;
    }
    status = EntityStatus.FETCHING;
    startedNanos = ticker.nanoTime();
    return true;
  }

  synchronized void progress(long records, int pages) {
    if (status == EntityStatus.FETCHING) {
      this.records = records;
      this.pages = pages;
      this.durationMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startedNanos);
    }
  }

  /** FETCHING -> FETCHED with the final counts. */
  synchronized boolean fetched(long records, int pages) {
    return fetched(records, pages, null);
  }

  /**
   * FETCHING -> FETCHED with the final counts and the median time of one page request (null when
   * not measured), which the next run's fetch planner reads.
   */
  synchronized boolean fetched(long records, int pages, Long pageLatencyMs) {
    if (status != EntityStatus.FETCHING) {
      return false;
    }
    this.status = EntityStatus.FETCHED;
    this.pageLatencyMs = pageLatencyMs;
    this.records = records;
    this.pages = pages;
    this.durationMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startedNanos);
    return true;
  }

  /** FETCHING -> {@code to}; keeps the counts reached so far. */
  synchronized boolean fail(EntityStatus to, String error) {
    if (status != EntityStatus.FETCHING) {
      return false;
    }
    this.status = to;
    this.error = error;
    this.durationMs = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - startedNanos);
    return true;
  }

  /** PENDING -> SKIPPED. */
  synchronized boolean skip(String reason) {
    if (status != EntityStatus.PENDING) {
      return false;
    }
    this.status = EntityStatus.SKIPPED;
    this.error = reason;
    return true;
  }

  /** Fetched and unchecked -> checked with {@code issues} open issues. */
  synchronized boolean checked(long issues) {
    return checked(issues, List.of());
  }

  /**
   * Fetched and unchecked -> checked with {@code issues} open issues, the checks in {@code
   * partialChecks} not run whole.
   */
  synchronized boolean checked(long issues, List<String> partialChecks) {
    if (status != EntityStatus.FETCHED || checked || checkFailure != null) {
      return false;
    }
    this.checked = true;
    this.issues = issues;
    this.partialChecks = List.copyOf(partialChecks);
    return true;
  }

  /** Fetched and unchecked -> its check failed (the entity stays fetched, unchecked). */
  synchronized boolean checkFailed(String why) {
    if (status != EntityStatus.FETCHED || checked || checkFailure != null) {
      return false;
    }
    this.checkFailure = why;
    this.error = "check failed: " + why;
    return true;
  }

  synchronized EntityStatus status() {
    return status;
  }

  synchronized boolean isChecked() {
    return checked;
  }

  /** Whether this entity makes the run end {@code error}: its fetch or its check failed. */
  synchronized boolean failed() {
    return status == EntityStatus.ERROR || checkFailure != null;
  }

  /** Records fetched so far (all of them once fetched). */
  synchronized long records() {
    return records;
  }

  synchronized String progressText() {
    return String.format("%,d records, %d pages", records, pages);
  }

  synchronized double elapsedSeconds() {
    return (ticker.nanoTime() - startedNanos) / 1e9;
  }

  /**
   * How the entity ended, for the run's message: {@code "students: error: HTTP 500 …"}; null when
   * it was checked.
   */
  synchronized String unchecked() {
    if (checked) {
      return null;
    }
    String why =
        error != null
            ? error
            : status == EntityStatus.FETCHED ? "not checked before the run ended" : null;
    return name + ": " + status.wire() + (why == null ? "" : ": " + why);
  }

  synchronized EntityProgress snapshot() {
    return new EntityProgress(
        runId,
        name,
        table,
        status,
        records,
        pages,
        durationMs,
        error,
        checked,
        issues,
        pageLatencyMs,
        partialChecks);
  }
}
