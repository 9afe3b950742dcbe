package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the simulator's Jetty transport does on the wire, seen through raw sockets. */
class TransportTest {

  private static AirtableSimulator.Builder sim() {
    return AirtableSimulator.builder()
        .dataset(Dataset.synthetic(Map.of("Rows", 200)))
        .rateLimitPerSecond(0);
  }

  private static Socket connect(AirtableSimulator sim) throws IOException {
    var socket = new Socket("127.0.0.1", sim.port());
    socket.setSoTimeout((int) Duration.ofSeconds(20).toMillis()); // a guard, not a measurement
    return socket;
  }

  private static void sendGet(Socket socket, AirtableSimulator sim, String table)
      throws IOException {
    String request =
        "GET /v0/"
            + sim.dataset().baseId()
            + "/"
            + table
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
            + sim.token()
            + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads until the server ends the connection; what arrived, and how it ended. */
  private record Received(String text, IOException end) {}

  private static Received readToEnd(Socket socket) {
    var got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        got.write(buf, 0, n);
      }
      return new Received(got.toString(StandardCharsets.ISO_8859_1), null);
    } catch (IOException e) {
      return new Received(got.toString(StandardCharsets.ISO_8859_1), e);
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }

  @Test
  void a_reset_mid_body_sends_half_the_body_and_then_an_rst() throws IOException {
    try (var sim = sim().build().start();
        var socket = connect(sim)) {
      sim.faults().next(1, Fault.resetMidBody(Duration.ofSeconds(1)));
      sendGet(socket, sim, "Rows");
      Received got = readToEnd(socket);

      assertThat(got.end())
          .as("the connection is reset, not closed in order")
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      int headEnd = got.text().indexOf("\r\n\r\n");
      assertThat(got.text()).startsWith("HTTP/1.1 200 ");
      int promised = contentLength(got.text().substring(0, headEnd));
      int bodyReceived = got.text().length() - headEnd - 4;
      assertThat(bodyReceived).isLessThan(promised);
      assertThat(sim.requests().getLast().bodyBytes()).isEqualTo(promised / 2);
    }
  }

  @Test
  void a_stall_answers_nothing_and_drops_the_connection_after_the_idle_timeout()
      throws IOException {
    try (var sim = sim().idleTimeout(Duration.ofMillis(300)).build().start();
        var socket = connect(sim)) {
      sim.faults().next(1, Fault.stall());
      sendGet(socket, sim, "Rows");
      Received got = readToEnd(socket);

      assertThat(got.text()).as("not one byte, not even Jetty's 500").isEmpty();
      assertThat(sim.requests()).singleElement().extracting(RequestLog::status).isEqualTo(0);
      assertThat(sim.failures()).isZero();
    }
  }

  @Test
  void close_ends_a_trickle_under_way() throws IOException {
    var sim = sim().closeTimeout(Duration.ofSeconds(2)).build().start();
    try (var socket = connect(sim)) {
      sim.faults().next(1, Fault.trickle(1));
      sendGet(socket, sim, "Rows");
      assertThat(socket.getInputStream().read()).as("the trickle has begun").isNotNegative();

      sim.close();
      Received got = readToEnd(socket);
      assertThat(got.text()).as("the body never completes").doesNotContain("]}");
      assertThat(sim.openConnections()).isZero();
    }
  }

  @Test
  void a_request_jetty_cannot_parse_gets_airtables_json_error_shape() throws IOException {
    try (var sim = sim().build().start();
        var socket = connect(sim)) {
      socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Received got = readToEnd(socket);
      assertThat(got.text())
          .startsWith("HTTP/1.1 400 ")
          .contains("{\"error\":{\"type\":\"INVALID_REQUEST_UNKNOWN\"");
    }
  }

  @Test
  void a_body_over_4_mb_is_refused_with_413() {
    try (var sim = sim().build().start()) {
      var http = new TestHttp(sim);
      String huge = "{\"filterByFormula\":\"" + "x".repeat(SimHandler.MAX_BODY) + "\"}";
      var a = http.post(http.listPath("Rows") + "/listRecords", huge);
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.json().at("/error/type").asText()).isEqualTo("INVALID_REQUEST_UNKNOWN");
      assertThat(http.get(http.listPath("Rows")).status()).isEqualTo(200);
    }
  }

  @Test
  void the_date_header_comes_from_the_injected_clock_and_jetty_does_not_name_itself() {
    var clock = Clock.fixed(Instant.parse("2031-02-03T04:05:06Z"), ZoneOffset.UTC);
    try (var sim = sim().clock(clock).build().start()) {
      var http = new TestHttp(sim);
      var a = http.get(http.listPath("Rows"));
      assertThat(a.response().header("Date")).isEqualTo("Mon, 3 Feb 2031 04:05:06 GMT");
      assertThat(a.response().header("Server")).isEqualTo("integrity-airtable-simulator");
      assertThat(a.response().headers().names()).doesNotContain("X-Powered-By");
    }
  }

  @Test
  void a_port_is_refused_before_start_and_known_after() {
    var sim = sim().build();
    assertThatThrownBy(sim::port).isInstanceOf(IllegalStateException.class);
    try (sim) {
      sim.start();
      assertThat(sim.port()).isPositive();
      assertThat(sim.openConnections()).isZero();
    }
  }
}
