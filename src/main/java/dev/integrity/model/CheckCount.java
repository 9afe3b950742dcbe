package dev.integrity.model;

/**
 * One row of a run's summary: the issues of one (entity, check, severity). {@code open} = new +
 * persisting; {@code resolved} = found fine in this run; {@code retired} = left with their check's
 * removal from the config; {@code acknowledged} = the open ones an acknowledgement covers (counted
 * in {@code open} too). Immutable and thread-safe.
 */
public record CheckCount(
    String entity,
    String check,
    String severity,
    long open,
    long newCount,
    long persisting,
    long resolved,
    long retired,
    long acknowledged) {

  /** A row without acknowledged issues. */
  public CheckCount(
      String entity,
      String check,
      String severity,
      long open,
      long newCount,
      long persisting,
      long resolved,
      long retired) {
    this(entity, check, severity, open, newCount, persisting, resolved, retired, 0);
  }

  /** A row without retired issues. */
  public CheckCount(
      String entity,
      String check,
      String severity,
      long open,
      long newCount,
      long persisting,
      long resolved) {
    this(entity, check, severity, open, newCount, persisting, resolved, 0, 0);
  }
}
