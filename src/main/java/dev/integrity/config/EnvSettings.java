package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.common.Texts;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything Integrity Runner reads from environment variables (the contract's table). Settings
 * that override the config file are null when their variable is unset or blank; {@code dbUrl},
 * {@code logFormat} and {@code limits} carry the contract's defaults. Immutable and thread-safe;
 * secrets print as {@code ****}.
 */
public record EnvSettings(
    Secret airtableToken,
    URI airtableBaseUrl,
    String dbUrl,
    String dbUser,
    Secret dbPassword,
    Secret apiToken,
    Secret slackWebhookUrl,
    Secret alertWebhookUrl,
    String smtpHost,
    Integer smtpPort,
    String smtpUser,
    Secret smtpPassword,
    String alertEmailFrom,
    List<String> alertEmailTo,
    LogFormat logFormat,
    Limits limits) {

  public static final String DEFAULT_DB_URL = "jdbc:sqlite:data/integrity.db";
  public static final URI DEFAULT_AIRTABLE_BASE_URL = URI.create("https://api.airtable.com");

  public EnvSettings {
    alertEmailTo = alertEmailTo == null ? List.of() : List.copyOf(alertEmailTo);
  }

  /** The format of log lines on stderr. Thread-safe. */
  public enum LogFormat {
    TEXT,
    JSON
  }

  /**
   * Reads the settings; {@code AIRTABLE_TOKEN} wins over its alias {@code AIRTABLE_API_KEY}.
   *
   * @throws ConfigException naming every variable with a bad value (never quoting a secret)
   */
  public static EnvSettings from(Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    EnvSettings settings = read(env, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }

  static EnvSettings read(Map<String, String> env, List<ConfigProblem> problems) {
    Secret token = Secret.ofNullable(env.get("AIRTABLE_TOKEN"));
    if (token == null) {
      token = Secret.ofNullable(env.get("AIRTABLE_API_KEY"));
    }
    String dbUrl = text(env, "INTEGRITY_DB_URL");
    return new EnvSettings(
        token,
        httpUrl(env, "AIRTABLE_BASE_URL", problems),
        dbUrl == null ? DEFAULT_DB_URL : dbUrl,
        text(env, "INTEGRITY_DB_USER"),
        Secret.ofNullable(env.get("INTEGRITY_DB_PASSWORD")),
        Secret.ofNullable(env.get("INTEGRITY_API_TOKEN")),
        secretUrl(env, "SLACK_WEBHOOK_URL", problems),
        secretUrl(env, "ALERT_WEBHOOK_URL", problems),
        text(env, "SMTP_HOST"),
        port(env, "SMTP_PORT", problems),
        text(env, "SMTP_USER"),
        Secret.ofNullable(env.get("SMTP_PASSWORD")),
        text(env, "ALERT_EMAIL_FROM"),
        list(env, "ALERT_EMAIL_TO"),
        logFormat(env, problems),
        Limits.read(env, problems));
  }

  private static String text(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static List<String> list(Map<String, String> env, String name) {
    String value = text(env, name);
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static URI httpUrl(Map<String, String> env, String name, List<ConfigProblem> problems) {
    String value = text(env, name);
    if (value == null) {
      return null;
    }
    URI uri = Urls.httpUri(value);
    if (uri == null) {
      problems.add(
          ConfigProblem.inEnvironment(
              name,
              name
                  + " must be an http(s) URL with a host, got '"
                  + Texts.shorten(value, 80)
                  + "'"));
    }
    return uri;
  }

  /** Webhook URLs carry their credential in the path: check them, never quote them. */
  private static Secret secretUrl(
      Map<String, String> env, String name, List<ConfigProblem> problems) {
    String value = text(env, name);
    if (value == null) {
      return null;
    }
    if (Urls.httpUri(value) == null) {
      problems.add(
          ConfigProblem.inEnvironment(
              name, name + " must be an http(s) URL with a host (value not shown: secret)"));
    }
    return new Secret(value);
  }

  private static Integer port(Map<String, String> env, String name, List<ConfigProblem> problems) {
    String value = text(env, name);
    if (value == null) {
      return null;
    }
    try {
      int port = Integer.parseInt(value);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(
        ConfigProblem.inEnvironment(
            name,
            name + " must be a port from 1 to 65535, got '" + Texts.shorten(value, 40) + "'"));
    return null;
  }

  private static LogFormat logFormat(Map<String, String> env, List<ConfigProblem> problems) {
    String value = text(env, "LOG_FORMAT");
    if (value == null) {
      return LogFormat.TEXT;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "text" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> {
        problems.add(
            ConfigProblem.inEnvironment(
                "LOG_FORMAT",
                "LOG_FORMAT must be text or json, got '" + Texts.shorten(value, 40) + "'"));
        yield LogFormat.TEXT;
      }
    };
  }
}
