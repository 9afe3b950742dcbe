package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The demo's scripted day: the same writes every time, each one accepted and one payload each. */
class DemoNightTest {
  @Test
  void the_day_is_the_same_every_time_and_every_write_is_accepted_as_one_webhook_payload()
      throws Exception {
    Dataset demo = Dataset.demo();
    DemoNight day = DemoNight.of(demo);

    // Dataset.demo() itself is the same every time (DatasetTest): the script must be too.
    assertThat(DemoNight.of(demo).writes()).isEqualTo(day.writes());
    assertThat(day.fixes()).hasSize(4).allMatch(f -> f.startsWith("3 "));
    assertThat(day.mistakes()).hasSize(5);

    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(demo).rateLimitPerSecond(0).build().start()) {
      TestHttp http = new TestHttp(sim);
      TestHttp.Answer hook =
          http.post("/v0/bases/" + demo.baseId() + "/webhooks", WebhooksTest.SPEC);
      assertThat(hook.status()).as(hook.body()).isEqualTo(200);

      day.play(sim.baseUrl(), sim.token(), 0);

      JsonNode payloads =
          http.get(
                  "/v0/bases/"
                      + demo.baseId()
                      + "/webhooks/"
                      + hook.json().get("id").asText()
                      + "/payloads")
              .json()
              .get("payloads");
      assertThat(payloads).hasSize(day.writes().size());
      SimTable before = demo.table("Enrollments").orElseThrow();
      SimTable after = sim.currentDataset().table("Enrollments").orElseThrow();
      assertThat(after.records()).hasSize(before.records().size() - 3 + 1);
      assertThat(sim.currentDataset().table("Teachers").orElseThrow().records())
          .hasSameSizeAs(demo.table("Teachers").orElseThrow().records());
    }
  }
}
