package dev.integrity.alert;

import dev.integrity.Secret;
import java.time.Clock;
import java.util.List;
import okhttp3.OkHttpClient;

/** Builds the configured alert channels. Stateless. */
public final class AlertChannels {
  private AlertChannels() {}

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
