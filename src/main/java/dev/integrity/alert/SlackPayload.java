package dev.integrity.alert;

import dev.integrity.common.Texts;
import dev.integrity.store.AlertRow;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Slack incoming-webhook body in Block Kit: {@code section} blocks of {@code mrkdwn} text plus a
 * plain {@code text} fallback for notifications. Slack parses {@code &}, {@code <} and {@code >} as
 * control characters in both, so every text we did not write (Airtable's, a run's error) has them
 * escaped as HTML entities, as Slack's formatting reference asks. Stateless.
 */
final class SlackPayload {
  // Slack refuses a section text above 3,000 characters and a message above 50 blocks.
  private static final int MAX_SECTION_CHARS = 3_000;
  private static final int MAX_ISSUE_MESSAGE_CHARS = 300;
  private static final int MAX_RUN_PAGES = 10;

  private SlackPayload() {}

  static Map<String, Object> of(AlertMessage m) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("text", "*" + escape(m.title()) + "*\n" + escape(m.text()));
    List<Map<String, Object>> blocks = new ArrayList<>();
    Digest digest = m.digest();
    if (digest == null || !AlertRow.OPEN.equals(m.state())) {
      blocks.add(section("*" + escape(m.title()) + "*\n" + escape(m.text())));
    } else {
      blocks.addAll(digestBlocks(m, digest));
    }
    payload.put("blocks", blocks);
    return payload;
  }

  private static List<Map<String, Object>> digestBlocks(AlertMessage m, Digest d) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    blocks.add(
        section(
            "*"
                + escape(m.title())
                + "*\n"
                + d.total()
                + " new fail issue(s) in run `"
                + escape(d.runId())
                + "` of base `"
                + escape(d.baseId())
                + "`"
                + (d.owner() == null ? "" : " for *" + escape(d.owner()) + "*")
                + (m.repeat() ? "\n_Still open since " + m.since() + "_" : "")));
    StringBuilder counts = new StringBuilder("*Per check*");
    for (Digest.PerCheck c : d.perCheck()) {
      counts
          .append("\n• ")
          .append(escape(c.entity()))
          .append(" / `")
          .append(escape(c.check()))
          .append("`: ")
          .append(c.count());
    }
    blocks.add(section(counts.toString()));
    int n = 0;
    for (Digest.Item item : d.first()) {
      n++;
      StringBuilder text =
          new StringBuilder()
              .append(n)
              .append(". ")
              .append(escape(item.entity()))
              .append(" `")
              .append(escape(item.recordId()))
              .append("` ")
              .append(escape(item.check()))
              .append(item.field() == null ? "" : " (" + escape(item.field()) + ")")
              .append(": ")
              .append(escape(Texts.shorten(item.message(), MAX_ISSUE_MESSAGE_CHARS)));
      String url = linkable(item.url());
      if (url != null) {
        text.append("\n<").append(url).append("|Open in Airtable>");
      }
      blocks.add(section(text.toString()));
    }
    if (d.total() > d.first().size()) {
      blocks.add(section("_and " + (d.total() - d.first().size()) + " more_"));
    }
    StringBuilder pages = new StringBuilder();
    d.runPages().stream()
        .limit(MAX_RUN_PAGES)
        .forEach(
            p -> {
              String url = linkable(p.url());
              if (url != null) {
                pages
                    .append(pages.isEmpty() ? "" : "\n")
                    .append('<')
                    .append(url)
                    .append("|View the ")
                    .append(p.count())
                    .append(" new fail issue(s) of ")
                    .append(escape(p.label()))
                    .append(">");
              }
            });
    if (d.runPages().size() > MAX_RUN_PAGES) {
      pages.append("\nand ").append(d.runPages().size() - MAX_RUN_PAGES).append(" more entities");
    }
    if (!pages.isEmpty()) {
      blocks.add(section(pages.toString()));
    }
    return blocks;
  }

  private static Map<String, Object> section(String mrkdwn) {
    String text =
        mrkdwn.length() > MAX_SECTION_CHARS
            ? mrkdwn.substring(0, MAX_SECTION_CHARS - 1) + "…"
            : mrkdwn;
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", text));
  }

  /** Slack's three control characters as entities; nothing else is touched. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * A URL fit for {@code <url|label>}: http(s) only (an Airtable cell could hold {@code
   * javascript:}), with {@code &} escaped like any text and no character that would end the link
   * early; null when not linkable.
   */
  static String linkable(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    for (char c : url.toCharArray()) {
      if (c == '|' || c == '<' || c == '>' || Character.isWhitespace(c)) {
        return null;
      }
    }
    try {
      String scheme = URI.create(url).getScheme();
      if (scheme == null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      return null;
    }
    return url.replace("&", "&amp;");
  }
}
