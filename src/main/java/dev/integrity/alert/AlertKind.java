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

  static AlertKind of(String wire) {
    for (AlertKind kind : values()) {
      if (kind.wire.equals(wire)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown alert kind '" + wire + "'");
  }
}
