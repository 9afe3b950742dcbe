package dev.integrity.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.config.AlertsConfig;
import dev.integrity.config.EmailConfig;
import dev.integrity.config.Limits;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Channels and settings built from the config. */
class AlertChannelsTest {
  private final OkHttpClient http = new OkHttpClient();

  @Test
  void every_configured_channel_is_built_in_order_and_none_for_no_config() {
    AlertsConfig config =
        new AlertsConfig(
            new Secret("https://hooks.slack.com/services/T/B/secret"),
            new Secret("https://example.org/hook/secret"),
            new EmailConfig(
                "smtp.example.org",
                587,
                "alerts",
                new Secret("pw"),
                "integrity@example.org",
                List.of("ops@example.org")),
            true);

    List<AlertChannel> channels =
        AlertChannels.from(config, http, ChannelTimeouts.defaults(), Clock.systemUTC());

    assertThat(channels)
        .extracting(AlertChannel::name)
        .containsExactly("slack", "webhook", "email");
    assertThat(channels.toString()).doesNotContain("secret").doesNotContain("pw,");
    assertThat(AlertChannels.from(AlertsConfig.none(), http, ChannelTimeouts.defaults(), null))
        .isEmpty();
    assertThat(AlertChannels.from(null, http, ChannelTimeouts.defaults(), null)).isEmpty();
  }

  @Test
  void settings_take_their_thresholds_from_the_limits_and_the_switch_from_the_config() {
    Limits limits =
        Limits.fromEnv(Map.of("LONG_RUN_ALERT_MINUTES", "20", "RUNNING_RUNS_ALERT_THRESHOLD", "7"));

    AlertSettings settings =
        AlertSettings.of(
            limits, new AlertsConfig(null, null, null, true), "http://127.0.0.1:8080/");

    assertThat(settings.longRun()).isEqualTo(Duration.ofMinutes(20));
    assertThat(settings.runningThreshold()).isEqualTo(7);
    assertThat(settings.skipsInARow()).isEqualTo(3);
    assertThat(settings.onNewFailIssues()).isTrue();
    assertThat(settings.dashboardUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(AlertSettings.of(Limits.defaults(), null, "http://x").onNewFailIssues()).isFalse();
    assertThat(AlertSettings.of(Limits.defaults(), null, "http://x").longRun())
        .isEqualTo(Duration.ofMinutes(15));
  }
}
