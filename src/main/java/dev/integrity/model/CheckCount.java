package dev.integrity.model;

/**
 * One row of a run's summary: the issues of one (entity, check, severity). {@code open} = new +
 * persisting; {@code resolved} = gone in this run. Immutable and thread-safe.
 */
public record CheckCount(
    String entity,
    String check,
    String severity,
    long open,
    long newCount,
    long persisting,
    long resolved) {}
