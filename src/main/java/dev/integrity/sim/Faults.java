package dev.integrity.sim;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fault script of one simulator: a queue of "the next N matching requests get this fault",
 * either for any request or for one table. Entries are consulted in the order they were queued; the
 * first that matches a request is used and counted down. Thread-safe.
 *
 * <pre>{@code
 * sim.faults().forTable("Students").next(3, Fault.serverError(503));
 * sim.faults().next(1, Fault.stall());
 * }</pre>
 */
public final class Faults {
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Entry> queue = new ArrayList<>();

  Faults() {}

  /** Queues {@code fault} for the next {@code count} requests (any table, and the Meta API). */
  public Faults next(int count, Fault fault) {
    add(null, count, fault);
    return this;
  }

  /** Scopes the next faults to list/get requests of one table (by name or id). */
  public TableFaults forTable(String tableIdOrName) {
    return new TableFaults(Objects.requireNonNull(tableIdOrName, "tableIdOrName"));
  }

  /** Drops every queued fault. */
  public void clear() {
    lock.lock();
    try {
      queue.clear();
    } finally {
      lock.unlock();
    }
  }

  /** How many faulted requests are still queued in total. */
  public int pending() {
    lock.lock();
    try {
      return queue.stream().mapToInt(e -> e.remaining).sum();
    } finally {
      lock.unlock();
    }
  }

  /** Faults for one table; a view on the same queue. Thread-safe. */
  public final class TableFaults {
    private final String table;

    private TableFaults(String table) {
      this.table = table;
    }

    /** Queues {@code fault} for the next {@code count} requests to this table. */
    public TableFaults next(int count, Fault fault) {
      add(table, count, fault);
      return this;
    }
  }

  private void add(String table, int count, Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    lock.lock();
    try {
      queue.add(new Entry(table, fault, count));
    } finally {
      lock.unlock();
    }
  }

  /** Takes the fault for this request, if one is queued for it, and counts it down. */
  Fault take(Target target) {
    lock.lock();
    try {
      Iterator<Entry> it = queue.iterator();
      while (it.hasNext()) {
        Entry e = it.next();
        if (e.matches(target)) {
          if (--e.remaining == 0) {
            it.remove();
          }
          return e.fault;
        }
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * What a fault can match on: the table named by the path (null for the Meta API) with its
   * resolved id and name when it exists, and whether this is a list request carrying an offset.
   */
  record Target(String requestedTable, SimTable table, boolean carriesOffset) {
    boolean isTable(String nameOrId) {
      return nameOrId.equals(requestedTable)
          || (table != null && (nameOrId.equals(table.id()) || nameOrId.equals(table.name())));
    }
  }

  private static final class Entry {
    final String table;
    final Fault fault;
    int remaining;

    Entry(String table, Fault fault, int remaining) {
      this.table = table;
      this.fault = fault;
      this.remaining = remaining;
    }

    boolean matches(Target target) {
      if (table != null && !target.isTable(table)) {
        return false;
      }
      return !(fault instanceof Fault.ExpireOffset) || target.carriesOffset();
    }
  }
}
