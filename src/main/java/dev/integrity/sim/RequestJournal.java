package dev.integrity.sim;

import dev.integrity.Ticker;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Every request in arrival order (the newest {@code limit} of them), stamped under one lock so the
 * order of entries is the order of their timestamps. Thread-safe.
 */
final class RequestJournal {
  private final Ticker ticker;
  private final int limit;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Slot> slots = new ArrayDeque<>();
  private long total;

  RequestJournal(Ticker ticker, int limit) {
    this.ticker = ticker;
    this.limit = limit;
  }

  /** One request; its status is filled in once decided. */
  static final class Slot {
    final long arrivalNanos;
    private final String method;
    private final String path;
    private final String table;
    private final String query;
    private volatile int status;
    private volatile long bodyBytes;

    private Slot(long arrivalNanos, String method, String path, String table, String query) {
      this.arrivalNanos = arrivalNanos;
      this.method = method;
      this.path = path;
      this.table = table;
      this.query = query;
    }

    void status(int status) {
      this.status = status;
    }

    void bodyBytes(long bytes) {
      this.bodyBytes = bytes;
    }

    RequestLog toLog() {
      return new RequestLog(arrivalNanos, method, path, table, status, bodyBytes, query);
    }
  }

  Slot arrive(String method, String path, String table) {
    return arrive(method, path, table, null);
  }

  /** As above, keeping the raw query string ({@code null} for none). */
  Slot arrive(String method, String path, String table, String query) {
    lock.lock();
    try {
      Slot s = new Slot(ticker.nanoTime(), method, path, table, query);
      slots.addLast(s);
      total++;
      if (slots.size() > limit) {
        slots.removeFirst();
      }
      return s;
    } finally {
      lock.unlock();
    }
  }

  List<RequestLog> snapshot() {
    lock.lock();
    try {
      return slots.stream().map(Slot::toLog).toList();
    } finally {
      lock.unlock();
    }
  }

  long total() {
    lock.lock();
    try {
      return total;
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      slots.clear();
    } finally {
      lock.unlock();
    }
  }
}
