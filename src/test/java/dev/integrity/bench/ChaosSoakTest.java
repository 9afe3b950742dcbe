package dev.integrity.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.bench.ChaosSoak.FaultKind;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Fault;
import dev.integrity.sim.Faults;
import dev.integrity.testing.TcpProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos soak's machinery ({@link ChaosSoak}) at a tiny scale: two bases on SQLite, six runs
 * through {@code integrity serve}'s REST API, each under a scripted fault, one of them the serve
 * process killed with SIGKILL and restarted. Every run must end within its bound, a {@code
 * succeeded} run must have checked every entity, every checked entity must have the oracle's
 * issues, and every run must be in the store once with its entities. Also the two tools the soak
 * brings: a table outage in the simulator and the TCP proxy that takes PostgreSQL away.
 */
class ChaosSoakTest {
  @TempDir Path dir;

  @Test
  void runs_under_stalls_5xx_a_table_down_resets_and_a_killed_instance_keep_every_invariant()
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ChaosSoak.Options options =
        new ChaosSoak.Options(
            Duration.ofMinutes(5), // the script ends the soak long before
            6,
            2,
            18L,
            ChaosSoak.Db.SQLITE,
            0.0,
            List.of(
                FaultKind.KILL,
                FaultKind.STALL,
                FaultKind.BURST_5XX,
                FaultKind.TABLE_DOWN,
                FaultKind.RESET,
                FaultKind.MALFORMED),
            20,
            Duration.ofSeconds(10),
            dir,
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    ChaosSoak.Summary summary = ChaosSoak.run(options);

    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(output + summary.line()); // into the surefire report, for a look

    assertThat(summary.failures()).as(output).isEmpty();
    assertThat(summary.kills()).as(output).isEqualTo(1);
    // Six scripted runs, and a run more where a second trigger was accepted, which the soak checks
    // like any other (and reports as a failure when its base was busy).
    assertThat(summary.runs()).as(output).isGreaterThanOrEqualTo(6);
    assertThat(summary.byStatus().values().stream().mapToInt(Integer::intValue).sum())
        .as(output)
        .isEqualTo(summary.runs());
    assertThat(summary.csv()).exists();
  }

  @Test
  void a_table_taken_down_answers_its_fault_on_every_request_until_the_outage_is_lifted()
      throws Exception {
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(Dataset.synthetic(Map.of("Teachers", 5, "Students", 5)))
                .rateLimitPerSecond(0)
                .build()
                .start();
        HttpClient http = HttpClient.newHttpClient()) {
      String base = sim.dataset().baseId();
      Faults.Outage outage = sim.faults().forTable("Teachers").down(Fault.tableNotFound());
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> down = list(http, sim, base, "Teachers");
        assertThat(down.statusCode()).isEqualTo(404);
        assertThat(down.body()).contains("TABLE_NOT_FOUND").contains("Teachers");
      }
      assertThat(list(http, sim, base, "Students").statusCode()).isEqualTo(200);
      assertThat(outage.inForce()).isTrue();

      outage.lift();

      assertThat(outage.inForce()).isFalse();
      assertThat(list(http, sim, base, "Teachers").statusCode()).isEqualTo(200);
      assertThat(sim.faults().pending()).isZero();
    }
  }

  @Test
  void the_tcp_proxy_passes_bytes_closes_and_cuts_connections_while_down_and_recovers()
      throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort())) {
      Thread.ofVirtual()
          .name("echo-server")
          .start(
              () -> {
                while (!echo.isClosed()) {
                  try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> echoAll(s));
                  } catch (IOException e) {
                    return; // the test is over
                  }
                }
              });
      Socket open = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
      open.setSoTimeout(10_000);
      assertThat(roundTrip(open, "hello")).isEqualTo("hello");

      proxy.down();

      assertThat(proxy.cut()).isEqualTo(1);
      assertThat(readAfterCut(open)).isEqualTo(-1);
      // While down, a new connection is closed as soon as it is accepted.
      try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        refused.setSoTimeout(10_000);
        assertThat(readAfterCut(refused)).isEqualTo(-1);
      }

      proxy.up();

      try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        again.setSoTimeout(10_000);
        assertThat(roundTrip(again, "again")).isEqualTo("again");
      }
      open.close();
    }
  }

  private static HttpResponse<String> list(
      HttpClient http, AirtableSimulator sim, String base, String table) throws Exception {
    return http.send(
        HttpRequest.newBuilder(sim.baseUrl().resolve("/v0/" + base + "/" + table))
            .header("Authorization", "Bearer " + sim.token())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(bytes);
    s.getOutputStream().flush();
    return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.UTF_8);
  }

  /** The next byte, -1 at the end of the stream; a reset (the other way to be cut) is -1 too. */
  private static int readAfterCut(Socket s) throws IOException {
    try {
      return s.getInputStream().read();
    } catch (SocketException e) {
      return -1;
    }
  }

  private static void echoAll(Socket s) {
    try (s) {
      s.getInputStream().transferTo(s.getOutputStream());
    } catch (IOException e) {
      // the proxy cut it: the point of the test
    }
  }
}
