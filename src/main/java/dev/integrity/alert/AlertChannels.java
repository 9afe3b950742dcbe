package dev.integrity.alert;

import dev.integrity.Secret;
import dev.integrity.config.AlertsConfig;
import dev.integrity.config.EmailConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;

/** Builds the configured alert channels. Stateless. */
public final class AlertChannels {
  private AlertChannels() {}

  /**
   * Every channel the config names: Slack, webhook, e-mail, in that order; none for a null config.
   *
   * @param http a client to share connection pools with; each channel applies {@code timeouts}
   */
  public static List<AlertChannel> from(
      AlertsConfig config, OkHttpClient http, ChannelTimeouts timeouts, Clock clock) {
    return from(config, http, timeouts, clock, new HashMap<>());
  }

  /**
   * Each base's alerts to the channels of its own config, with its own switch for new fail issues
   * (see {@link AlertRoutes#perBase}). Configs naming the same channel (same URL, same mail
   * settings) share one channel object, so an alert that goes everywhere is sent there once.
   *
   * @param configs each served base's alert config (null: none) by base id
   */
  public static AlertRoutes routes(
      Map<String, AlertsConfig> configs, OkHttpClient http, ChannelTimeouts timeouts, Clock clock) {
    Map<Object, AlertChannel> shared = new HashMap<>();
    Map<String, BaseAlerts> bases = new LinkedHashMap<>();
    configs.forEach(
        (baseId, config) ->
            bases.put(
                baseId,
                new BaseAlerts(
                    from(config, http, timeouts, clock, shared),
                    config != null && config.onNewFailIssues())));
    return AlertRoutes.perBase(bases);
  }

  /** The channels of one config, reusing those in {@code shared} (keyed by their settings). */
  private static List<AlertChannel> from(
      AlertsConfig config,
      OkHttpClient http,
      ChannelTimeouts timeouts,
      Clock clock,
      Map<Object, AlertChannel> shared) {
    if (config == null) {
      return List.of();
    }
    List<AlertChannel> channels = new ArrayList<>();
    Secret slackUrl = config.slackWebhookUrl();
    if (slackUrl != null) {
      channels.add(
          shared.computeIfAbsent(List.of("slack", slackUrl), k -> slack(slackUrl, http, timeouts)));
    }
    Secret webhookUrl = config.webhookUrl();
    if (webhookUrl != null) {
      channels.add(
          shared.computeIfAbsent(
              List.of("webhook", webhookUrl), k -> webhook(webhookUrl, http, timeouts)));
    }
    EmailConfig email = config.email();
    if (email != null) {
      channels.add(
          shared.computeIfAbsent(
              email,
              k ->
                  email(
                      email.host(),
                      email.port(),
                      email.user(),
                      email.password(),
                      email.from(),
                      email.to(),
                      timeouts,
                      clock)));
    }
    return List.copyOf(channels);
  }

  /** Slack incoming webhook: posts {@code {"text": …}}. */
  public static AlertChannel slack(Secret url, OkHttpClient http, ChannelTimeouts timeouts) {
    return HttpJsonChannel.slack(url, http, timeouts);
  }

  /** Generic JSON webhook: posts the {@link AlertMessage} as JSON. */
  public static AlertChannel webhook(Secret url, OkHttpClient http, ChannelTimeouts timeouts) {
    return HttpJsonChannel.webhook(url, http, timeouts);
  }

  /**
   * SMTP e-mail; {@code user} null sends without login, port 465 uses TLS from the start.
   *
   * @throws IllegalArgumentException when an address does not parse
   */
  public static AlertChannel email(
      String host,
      int port,
      String user,
      Secret password,
      String from,
      List<String> to,
      ChannelTimeouts timeouts,
      Clock clock) {
    return new EmailChannel(host, port, user, password, from, to, timeouts, clock);
  }
}
