package dev.integrity.alert;

import dev.integrity.store.AlertRow;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns stored alert rows into the messages channels deliver. Immutable and thread-safe. */
final class Messages {
  private final String dashboardUrl;

  Messages(String dashboardUrl) {
    this.dashboardUrl = dashboardUrl;
  }

  String runUrl(String runId) {
    return runId == null ? null : dashboardUrl + "/runs/" + runId;
  }

  AlertMessage opened(AlertRow row) {
    AlertKind kind = AlertKind.of(row.kind());
    String text = row.message() + "\n" + context(row) + "Since: " + row.openedAt();
    return message(row, AlertRow.OPEN, kind.title() + scope(row), text);
  }

  AlertMessage resolved(AlertRow row, String why) {
    AlertKind kind = AlertKind.of(row.kind());
    Instant end = row.resolvedAt();
    String text =
        "Resolved: "
            + why
            + "\nWas: "
            + row.message()
            + "\n"
            + context(row)
            + "Since: "
            + row.openedAt()
            + (end == null ? "" : "\nResolved at: " + end + " (open for " + human(row) + ")");
    return message(row, AlertRow.RESOLVED, "Resolved: " + kind.title() + scope(row), text);
  }

  private AlertMessage message(AlertRow row, String state, String title, String text) {
    return new AlertMessage(
        row.kind(),
        state,
        title,
        text,
        row.baseId(),
        row.schedule(),
        row.runId(),
        row.openedAt(),
        runUrl(row.runId()));
  }

  private static String scope(AlertRow row) {
    if (row.schedule() != null) {
      return " (schedule "
          + row.schedule()
          + (row.baseId() == null ? ")" : ", base " + row.baseId() + ")");
    }
    return row.baseId() == null ? "" : " (base " + row.baseId() + ")";
  }

  private String context(AlertRow row) {
    StringBuilder text = new StringBuilder();
    if (row.baseId() != null) {
      text.append("Base: ").append(row.baseId()).append('\n');
    }
    if (row.schedule() != null) {
      text.append("Schedule: ").append(row.schedule()).append('\n');
    }
    if (row.runId() != null) {
      text.append("Run: ").append(row.runId()).append(" ").append(runUrl(row.runId())).append('\n');
    }
    return text.toString();
  }

  private static String human(AlertRow row) {
    return human(Duration.between(row.openedAt(), row.resolvedAt()));
  }

  /** E.g. {@code 16 min}, {@code 2 h 5 min}, {@code 40 s}. */
  static String human(Duration d) {
    long seconds = Math.max(0, d.truncatedTo(ChronoUnit.SECONDS).getSeconds());
    if (seconds < 60) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min";
    }
    return minutes / 60 + " h " + minutes % 60 + " min";
  }
}
