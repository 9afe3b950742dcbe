package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.MapNode;
import java.time.Duration;
import java.util.List;

/**
 * The {@code alerts} section: Slack, webhook and e-mail channels (each overridden by the
 * environment) and the new-fail-issues switch. Secret values never appear in a message. Not
 * thread-safe; one per load.
 */
final class AlertsSection {
  private final Binding b;
  private final Overrides env;

  AlertsSection(Binding b, Overrides env) {
    this.b = b;
    this.env = env;
  }

  AlertsConfig bind(MapNode top) {
    YamlNode node = Binding.value(top, "alerts");
    MapNode section = node == null ? null : b.map(node, "alerts");
    if (section != null) {
      b.onlyKeys(
          section,
          "alerts",
          List.of("slack", "webhook", "email", "onNewFailIssues", "repeatAfter"));
    }
    Secret slack = env.slackWebhookUrl();
    if (slack == null) {
      slack = secretUrl(section, "slack", "webhookUrl");
    } else {
      checkKeysOnly(section, "slack", List.of("webhookUrl"));
    }
    Secret webhook = env.alertWebhookUrl();
    if (webhook == null) {
      webhook = secretUrl(section, "webhook", "url");
    } else {
      checkKeysOnly(section, "webhook", List.of("url"));
    }
    EmailConfig email = email(section);
    Boolean onNewFail =
        section == null
            ? Boolean.FALSE
            : b.bool(
                Binding.value(section, "onNewFailIssues") == null
                    ? null
                    : new Option(
                        Binding.value(section, "onNewFailIssues"), "alerts.onNewFailIssues"),
                false);
    Duration repeatAfter = repeatAfter(section);
    return new AlertsConfig(slack, webhook, email, onNewFail != null && onNewFail, repeatAfter);
  }

  /** {@code alerts.repeatAfter}: minutes, hours or days ({@code 90m}, {@code 24h}, {@code 2d}). */
  private Duration repeatAfter(MapNode section) {
    YamlNode node = Binding.value(section, "repeatAfter");
    if (node == null) {
      return AlertsConfig.DEFAULT_REPEAT_AFTER;
    }
    String text = b.string(node, "alerts.repeatAfter");
    if (text == null) {
      return AlertsConfig.DEFAULT_REPEAT_AFTER;
    }
    Duration d = TableCheckTypes.age(text.trim());
    if (d == null) {
      b.problem(
          node,
          "alerts.repeatAfter",
          "repeatAfter must be a positive number of minutes, hours or days such as 90m, 24h or"
              + " 7d, got '"
              + Texts.shorten(text, 40)
              + "'");
      return AlertsConfig.DEFAULT_REPEAT_AFTER;
    }
    return d;
  }

  private void checkKeysOnly(MapNode section, String key, List<String> keys) {
    if (section == null) {
      return;
    }
    YamlNode node = Binding.value(section, key);
    MapNode channel = node == null ? null : b.map(node, "alerts." + key);
    if (channel != null) {
      b.onlyKeys(channel, "alerts." + key, keys);
    }
  }

  private Secret secretUrl(MapNode section, String channelKey, String urlKey) {
    if (section == null) {
      return null;
    }
    YamlNode node = Binding.value(section, channelKey);
    if (node == null) {
      return null;
    }
    String path = "alerts." + channelKey;
    MapNode channel = b.map(node, path);
    if (channel == null) {
      return null;
    }
    b.onlyKeys(channel, path, List.of(urlKey));
    // An empty URL (e.g. ${SLACK_WEBHOOK_URL:-} with the variable unset) turns the channel off.
    String url = b.optionalString(channel, urlKey, path);
    if (url == null) {
      return null;
    }
    if (Urls.httpUri(url) == null) {
      b.problem(
          Binding.value(channel, urlKey),
          path + "." + urlKey,
          "must be an http(s) URL with a host (value not shown: secret)");
      return null;
    }
    return new Secret(url.trim());
  }

  private EmailConfig email(MapNode section) {
    YamlNode node = section == null ? null : Binding.value(section, "email");
    MapNode email = node == null ? null : b.map(node, "alerts.email");
    String path = "alerts.email";
    if (email != null) {
      b.onlyKeys(email, path, List.of("host", "port", "user", "password", "from", "to"));
    }
    String host = env.smtpHost() != null ? env.smtpHost() : b.optionalString(email, "host", path);
    if (host == null) {
      if (email != null && !email.entries().isEmpty()) {
        b.problem(email, path, "e-mail alerts need a host (alerts.email.host or SMTP_HOST)");
      }
      return null;
    }
    Integer port = env.smtpPort();
    if (port == null) {
      YamlNode portNode = email == null ? null : Binding.value(email, "port");
      port =
          portNode == null
              ? Integer.valueOf(25)
              : b.count(new Option(portNode, path + ".port"), 25, 1);
      if (port != null && port > 65535) {
        b.problem(portNode, path + ".port", "port must be from 1 to 65535");
        port = null;
      }
    }
    String user = env.smtpUser() != null ? env.smtpUser() : b.optionalString(email, "user", path);
    Secret password = env.smtpPassword();
    if (password == null) {
      String text = b.optionalString(email, "password", path);
      password = text == null ? null : Secret.ofNullable(text);
    }
    String from =
        env.alertEmailFrom() != null ? env.alertEmailFrom() : b.optionalString(email, "from", path);
    List<String> to = env.alertEmailTo();
    if (to.isEmpty() && email != null && Binding.value(email, "to") != null) {
      to = b.stringList(Binding.value(email, "to"), path + ".to");
    }
    if (from == null) {
      b.problem(
          email == null ? null : email,
          path + ".from",
          "e-mail alerts need a sender (alerts.email.from or ALERT_EMAIL_FROM)");
    }
    if (to == null || to.isEmpty()) {
      b.problem(
          email == null ? null : email,
          path + ".to",
          "e-mail alerts need recipients (alerts.email.to or ALERT_EMAIL_TO)");
    }
    if (port == null || from == null || to == null || to.isEmpty()) {
      return null;
    }
    return new EmailConfig(host, port, user, password, from, to);
  }
}
