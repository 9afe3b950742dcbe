package dev.integrity.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Secret;
import dev.integrity.config.AlertsConfig;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several bases served by one process, each config with its own webhook on its own local HTTP
 * server: an alert goes to its base's channels only, one without a base to every channel once. Each
 * test closes the service before counting: close waits for every delivery handed over, so the
 * counts are final and no wait on timing is needed.
 */
class AlertRoutingTest {
  private static final String BASE_A = "appAlpha00000001";
  private static final String BASE_B = "appBravo00000001";
  private static final String BASE_C = "appCharlie000001";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final MockWebServer hookA = new MockWebServer();
  private final MockWebServer hookB = new MockWebServer();
  private final OkHttpClient http = new OkHttpClient();
  private AlertFixture fx;

  @BeforeEach
  void start() throws Exception {
    for (MockWebServer server : List.of(hookA, hookB)) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder().code(200).body("ok").build();
            }
          });
      server.start();
    }
    fx = new AlertFixture(dir);
  }

  @AfterEach
  void stop() {
    hookA.close();
    hookB.close();
    fx.close();
    http.connectionPool().evictAll();
  }

  private static AlertsConfig webhook(MockWebServer server, boolean onNewFailIssues) {
    return new AlertsConfig(
        null, new Secret(server.url("/hook").toString()), null, onNewFailIssues);
  }

  private AlertService service(Map<String, AlertsConfig> configs, int runningThreshold) {
    AlertSettings settings =
        AlertFixture.settings().withConditions(Duration.ofMinutes(15), runningThreshold, false);
    return fx.service(
        settings, AlertChannels.routes(configs, http, ChannelTimeouts.defaults(), fx.clock));
  }

  private static Map<String, AlertsConfig> configs(Object... baseAndConfig) {
    Map<String, AlertsConfig> configs = new LinkedHashMap<>();
    for (int i = 0; i < baseAndConfig.length; i += 2) {
      configs.put((String) baseAndConfig[i], (AlertsConfig) baseAndConfig[i + 1]);
    }
    return configs;
  }

  /** Every request the server got so far, as the kind and base of the alert it carried. */
  private static List<String> received(MockWebServer server) throws Exception {
    List<String> alerts = new ArrayList<>();
    int n = server.getRequestCount();
    for (int i = 0; i < n; i++) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      JsonNode body = JSON.readTree(request.getBody().utf8());
      alerts.add(body.get("kind").asText() + " " + body.path("baseId").asText("-"));
    }
    return alerts;
  }

  @Test
  void an_error_run_of_base_a_alerts_only_the_webhook_of_base_a() throws Exception {
    AlertService alerts =
        service(configs(BASE_A, webhook(hookA, false), BASE_B, webhook(hookB, false)), 5);

    alerts.onRunEnded(fx.ended(BASE_A, RunStatus.ERROR, "HTTP 500 from Airtable"), null);
    alerts.close();

    assertThat(received(hookA)).containsExactly("run_error " + BASE_A);
    assertThat(received(hookB)).isEmpty();
  }

  @Test
  void each_base_s_alerts_reach_its_own_webhook_and_not_the_other_s() throws Exception {
    AlertService alerts =
        service(configs(BASE_A, webhook(hookA, false), BASE_B, webhook(hookB, false)), 5);

    alerts.onRunEnded(fx.ended(BASE_A, RunStatus.ERROR, "a"), null);
    alerts.onRunEnded(fx.ended(BASE_B, RunStatus.TIMEOUT, "b"), null);
    alerts.close();

    assertThat(received(hookA)).containsExactly("run_error " + BASE_A);
    assertThat(received(hookB)).containsExactly("run_timeout " + BASE_B);
  }

  @Test
  void a_pile_up_across_bases_goes_to_every_channel_once_even_when_two_configs_share_one()
      throws Exception {
    // Base C names the same webhook as base A: that webhook must still hear the pile-up once.
    AlertService alerts =
        service(
            configs(
                BASE_A, webhook(hookA, false),
                BASE_B, webhook(hookB, false),
                BASE_C, webhook(hookA, false)),
            1);
    fx.running(BASE_A);
    fx.running(BASE_B);

    alerts.evaluate();
    alerts.close();

    assertThat(received(hookA)).containsExactly("running_runs -");
    assertThat(received(hookB)).containsExactly("running_runs -");
  }

  @Test
  void new_fail_issues_alert_only_for_the_base_whose_config_turns_them_on() throws Exception {
    AlertService alerts =
        service(configs(BASE_A, webhook(hookA, true), BASE_B, webhook(hookB, false)), 5);
    for (String base : List.of(BASE_A, BASE_B)) {
      RunRecord run = fx.running(base);
      fx.writeIssues(
          run,
          new IssueRow(run.id(), "classes", "rec1", "fail-check", "Name", "fail", "x", null, null));
      RunRecord ended = fx.finish(run, RunStatus.SUCCEEDED, null);
      alerts.onRunEnded(ended, fx.store.issues().summary(run.id()));
    }
    alerts.close();

    assertThat(received(hookA)).containsExactly("new_fail_issues " + BASE_A);
    assertThat(received(hookB)).isEmpty();
  }

  @Test
  void a_skipped_schedule_of_a_base_not_served_here_has_no_owner_and_goes_to_every_channel()
      throws Exception {
    AlertService alerts =
        service(configs(BASE_A, webhook(hookA, false), BASE_B, webhook(hookB, false)), 5);

    fx.store
        .schedules()
        .upsert(
            new dev.integrity.store.ScheduleRow(
                "nightly",
                "appElsewhere0001",
                "* * * * *",
                "UTC",
                List.of(),
                true,
                "api",
                null,
                null));
    for (int i = 0; i < AlertSettings.DEFAULT_SKIPS_IN_A_ROW; i++) {
      String reason = "base appElsewhere0001 is not served by this process";
      fx.store
          .schedules()
          .recordFire(
              new dev.integrity.store.FireRow(
                  "nightly", "appElsewhere0001", null, "skipped", null, reason));
      alerts.onScheduleFire("nightly", "appElsewhere0001", true, reason);
    }
    alerts.evaluate();
    alerts.close();

    assertThat(received(hookA)).containsExactly("schedule_skipped appElsewhere0001");
    assertThat(received(hookB)).containsExactly("schedule_skipped appElsewhere0001");
  }
}
