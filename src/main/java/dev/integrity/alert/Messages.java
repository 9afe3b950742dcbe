package dev.integrity.alert;

import dev.integrity.common.Texts;
import dev.integrity.store.AlertRow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Turns stored alert rows into the messages channels deliver. Immutable and thread-safe. */
final class Messages {
  private static final int MAX_ISSUE_MESSAGE_CHARS = 300;
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

  /**
   * A condition that stayed open, told again ({@code alerts.repeatAfter}): what it says now (the
   * row's message was rewritten), since when, and how often it repeats.
   */
  AlertMessage repeated(AlertRow row, Duration every) {
    AlertKind kind = AlertKind.of(row.kind());
    String text =
        row.message()
            + "\n"
            + context(row)
            + "Open since: "
            + row.openedAt()
            + "\nStill open: repeated at most every "
            + human(every);
    return new AlertMessage(
        row.kind(),
        AlertRow.OPEN,
        "Still open: " + kind.title() + scope(row),
        text,
        row.baseId(),
        row.schedule(),
        row.runId(),
        row.openedAt(),
        runUrl(row.runId()),
        AlertKind.ownerOf(row.key()),
        null,
        true);
  }

  /**
   * An owner's digest of a run's new fail issues, delivered when the condition opened or repeats.
   * The text is the row's message ({@link #digestText}); the digest rides along for the channels
   * that render it (Slack blocks, HTML e-mail, the webhook's JSON).
   */
  AlertMessage digest(AlertRow row, Digest digest, boolean repeat) {
    String title =
        (repeat ? "Still open: " : "")
            + AlertKind.NEW_FAIL_ISSUES.title()
            + (digest.owner() == null ? "" : " for " + digest.owner())
            + " (base "
            + digest.baseId()
            + ")";
    return new AlertMessage(
        row.kind(),
        AlertRow.OPEN,
        title,
        row.message() + (repeat ? "\nStill open since: " + row.openedAt() : ""),
        row.baseId(),
        row.schedule(),
        digest.runId(),
        row.openedAt(),
        runUrl(digest.runId()),
        digest.owner(),
        digest,
        repeat);
  }

  /** The plain text of a digest: counts per check, the first issues, the filtered run pages. */
  static String digestText(Digest d) {
    StringBuilder text =
        new StringBuilder()
            .append("Run ")
            .append(d.runId())
            .append(" of base ")
            .append(d.baseId())
            .append(" found ")
            .append(d.total())
            .append(" new issue(s) of severity fail")
            .append(d.owner() == null ? "" : " for " + d.owner())
            .append(":");
    for (Digest.PerCheck c : d.perCheck()) {
      text.append("\n- ").append(c.entity()).append(" / ").append(c.check()).append(": ");
      text.append(c.count());
    }
    text.append("\nFirst ").append(d.first().size()).append(':');
    for (Digest.Item item : d.first()) {
      text.append("\n- ")
          .append(item.entity())
          .append(' ')
          .append(item.recordId())
          .append(" (")
          .append(item.check())
          .append(item.field() == null ? "" : ", " + item.field())
          .append("): ")
          .append(Texts.shorten(item.message(), MAX_ISSUE_MESSAGE_CHARS))
          .append(item.url() == null ? "" : " " + item.url());
    }
    if (d.total() > d.first().size()) {
      text.append("\n- and ").append(d.total() - d.first().size()).append(" more");
    }
    for (Digest.RunPage p : d.runPages()) {
      text.append("\nNew fail issues of ").append(p.label()).append(": ").append(p.url());
    }
    return text.toString();
  }

  /**
   * The run page filtered to one entity's new unacknowledged fail issues: what a digest of the
   * base's channels counts.
   */
  String runPage(String runId, String entity) {
    return runUrl(runId) + "?entity=" + query(entity) + NEW_UNACKNOWLEDGED_FAIL;
  }

  /** The run page filtered to the new unacknowledged fail issues of the owner's entities. */
  String ownerRunPage(String runId, String owner) {
    return runUrl(runId) + "?owner=" + query(owner) + NEW_UNACKNOWLEDGED_FAIL;
  }

  // A digest holds the alerting fail issues: new, never the acknowledged.
  private static final String NEW_UNACKNOWLEDGED_FAIL = "&severity=fail&state=new&ack=no";

  /** A query parameter's value; a space is %20, which every reader of a URL takes. */
  private static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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
        runUrl(row.runId()),
        AlertKind.ownerOf(row.key()),
        null,
        false);
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
