package dev.integrity.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.integrity.Secret;
import dev.integrity.model.RunStatus;
import dev.integrity.store.AlertDelivery;
import dev.integrity.testing.CapturedLogs;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Failing deliveries over every channel log and record what went wrong, never a secret. */
class NoSecretsInLogsTest {
  private static final String SLACK_SECRET = "T0SECRET/B0SECRET/slackSecretToken42";
  private static final String HOOK_SECRET = "hookSecretToken4242";
  private static final String SMTP_PASSWORD = "smtpSecretPassw0rd";

  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts", "other"));

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient http = new OkHttpClient();
  @RegisterExtension final CapturedLogs logs = CapturedLogs.root();
  private AlertFixture fx;
  private AlertService alerts;

  @BeforeEach
  void start() throws Exception {
    server.start();
    fx = new AlertFixture(dir);
  }

  @AfterEach
  void stop() {
    if (alerts != null) {
      alerts.close();
    }
    server.close();
    fx.close();
  }

  private List<String> loggedTexts() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent event : logs.events()) {
      out.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        out.add(t.getClassName() + ": " + t.getMessage());
      }
    }
    return out;
  }

  @Test
  void failing_slack_webhook_and_email_deliveries_never_log_or_record_a_secret() throws Exception {
    for (int i = 0; i < 2; i++) {
      server.enqueue(new MockResponse.Builder().code(500).body(SLACK_SECRET).build());
    }
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Secret slackUrl = new Secret(server.url("/services/" + SLACK_SECRET).toString());
    Secret hookUrl = new Secret("http://127.0.0.1:" + closedPort + "/hook/" + HOOK_SECRET);
    ChannelTimeouts timeouts = ChannelTimeouts.defaults();
    AlertChannel slack = AlertChannels.slack(slackUrl, http, timeouts);
    AlertChannel hook = AlertChannels.webhook(hookUrl, http, timeouts);
    AlertChannel email =
        AlertChannels.email(
            "127.0.0.1",
            mail.getSmtp().getPort(),
            "alerts",
            new Secret(SMTP_PASSWORD),
            "integrity@example.org",
            List.of("ops@example.org"),
            timeouts,
            fx.clock);
    alerts =
        fx.service(
            AlertFixture.settings().withDelivery(2, Duration.ofMillis(20), Duration.ofMillis(40)),
            slack,
            hook,
            email);

    alerts.onRunEnded(fx.ended("appBase000000001", RunStatus.ERROR, "boom"), null);

    await()
        .atMost(10, SECONDS)
        .until(
            () ->
                fx.metrics.failed("slack") == 1
                    && fx.metrics.failed("webhook") == 1
                    && fx.metrics.failed("email") == 1);
    List<AlertDelivery> deliveries = fx.deliveries(fx.alerts().get(0));
    assertThat(deliveries).hasSize(6).noneMatch(AlertDelivery::ok);
    List<String> texts = new ArrayList<>(loggedTexts());
    deliveries.forEach(d -> texts.add(d.error()));
    texts.add(slack.toString());
    texts.add(hook.toString());
    texts.add(email.toString());
    assertThat(texts)
        .isNotEmpty()
        .allSatisfy(
            text ->
                assertThat(text)
                    .doesNotContain(SLACK_SECRET)
                    .doesNotContain("slackSecretToken42")
                    .doesNotContain(HOOK_SECRET)
                    .doesNotContain(SMTP_PASSWORD));
    // What went wrong is still there to act on.
    assertThat(deliveries)
        .extracting(AlertDelivery::error)
        .anyMatch(e -> e.contains("slack: the webhook answered HTTP 500"))
        .anyMatch(e -> e.contains("webhook: cannot post to 127.0.0.1:" + closedPort))
        .anyMatch(e -> e.contains("email: cannot send via 127.0.0.1"));
  }

  @Test
  void an_owner_s_failing_slack_and_webhook_never_log_or_record_their_urls() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(500).body("no").build());
    }
    Path file = dir.resolve("integrity.yml");
    java.nio.file.Files.writeString(
        file,
        """
        airtable: {baseId: appBase000000001, token: literal-token}
        entities:
          classes:
            table: Classes
            owner:
              name: Registrar
              slack: {webhookUrl: ${OWNER_SLACK}}
              webhook: {url: ${OWNER_HOOK}}
        """);
    dev.integrity.config.IntegrityConfig config =
        dev.integrity.config.ConfigLoader.load(
            file,
            java.util.Map.of(
                "OWNER_SLACK", server.url("/services/" + SLACK_SECRET).toString(),
                "OWNER_HOOK", server.url("/hook/" + HOOK_SECRET).toString()));
    alerts =
        fx.service(
            AlertFixture.settings().withDelivery(2, Duration.ofMillis(20), Duration.ofMillis(40)),
            AlertChannels.routesOf(List.of(config), http, ChannelTimeouts.defaults(), fx.clock));
    dev.integrity.model.RunRecord run = fx.running("appBase000000001");
    fx.writeIssues(
        run,
        new dev.integrity.model.IssueRow(
            run.id(), "classes", "rec1", "fail-check", "Name", "fail", "empty", null, null));
    alerts.runListener().onRunEnded(fx.finish(run, RunStatus.SUCCEEDED, null));

    await()
        .atMost(10, SECONDS)
        .until(() -> fx.metrics.failed("slack") == 1 && fx.metrics.failed("webhook") == 1);
    List<AlertDelivery> deliveries = fx.deliveries(fx.alerts().get(0));
    assertThat(deliveries).hasSize(4).noneMatch(AlertDelivery::ok);
    List<String> texts = new ArrayList<>(loggedTexts());
    deliveries.forEach(d -> texts.add(d.error()));
    texts.add(config.toString());
    assertThat(texts)
        .allSatisfy(
            text ->
                assertThat(text)
                    .doesNotContain("slackSecretToken42")
                    .doesNotContain("B0SECRET")
                    .doesNotContain(HOOK_SECRET));
    assertThat(deliveries)
        .extracting(AlertDelivery::error)
        .anyMatch(e -> e.contains("slack: the webhook answered HTTP 500"))
        .anyMatch(e -> e.contains("webhook: the webhook answered HTTP 500"));
  }
}
