package dev.integrity.cli;

import dev.integrity.run.RunReport;

/** The contract's exit codes of {@code run} and {@code demo --no-serve}. */
final class ExitCode {
  static final int OK = 0;
  static final int FAIL_ISSUES = 1;
  static final int ERROR = 2;
  static final int TIMEOUT = 3;
  static final int CANCELLED = 4;
  static final int BASE_BUSY = 5;
  static final int USAGE = 64;

  private ExitCode() {}

  static int of(RunReport report) {
    return switch (report.status()) {
      case "succeeded" -> report.failIssues() > 0 ? FAIL_ISSUES : OK;
      case "timeout" -> TIMEOUT;
      case "cancelled" -> CANCELLED;
      default -> ERROR;
    };
  }
}
