package dev.integrity.web;

import dev.integrity.model.IssueRow;
import java.time.temporal.ChronoUnit;

/**
 * The issue CSV (RFC 4180, CRLF) of the run page and of {@code integrity issues --format csv}: one
 * writer for both. The message is written whole and the offending value, whole, has its own column;
 * a cell with a comma, a quote or a line break is quoted. Stateless and thread-safe.
 */
public final class Csv {
  public static final String HEADER =
      "entity,recordId,check,field,severity,message,value,url,state,firstSeenAt,acknowledged\r\n";

  private Csv() {}

  public static String row(IssueRow i) {
    return String.join(
            ",",
            cell(i.entity()),
            cell(i.recordId()),
            cell(i.checkId()),
            cell(i.field()),
            cell(i.severity()),
            cell(i.message()),
            cell(i.value()),
            cell(i.url()),
            cell(i.state() == null ? IssueRow.NEW : i.state()),
            cell(
                i.firstSeenAt() == null
                    ? null
                    : i.firstSeenAt().truncatedTo(ChronoUnit.MILLIS).toString()),
            // The acknowledgement's reason: empty when none covers the issue.
            cell(i.ack() == null ? null : i.ack().reason()))
        + "\r\n";
  }

  /**
   * Quotes when needed and doubles the quotes inside. Values from Airtable are untrusted: a leading
   * {@code = + - @} would run as a spreadsheet formula, so such cells get a {@code '}.
   */
  public static String cell(String value) {
    if (value == null) {
      return "";
    }
    if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
      value = "'" + value;
    }
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
