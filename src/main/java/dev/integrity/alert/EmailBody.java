package dev.integrity.alert;

import dev.integrity.common.Texts;
import dev.integrity.store.AlertRow;

/**
 * The HTML part of an alert e-mail (the plain-text part is the message's text). Every text is
 * HTML-escaped (Airtable's text is untrusted), and only http(s) URLs become links. Stateless.
 */
final class EmailBody {
  private static final int MAX_ISSUE_MESSAGE_CHARS = 500;

  private EmailBody() {}

  static String html(AlertMessage m) {
    StringBuilder html =
        new StringBuilder(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                + "<body style=\"font-family:sans-serif\">");
    html.append("<h2>").append(escape(m.title())).append("</h2>");
    Digest d = m.digest();
    if (d == null || !AlertRow.OPEN.equals(m.state())) {
      html.append("<pre style=\"white-space:pre-wrap\">").append(escape(m.text())).append("</pre>");
      if (m.runUrl() != null) {
        html.append("<p>").append(link(m.runUrl(), "Open the run")).append("</p>");
      }
    } else {
      digest(html, m, d);
    }
    return html.append("</body></html>").toString();
  }

  private static void digest(StringBuilder html, AlertMessage m, Digest d) {
    html.append("<p>")
        .append(d.total())
        .append(" new fail issue(s) in run <code>")
        .append(escape(d.runId()))
        .append("</code> of base <code>")
        .append(escape(d.baseId()))
        .append("</code>")
        .append(d.owner() == null ? "" : " for <b>" + escape(d.owner()) + "</b>")
        .append(".</p>");
    if (m.repeat()) {
      html.append("<p><i>Still open since ").append(escape(String.valueOf(m.since())));
      html.append("</i></p>");
    }
    html.append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">")
        .append("<tr><th>Entity</th><th>Check</th><th>New fail issues</th></tr>");
    for (Digest.PerCheck c : d.perCheck()) {
      html.append("<tr><td>")
          .append(escape(c.entity()))
          .append("</td><td>")
          .append(escape(c.check()))
          .append("</td><td>")
          .append(c.count())
          .append("</td></tr>");
    }
    html.append("</table>");
    html.append("<h3>First ").append(d.first().size()).append("</h3><ol>");
    for (Digest.Item item : d.first()) {
      html.append("<li>")
          .append(escape(item.entity()))
          .append(" <code>")
          .append(escape(item.recordId()))
          .append("</code> ")
          .append(escape(item.check()))
          .append(item.field() == null ? "" : " (" + escape(item.field()) + ")")
          .append(": ")
          .append(escape(Texts.shorten(item.message(), MAX_ISSUE_MESSAGE_CHARS)));
      if (http(item.url())) {
        html.append(" ").append(link(item.url(), "Open in Airtable"));
      }
      html.append("</li>");
    }
    html.append("</ol>");
    if (d.total() > d.first().size()) {
      html.append("<p>and ").append(d.total() - d.first().size()).append(" more</p>");
    }
    html.append("<ul>");
    for (Digest.RunPage p : d.runPages()) {
      html.append("<li>")
          .append(
              link(
                  p.url(),
                  "View the " + p.count() + " new fail issue(s) of " + p.label() + " in the run"))
          .append("</li>");
    }
    html.append("</ul>");
  }

  private static boolean http(String url) {
    return url != null && (url.startsWith("https://") || url.startsWith("http://"));
  }

  private static String link(String url, String label) {
    if (!http(url)) {
      return escape(label);
    }
    return "<a href=\"" + escape(url) + "\">" + escape(label) + "</a>";
  }

  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
