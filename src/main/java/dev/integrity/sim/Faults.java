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
 * try (Faults.Outage down = sim.faults().forTable("Classes").down(Fault.serverError(503))) {
 *   // every request to Classes answers 503 until the outage is lifted
 * }
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

  /** How many faulted requests are still queued in total; an outage in force counts as one. */
  public int pending() {
    lock.lock();
    try {
      return queue.stream().mapToInt(e -> e.outage ? 1 : e.remaining).sum();
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

    /**
     * Takes the table down: every request to it gets {@code fault} (typically {@link
     * Fault#serverError(int)} or {@link Fault#tableNotFound()}) until the returned outage is lifted
     * or the script {@link Faults#clear() cleared}. Faults queued for the table after this one wait
     * behind it, as the queue is consulted in order.
     */
    public Outage down(Fault fault) {
      Objects.requireNonNull(fault, "fault");
      Entry entry = new Entry(table, fault, 1, true);
      lock.lock();
      try {
        queue.add(entry);
      } finally {
        lock.unlock();
      }
      return new Outage(entry);
    }
  }

  /** A table taken {@link TableFaults#down down}; lifting it (or closing it) is idempotent. */
  public final class Outage implements AutoCloseable {
    private final Entry entry;

    private Outage(Entry entry) {
      this.entry = entry;
    }

    /** Ends the outage: the table answers normally from the next request on. */
    public void lift() {
      lock.lock();
      try {
        queue.remove(entry);
      } finally {
        lock.unlock();
      }
    }

    /** Whether the outage is still in force. */
    public boolean inForce() {
      lock.lock();
      try {
        return queue.contains(entry);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lift();
    }
  }

  private void add(String table, int count, Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1: " + count);
    }
    lock.lock();
    try {
      queue.add(new Entry(table, fault, count, false));
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
          if (!e.outage && --e.remaining == 0) {
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

  /** Compared by identity: an outage lifts its own entry, not an equal one. */
  private static final class Entry {
    final String table;
    final Fault fault;
    final boolean outage;
    int remaining;

    Entry(String table, Fault fault, int remaining, boolean outage) {
      this.table = table;
      this.fault = fault;
      this.remaining = remaining;
      this.outage = outage;
    }

    boolean matches(Target target) {
      if (table != null && !target.isTable(table)) {
        return false;
      }
      return !(fault instanceof Fault.ExpireOffset) || target.carriesOffset();
    }
  }
}
