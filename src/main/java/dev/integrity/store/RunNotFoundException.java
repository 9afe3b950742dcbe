package dev.integrity.store;

/** A status change or heartbeat named a run the store does not have. Immutable once thrown. */
public final class RunNotFoundException extends StoreException {
  private final String runId;

  public RunNotFoundException(String runId, String operation) {
    super(operation + ": no run with id " + runId);
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
