package dev.integrity.run;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.FirstPage;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.SendPriority;
import dev.integrity.airtable.TableFetch;
import dev.integrity.model.AirtableRecord;
import dev.integrity.plan.FetchPlan;
import dev.integrity.plan.FetchPlanner;
import dev.integrity.plan.LastFetch;
import dev.integrity.plan.PageLatency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One entity read by the fetch plan: one list-records iteration per partition (each with its own
 * {@code filterByFormula}, the entity's {@code view} and the projected {@code fields[]}), side by
 * side, their records merged and counted once. Each iteration pages on its own, so an expired
 * offset restarts only its partition. Every page waits for the base's rate with the pages the table
 * has left (last run's count minus the pages read so far) as its priority, so the table that would
 * finish last never waits while a smaller one sends. One partition fails the entity: the others are
 * cancelled (through a child of the run's control, so the run goes on).
 *
 * <p>A table no run has fetched ({@link FetchPlan.Table#firstPageFirst()}) has no page count to
 * plan by, so its first page is read alone, whole, ahead of other waiting requests (one request,
 * and what it says decides how the rest is read). Without an {@code offset} that page is the table.
 * With one, the planner decides from that page's latency ({@link FetchPlanner#afterFirstPage}):
 * when one iteration keeps up with the base's rate, the listing goes on from the offset; otherwise
 * the rest is read as the partitions the planner chose, each leaving out the first page's records
 * by id, so that no record is read twice and none is lost between the two reads.
 *
 * <p>The figures: {@link Fetched#pages()} is the table's page count as one whole-table iteration
 * reads it ({@link LastFetch#pagesOf}), which the next run's planner plans by; the requests it took
 * (part-filled partition pages included) are {@link Fetched#requests()}. Progress is reported in
 * the same terms and never goes down (a restarted partition aside), so that it ends at the final
 * figures. Thread-safe; one instance per entity and run.
 */
final class PartitionedFetch implements EntityFetcher {
  private static final Logger log = LoggerFactory.getLogger(PartitionedFetch.class);

  /** A first page read alone goes before every other waiting request of the base. */
  private static final SendPriority FIRST_PAGE = () -> Long.MAX_VALUE;

  private final AirtableClient client;
  private final String baseId;
  private final FetchPlan.Table plan;
  private final List<String> fields;
  private final String view;
  private final String filter;
  private final Function<Duration, FetchPlan.Table> afterFirstPage;

  /**
   * @param plan how the planner reads this entity: its partitions, or its first page first
   * @param fields the projected {@code fields[]}, null for all
   * @param view the entity's view, null for none
   * @param filter the entity's filter, null for none
   * @param afterFirstPage for a table read from its first page, the plan once that page (of this
   *     latency) said more pages follow
   */
  PartitionedFetch(
      AirtableClient client,
      String baseId,
      FetchPlan.Table plan,
      List<String> fields,
      String view,
      String filter,
      Function<Duration, FetchPlan.Table> afterFirstPage) {
    this.client = client;
    this.baseId = baseId;
    this.plan = plan;
    this.fields = fields;
    this.view = view;
    this.filter = filter;
    this.afterFirstPage = afterFirstPage;
  }

  /** As above, a first page that says more pages follow split by {@code planner} at this rate. */
  PartitionedFetch(
      AirtableClient client,
      String baseId,
      FetchPlan.Table plan,
      List<String> fields,
      String view,
      String filter,
      FetchPlanner planner,
      double ratePerSecond) {
    this(
        client,
        baseId,
        plan,
        fields,
        view,
        filter,
        latency -> planner.afterFirstPage(plan.entity(), latency, ratePerSecond));
  }

  @Override
  public Fetched fetch(String table, FetchControl control, Progress progress) {
    PageLatency latency = new PageLatency();
    if (!plan.firstPageFirst()) {
      int expected = plan.last().pages();
      return new Reading(table, plan, expected, List.of(), latency, progress).read(control);
    }
    ListOptions whole = plan.listOptions(fields, view, filter).getFirst();
    FirstPage first = client.firstPage(baseId, table, whole, control, FIRST_PAGE);
    latency.add(first.latency());
    progress.onPage(first.records().size(), 1);
    if (!first.more()) {
      return new Fetched(first.records(), 1, latency.medianMillis(), 1);
    }
    FetchPlan.Table split = afterFirstPage.apply(first.latency());
    log.info("table {}: {}", table, split.reason());
    if (!split.partitioned()) {
      // One iteration keeps the rate busy: go on from the first page's offset.
      TableFetch all =
          client.listRecordsAfter(
              baseId,
              first,
              whole,
              control,
              page -> {
                latency.add(page.latency());
                progress.onPage(page.recordsSoFar(), page.page());
              },
              SendPriority.NONE);
      return new Fetched(all.records(), all.pages(), latency.medianMillis());
    }
    return new Reading(table, split, 0, first.records(), latency, progress).read(control);
  }

  /** One reading of the table by a plan's partitions; its counts are this reading's. */
  private final class Reading {
    private final String table;
    private final List<ListOptions> partitions;
    private final int expectedPages;
    private final List<AirtableRecord> firstPage;
    private final int firstPageRequests;
    private final PageLatency latency;
    private final Progress progress;

    /**
     * Guards the counts and orders the progress reports: partitions report one at a time, so the
     * figures saved and counted never go back. A lock, not a monitor: a report writes to the store
     * from a virtual thread.
     */
    private final ReentrantLock lock = new ReentrantLock();

    /** Pages and records each partition has read so far (a restart counts again from 0). */
    private final int[] pages;

    private final long[] records;

    /**
     * @param expectedPages last run's page count, 0 when unknown (then no priority)
     * @param firstPage the records of the table's first page when it was read before (each
     *     partition leaves them out), else none
     */
    Reading(
        String table,
        FetchPlan.Table reads,
        int expectedPages,
        List<AirtableRecord> firstPage,
        PageLatency latency,
        Progress progress) {
      this.table = table;
      this.firstPage = firstPage;
      this.firstPageRequests = firstPage.isEmpty() ? 0 : 1;
      this.partitions =
          firstPage.isEmpty()
              ? reads.listOptions(fields, view, filter)
              : reads.listOptions(
                  fields, view, filter, firstPage.stream().map(AirtableRecord::id).toList());
      this.expectedPages = expectedPages;
      this.latency = latency;
      this.progress = progress;
      this.pages = new int[partitions.size()];
      this.records = new long[partitions.size()];
    }

    /** The pages this table has left by last run's count; higher goes first at the limiter. */
    long pagesLeft() {
      lock.lock();
      try {
        return Math.max(0, expectedPages - sum(pages));
      } finally {
        lock.unlock();
      }
    }

    /** Whole-table page numbers, as the client counts them, when this is one plain iteration. */
    private boolean plain() {
      return partitions.size() == 1 && firstPageRequests == 0;
    }

    Fetched read(FetchControl control) {
      SendPriority priority = expectedPages > 0 ? this::pagesLeft : SendPriority.NONE;
      if (partitions.size() == 1) {
        TableFetch only = read(0, control, priority);
        if (plain()) {
          return new Fetched(only.records(), only.pages(), latency.medianMillis());
        }
        return merge(List.of(only));
      }
      FetchControl partitionsControl = control.child();
      Map<String, String> mdc = MDC.getCopyOfContextMap();
      // Virtual threads: each partition blocks on its HTTP calls; the run's pool is not held.
      try (ExecutorService threads =
          Executors.newThreadPerTaskExecutor(
              Thread.ofVirtual().name("integrity-partition-" + plan.entity() + "-", 1).factory())) {
        List<Future<TableFetch>> parts = new ArrayList<>();
        for (int i = 1; i < partitions.size(); i++) {
          int index = i;
          parts.add(
              threads.submit(
                  () -> {
                    if (mdc != null) {
                      MDC.setContextMap(mdc);
                    }
                    return read(index, partitionsControl, priority);
                  }));
        }
        List<TableFetch> results = new ArrayList<>();
        RuntimeException failure = null;
        try {
          results.add(read(0, partitionsControl, priority));
        } catch (RuntimeException e) {
          failure = e;
          partitionsControl.cancel(e.getMessage());
        } catch (Error e) {
          // Out of memory or worse: the other partitions stop too, and the entity ends on it.
          partitionsControl.cancel("a partition failed: " + e);
          throw e;
        }
        for (Future<TableFetch> part : parts) {
          try {
            results.add(part.get());
          } catch (ExecutionException e) {
            RuntimeException cause =
                e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
            failure = prefer(failure, cause);
            partitionsControl.cancel(cause.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            partitionsControl.cancel("interrupted");
            throw new IllegalStateException(
                "interrupted while reading the partitions of table " + table, e);
          }
        }
        if (failure != null) {
          throw failure;
        }
        return merge(results);
      } finally {
        control.release(partitionsControl);
      }
    }

    private TableFetch read(int index, FetchControl control, SendPriority priority) {
      return client.listRecords(
          baseId,
          table,
          partitions.get(index),
          control,
          page -> {
            latency.add(page.latency());
            lock.lock();
            try {
              pages[index] = page.page();
              records[index] = page.recordsSoFar();
              if (plain()) {
                progress.onPage(records[0], pages[0]);
              } else {
                long recordsSoFar = firstPage.size() + sum(records);
                progress.onPage(recordsSoFar, LastFetch.pagesOf(recordsSoFar));
              }
            } finally {
              lock.unlock();
            }
          },
          priority);
    }

    /** The partitions' records, each once (they are disjoint; a duplicate is a planner bug). */
    private Fetched merge(List<TableFetch> results) {
      Map<String, AirtableRecord> byId = new LinkedHashMap<>();
      firstPage.forEach(r -> byId.put(r.id(), r));
      int requests = firstPageRequests;
      int duplicates = 0;
      for (TableFetch result : results) {
        requests += result.pages();
        for (AirtableRecord record : result.records()) {
          if (byId.putIfAbsent(record.id(), record) != null) {
            duplicates++;
          }
        }
      }
      if (duplicates > 0) {
        log.warn(
            "{} (table {}): {} records came in more than one partition; each is counted once",
            plan.entity(),
            table,
            duplicates);
      }
      return new Fetched(
          new ArrayList<>(byId.values()),
          LastFetch.pagesOf(byId.size()),
          latency.medianMillis(),
          requests);
    }
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  private static int sum(int[] values) {
    long total = 0;
    for (int v : values) {
      total += v;
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  /**
   * The failure to report: the first real one, not the cancellations it caused in the other
   * partitions (the client's {@link AirtableException}s pass through unchanged).
   */
  private static RuntimeException prefer(RuntimeException current, RuntimeException next) {
    if (current == null) {
      return next;
    }
    if (current instanceof FetchCancelledException && !(next instanceof FetchCancelledException)) {
      return next;
    }
    return current;
  }
}
