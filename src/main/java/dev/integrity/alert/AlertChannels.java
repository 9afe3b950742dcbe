package dev.integrity.alert;

import dev.integrity.Secret;
import dev.integrity.config.AlertsConfig;
import dev.integrity.config.EmailConfig;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.OwnerConfig;
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
            bases.put(baseId, base(config, Map.of(), http, timeouts, clock, shared)));
    return AlertRoutes.perBase(bases);
  }

  /**
   * As {@link #routes(Map, OkHttpClient, ChannelTimeouts, Clock)}, with each base's entity owners:
   * an alert about an entity with an {@code owner} goes to the owner's channels (its e-mail through
   * the base's SMTP settings), and {@code alerts.repeatAfter} from each config.
   *
   * @param configs the served configs, one per base
   */
  public static AlertRoutes routesOf(
      List<IntegrityConfig> configs, OkHttpClient http, ChannelTimeouts timeouts, Clock clock) {
    Map<Object, AlertChannel> shared = new HashMap<>();
    Map<String, BaseAlerts> bases = new LinkedHashMap<>();
    for (IntegrityConfig config : configs) {
      bases.put(
          config.airtable().baseId(),
          base(config.alerts(), config.entities(), http, timeouts, clock, shared));
    }
    return AlertRoutes.perBase(bases);
  }

  private static BaseAlerts base(
      AlertsConfig config,
      Map<String, EntityConfig> entities,
      OkHttpClient http,
      ChannelTimeouts timeouts,
      Clock clock,
      Map<Object, AlertChannel> shared) {
    Map<String, Owner> owners = new LinkedHashMap<>();
    Map<String, Owner> byName = new HashMap<>();
    entities.forEach(
        (name, entity) -> {
          OwnerConfig owner = entity.owner();
          if (owner != null) {
            owners.put(
                name,
                byName.computeIfAbsent(
                    owner.name(),
                    n ->
                        new Owner(
                            n,
                            ownerChannels(
                                owner,
                                config == null ? null : config.email(),
                                http,
                                timeouts,
                                clock,
                                shared))));
          }
        });
    return new BaseAlerts(
        from(config, http, timeouts, clock, shared),
        config != null && config.onNewFailIssues(),
        config == null ? AlertsConfig.DEFAULT_REPEAT_AFTER : config.repeatAfter(),
        owners);
  }

  /** An owner's Slack, webhook and e-mail (through {@code smtp}, the base's SMTP settings). */
  private static List<AlertChannel> ownerChannels(
      OwnerConfig owner,
      EmailConfig smtp,
      OkHttpClient http,
      ChannelTimeouts timeouts,
      Clock clock,
      Map<Object, AlertChannel> shared) {
    List<AlertChannel> channels = new ArrayList<>();
    Secret slackUrl = owner.slackWebhookUrl();
    if (slackUrl != null) {
      channels.add(
          shared.computeIfAbsent(List.of("slack", slackUrl), k -> slack(slackUrl, http, timeouts)));
    }
    Secret webhookUrl = owner.webhookUrl();
    if (webhookUrl != null) {
      channels.add(
          shared.computeIfAbsent(
              List.of("webhook", webhookUrl), k -> webhook(webhookUrl, http, timeouts)));
    }
    if (!owner.email().isEmpty()) {
      if (smtp == null) {
        // The config refuses this; a config built in code could still get here.
        throw new IllegalArgumentException(
            "owner " + owner.name() + " has e-mail addresses but the base has no SMTP settings");
      }
      EmailConfig email =
          new EmailConfig(
              smtp.host(), smtp.port(), smtp.user(), smtp.password(), smtp.from(), owner.email());
      channels.add(shared.computeIfAbsent(email, k -> email(email, timeouts, clock)));
    }
    return channels;
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
      channels.add(shared.computeIfAbsent(email, k -> email(email, timeouts, clock)));
    }
    return List.copyOf(channels);
  }

  /** An e-mail channel of these settings. */
  private static AlertChannel email(EmailConfig email, ChannelTimeouts timeouts, Clock clock) {
    return email(
        email.host(),
        email.port(),
        email.user(),
        email.password(),
        email.from(),
        email.to(),
        timeouts,
        clock);
  }

  /** Slack incoming webhook: posts Block Kit sections and a {@code text} fallback. */
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
