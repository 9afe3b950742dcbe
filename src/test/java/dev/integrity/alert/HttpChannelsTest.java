package dev.integrity.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Secret;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.AlertDelivery;
import dev.integrity.store.AlertRow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slack and webhook delivery against a real local HTTP server. */
class HttpChannelsTest {
  private static final String BASE = "appBase000000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final MockWebServer server = new MockWebServer();
  private final OkHttpClient http = new OkHttpClient();
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
    http.connectionPool().evictAll();
  }

  private Secret url(String path) {
    return new Secret(server.url(path).toString());
  }

  private static MockResponse ok() {
    return new MockResponse.Builder().code(200).body("ok").build();
  }

  private static MockResponse status(int code) {
    return new MockResponse.Builder().code(code).body("no").build();
  }

  private AlertRow onlyAlert() {
    return fx.alerts().get(0);
  }

  @Test
  void
      slack_gets_a_block_kit_section_and_a_text_fallback_with_the_title_what_happened_and_the_run_link()
          throws Exception {
    server.enqueue(ok());
    alerts =
        fx.service(
            AlertFixture.settings(),
            AlertChannels.slack(url("/services/T1/B2/xyz"), http, ChannelTimeouts.defaults()));
    RunRecord run = fx.ended(BASE, RunStatus.TIMEOUT, "Run exceeded maximum duration");

    alerts.onRunEnded(run, null);

    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/services/T1/B2/xyz");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.size()).isEqualTo(2);
    JsonNode section = body.get("blocks").get(0);
    assertThat(section.get("type").asText()).isEqualTo("section");
    assertThat(section.at("/text/type").asText()).isEqualTo("mrkdwn");
    assertThat(section.at("/text/text").asText())
        .startsWith("*Run timed out (schedule nightly, base " + BASE + ")*\n")
        .contains(AlertFixture.DASHBOARD + "/runs/" + run.id());
    assertThat(body.get("text").asText())
        .startsWith("*Run timed out (schedule nightly, base " + BASE + ")*\n")
        .contains("Run " + run.id() + " of base " + BASE + " timed out")
        .contains("Since: " + run.finishedAt())
        .contains(AlertFixture.DASHBOARD + "/runs/" + run.id());
    await().atMost(5, SECONDS).until(() -> fx.deliveries(onlyAlert()).size() == 1);
    assertThat(fx.deliveries(onlyAlert()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.channel()).isEqualTo("slack");
              assertThat(d.ok()).isTrue();
            });
    assertThat(fx.metrics.sent("slack")).isEqualTo(1);
  }

  @Test
  void slack_gets_untrusted_text_with_its_control_characters_escaped() throws Exception {
    server.enqueue(ok());
    alerts =
        fx.service(
            AlertFixture.settings(),
            AlertChannels.slack(url("/services/T1/B2/xyz"), http, ChannelTimeouts.defaults()));

    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "<!channel> a & b <https://x|y>"), null);

    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    JsonNode body = JSON.readTree(request.getBody().utf8());
    for (String text :
        List.of(body.get("text").asText(), body.at("/blocks/0/text/text").asText())) {
      assertThat(text)
          .contains("&lt;!channel&gt; a &amp; b &lt;https://x|y&gt;")
          .doesNotContain("<!channel>");
    }
  }

  @Test
  void the_webhook_gets_the_alert_message_as_json() throws Exception {
    server.enqueue(ok());
    alerts =
        fx.service(
            AlertFixture.settings(),
            AlertChannels.webhook(url("/hook/s3cr3t"), http, ChannelTimeouts.defaults()));
    RunRecord run = fx.ended(BASE, RunStatus.ERROR, "owner lost: no heartbeat since 02:01");

    alerts.onRunEnded(run, null);

    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).isNotNull();
    JsonNode body = JSON.readTree(request.getBody().utf8());
    assertThat(body.get("kind").asText()).isEqualTo("run_error");
    assertThat(body.get("state").asText()).isEqualTo("open");
    assertThat(body.get("title").asText()).startsWith("Run failed with an error");
    assertThat(body.get("text").asText()).contains("owner lost: no heartbeat since 02:01");
    assertThat(body.get("baseId").asText()).isEqualTo(BASE);
    assertThat(body.get("schedule").asText()).isEqualTo("nightly");
    assertThat(body.get("runId").asText()).isEqualTo(run.id());
    assertThat(body.get("since").asText()).isEqualTo(run.finishedAt().toString());
    assertThat(body.get("runUrl").asText()).isEqualTo(AlertFixture.DASHBOARD + "/runs/" + run.id());
  }

  @Test
  void a_500_is_retried_and_the_second_attempt_delivers() {
    server.enqueue(status(500));
    server.enqueue(ok());
    alerts =
        fx.service(
            AlertFixture.settings(),
            AlertChannels.webhook(url("/hook"), http, ChannelTimeouts.defaults()));

    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);

    await().atMost(5, SECONDS).until(() -> fx.deliveries(onlyAlert()).size() == 2);
    List<AlertDelivery> deliveries = fx.deliveries(onlyAlert());
    assertThat(deliveries.get(0).ok()).isFalse();
    assertThat(deliveries.get(0).error()).contains("answered HTTP 500");
    assertThat(deliveries.get(1).ok()).isTrue();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(fx.metrics.sent("webhook")).isEqualTo(1);
    assertThat(fx.metrics.failed("webhook")).isZero();
  }

  @Test
  void a_channel_failing_every_attempt_is_given_up_on_recorded_and_counted() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(status(503));
    }
    alerts =
        fx.service(
            AlertFixture.settings(),
            AlertChannels.slack(url("/services/x"), http, ChannelTimeouts.defaults()));

    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);

    await().atMost(5, SECONDS).until(() -> fx.metrics.failed("slack") == 1);
    assertThat(fx.deliveries(onlyAlert()))
        .hasSize(3)
        .allSatisfy(
            d -> {
              assertThat(d.ok()).isFalse();
              assertThat(d.error()).contains("HTTP 503");
            });
    assertThat(server.getRequestCount()).isEqualTo(3);
    assertThat(fx.metrics.sent("slack")).isZero();
  }

  @Test
  void a_stalled_webhook_does_not_block_the_caller_and_times_out_at_the_call_deadline() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
    ChannelTimeouts shortTimeouts =
        new ChannelTimeouts(
            Duration.ofSeconds(2),
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1));
    alerts =
        fx.service(
            AlertFixture.settings().withDelivery(1, Duration.ofMillis(50), Duration.ofMillis(50)),
            AlertChannels.webhook(url("/hook"), http, shortTimeouts));
    RunRecord run = fx.ended(BASE, RunStatus.TIMEOUT, "too slow");

    alerts.onRunEnded(run, null);

    // The caller is back while the server still holds the request.
    assertThat(fx.alerts()).hasSize(1);
    await().atMost(5, SECONDS).until(() -> server.getRequestCount() == 1);
    assertThat(fx.deliveries(onlyAlert())).isEmpty();
    long start = System.nanoTime();
    await().atMost(5, SECONDS).until(() -> fx.metrics.failed("webhook") == 1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(fx.deliveries(onlyAlert()))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.ok()).isFalse();
              assertThat(d.error()).contains("no answer").contains("call PT2S");
            });
  }
}
