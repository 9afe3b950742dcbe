package dev.integrity.run;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.FetchCancelledException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.SendPriority;
import dev.integrity.airtable.TableFetch;
import dev.integrity.model.AirtableRecord;
import dev.integrity.plan.PageLatency;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * cancelled (through a child of the run's control, so the run goes on). Thread-safe; one instance
 * per entity and run.
 */
final class PartitionedFetch implements EntityFetcher {
  private static final Logger log = LoggerFactory.getLogger(PartitionedFetch.class);

  private final AirtableClient client;
  private final String baseId;
  private final String entity;
  private final List<ListOptions> partitions;
  private final int expectedPages;

  /** Pages and records each partition has read so far (a restart counts again from 0). */
  private final int[] pages;

  private final long[] records;

  /**
   * @param partitions the list options of each partition, in order (one = the whole table)
   * @param expectedPages last run's page count, 0 when unknown (then no priority)
   */
  PartitionedFetch(
      AirtableClient client,
      String baseId,
      String entity,
      List<ListOptions> partitions,
      int expectedPages) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("an entity is read as at least one iteration");
    }
    this.client = client;
    this.baseId = baseId;
    this.entity = entity;
    this.partitions = List.copyOf(partitions);
    this.expectedPages = expectedPages;
    this.pages = new int[partitions.size()];
    this.records = new long[partitions.size()];
  }

  /** The pages this table has left by last run's count; higher goes first at the base's limiter. */
  long pagesLeft() {
    synchronized (pages) {
      int read = 0;
      for (int p : pages) {
        read += p;
      }
      return Math.max(0, expectedPages - read);
    }
  }

  @Override
  public Fetched fetch(String table, FetchControl control, Progress progress) {
    SendPriority priority = expectedPages > 0 ? this::pagesLeft : SendPriority.NONE;
    PageLatency latency = new PageLatency();
    if (partitions.size() == 1) {
      TableFetch only = read(0, table, control, progress, priority, latency);
      return new Fetched(only.records(), only.pages(), latency.medianMillis());
    }
    FetchControl partitionsControl = control.child();
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    // Virtual threads: each partition blocks on its HTTP calls; the run's pool is not held by them.
    try (ExecutorService threads =
        Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("integrity-partition-" + entity + "-", 1).factory())) {
      List<Future<TableFetch>> parts = new ArrayList<>();
      for (int i = 1; i < partitions.size(); i++) {
        int index = i;
        parts.add(
            threads.submit(
                () -> {
                  if (mdc != null) {
                    MDC.setContextMap(mdc);
                  }
                  return read(index, table, partitionsControl, progress, priority, latency);
                }));
      }
      List<TableFetch> results = new ArrayList<>();
      RuntimeException failure = null;
      try {
        results.add(read(0, table, partitionsControl, progress, priority, latency));
      } catch (RuntimeException e) {
        failure = e;
        partitionsControl.cancel(e.getMessage());
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
      return merge(table, results, latency);
    } finally {
      control.release(partitionsControl);
    }
  }

  private TableFetch read(
      int index,
      String table,
      FetchControl control,
      Progress progress,
      SendPriority priority,
      PageLatency latency) {
    return client.listRecords(
        baseId,
        table,
        partitions.get(index),
        control,
        page -> {
          latency.add(page.latency());
          long recordsSoFar;
          int pagesSoFar;
          synchronized (pages) {
            pages[index] = page.page();
            records[index] = page.recordsSoFar();
            recordsSoFar = sum(records);
            pagesSoFar = (int) sum(pages);
          }
          progress.onPage(recordsSoFar, pagesSoFar);
        },
        priority);
  }

  /** The partitions' records, each once (they are disjoint; a duplicate would be a planner bug). */
  private Fetched merge(String table, List<TableFetch> results, PageLatency latency) {
    Map<String, AirtableRecord> byId = new LinkedHashMap<>();
    int pageCount = 0;
    int duplicates = 0;
    for (TableFetch result : results) {
      pageCount += result.pages();
      for (AirtableRecord record : result.records()) {
        if (byId.putIfAbsent(record.id(), record) != null) {
          duplicates++;
        }
      }
    }
    if (duplicates > 0) {
      log.warn(
          "{} (table {}): {} records came in more than one partition; each is counted once",
          entity,
          table,
          duplicates);
    }
    return new Fetched(new ArrayList<>(byId.values()), pageCount, latency.medianMillis());
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  private static long sum(int[] values) {
    long total = 0;
    for (int v : values) {
      total += v;
    }
    return total;
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
