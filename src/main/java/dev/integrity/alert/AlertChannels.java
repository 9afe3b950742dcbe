package dev.integrity.alert;

import dev.integrity.Secret;
import dev.integrity.config.AlertsConfig;
import dev.integrity.config.EmailConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    if (config == null) {
      return List.of();
    }
    List<AlertChannel> channels = new ArrayList<>();
    if (config.slackWebhookUrl() != null) {
      channels.add(slack(config.slackWebhookUrl(), http, timeouts));
    }
    if (config.webhookUrl() != null) {
      channels.add(webhook(config.webhookUrl(), http, timeouts));
    }
    EmailConfig email = config.email();
    if (email != null) {
      channels.add(
          email(
              email.host(),
              email.port(),
              email.user(),
              email.password(),
              email.from(),
              email.to(),
              timeouts,
              clock));
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
