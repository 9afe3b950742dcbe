package dev.integrity.model;

/**
 * One row of a run's summary: the issues of one (entity, check, severity). {@code open} = new +
 * persisting; {@code resolved} = found fine in this run; {@code retired} = left with their check's
 * removal from the config. Immutable and thread-safe.
 */
public record CheckCount(
    String entity,
    String check,
    String severity,
    long open,
    long newCount,
    long persisting,
    long resolved,
    long retired) {

  /** A row without retired issues. */
  public CheckCount(
      String entity,
      String check,
      String severity,
      long open,
      long newCount,
      long persisting,
      long resolved) {
    this(entity, check, severity, open, newCount, persisting, resolved, 0);
  }
}
