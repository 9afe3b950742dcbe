package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.sim.Dataset;
import dev.integrity.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
  @TempDir Path dir;

  @Test
  void simulate_serves_the_demo_base_until_the_process_is_stopped() throws Exception {
    Path log = dir.resolve("sim.log");
    Process sim = ChildJvm.start(Main.class, List.of(), Map.of(), log, "simulate", "--port", "0");
    try {
      Pattern address = Pattern.compile("Airtable simulator on (http://127\\.0\\.0\\.1:\\d+)");
      String[] url = new String[1];
      await()
          .atMost(Duration.ofSeconds(30))
          .failFast("simulate exited", () -> !sim.isAlive())
          .until(
              () -> {
                Matcher m = address.matcher(Files.readString(log));
                url[0] = m.find() ? m.group(1) : null;
                return url[0] != null;
              });
      assertThat(Files.readString(log)).contains("base id: " + Dataset.demoBaseId());

      OkHttpClient http = new OkHttpClient();
      Request tables =
          new Request.Builder()
              .url(url[0] + "/v0/meta/bases/" + Dataset.demoBaseId() + "/tables")
              .header("Authorization", "Bearer sim-token")
              .build();
      try (Response r = http.newCall(tables).execute()) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.body().string()).contains("Teachers", "Classes", "Students", "Enrollments");
      }
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    } finally {
      sim.destroy(); // SIGTERM: the shutdown hook stops the simulator
      assertThat(sim.waitFor(15, TimeUnit.SECONDS)).isTrue();
    }
  }
}
