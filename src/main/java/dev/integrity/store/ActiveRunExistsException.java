package dev.integrity.store;

/**
 * A run could not be created because its base already has a queued or running run (enforced by the
 * database, so it holds across processes). Immutable once thrown.
 */
public final class ActiveRunExistsException extends StoreException {
  private final String baseId;
  private final String activeRunId;

  public ActiveRunExistsException(String baseId, String activeRunId) {
    super(
        "base "
            + baseId
            + " already has an active run ("
            + activeRunId
            + "): wait for it to end or cancel it");
    this.baseId = baseId;
    this.activeRunId = activeRunId;
  }

  public String baseId() {
    return baseId;
  }

  /** The queued or running run that blocks a new one. */
  public String activeRunId() {
    return activeRunId;
  }
}
