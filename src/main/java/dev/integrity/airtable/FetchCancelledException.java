package dev.integrity.airtable;

/**
 * The fetch stopped because its {@link FetchControl} was cancelled (or the client closed, or the
 * thread interrupted); {@link #reason()} says why. Immutable once thrown.
 */
public final class FetchCancelledException extends AirtableException {
  private final String reason;

  FetchCancelledException(String reason, String baseId, String table, int page) {
    super(
        "Fetch of " + Texts.where(baseId, table, page) + " cancelled: " + reason,
        baseId,
        table,
        page,
        null);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
