package dev.integrity.store;

import dev.integrity.model.IssueRow;

/**
 * Writes one run's issues in batches (one transaction per batch), so memory stays bounded whatever
 * the count; {@link #close()} writes the rest. Not thread-safe: one writer per thread.
 */
public interface IssueWriter extends AutoCloseable {
  /** Queues one issue; writes a batch when the buffer is full. */
  void add(IssueRow issue);

  /** Writes the buffered issues now. */
  void flush();

  /** Issues written to the database so far. */
  long written();

  /** Flushes; adding after close fails. */
  @Override
  void close();
}
