package dev.integrity.check;

import dev.integrity.IntegrityException;

/**
 * Evaluation stopped because its thread was interrupted (a cancelled or timed-out run); the
 * interrupt flag stays set. Immutable and thread-safe.
 */
public final class EvaluationInterruptedException extends IntegrityException {
  private final String entity;
  private final int recordsChecked;

  EvaluationInterruptedException(String entity, int recordsChecked, int recordsTotal) {
    super(
        "checking entity '"
            + entity
            + "' was interrupted after "
            + recordsChecked
            + " of "
            + recordsTotal
            + " records");
    this.entity = entity;
    this.recordsChecked = recordsChecked;
  }

  public String entity() {
    return entity;
  }

  public int recordsChecked() {
    return recordsChecked;
  }
}
