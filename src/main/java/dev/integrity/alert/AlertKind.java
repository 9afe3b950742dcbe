package dev.integrity.alert;

/** The conditions that raise alerts, with their stored name, title and dedup key. Immutable. */
enum AlertKind {
  RUN_TIMEOUT("run_timeout", "Run timed out", "run-timeout:"),
  RUN_ERROR("run_error", "Run failed with an error", "run-error:"),
  LONG_RUN("long_run", "Run is taking too long", "long-run:"),
  RUNNING_RUNS("running_runs", "Too many runs running", "running-runs"),
  SCHEDULE_SKIPPED("schedule_skipped", "Schedule keeps skipping its fires", "schedule-skipped:"),
  NEW_FAIL_ISSUES("new_fail_issues", "New failing issues", "new-fail-issues:");

  private final String wire;
  private final String title;
  private final String keyPrefix;

  AlertKind(String wire, String title, String keyPrefix) {
    this.wire = wire;
    this.title = title;
    this.keyPrefix = keyPrefix;
  }

  String wire() {
    return wire;
  }

  String title() {
    return title;
  }

  /**
   * The dedup key: one open alert per key. Run timeouts, errors and new fail issues are per base (a
   * base failing every night is one open condition), long runs per run, skipped fires per cause
   * (naming every schedule and base).
   */
  String key(String subject) {
    return this == RUNNING_RUNS ? keyPrefix : keyPrefix + subject;
  }

  private static final String OWNER = "|owner:";

  /**
   * The key of the new-fail-issues condition of one owner's entities of a base; {@code owner} null
   * for the base's own (entities without an owner), which keeps the key it had before owners.
   */
  static String newFailIssuesKey(String baseId, String owner) {
    return NEW_FAIL_ISSUES.key(baseId) + (owner == null ? "" : OWNER + owner);
  }

  /** The owner a stored alert is about (read back from its key), or null for the base's. */
  static String ownerOf(String key) {
    if (key == null || !key.startsWith(NEW_FAIL_ISSUES.keyPrefix)) {
      return null;
    }
    int at = key.indexOf(OWNER);
    return at < 0 ? null : key.substring(at + OWNER.length());
  }

  static AlertKind of(String wire) {
    for (AlertKind kind : values()) {
      if (kind.wire.equals(wire)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown alert kind '" + wire + "'");
  }
}
