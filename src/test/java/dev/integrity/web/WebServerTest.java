package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.Secret;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebServerTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final String TOKEN = "tok-start-test-secret";

  private static WebSettings settings() {
    return WebSettings.defaults(Clock.fixed(T0, ZoneOffset.UTC)).withPort(0);
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_non_loopback_bind_without_a_token_is_refused_naming_the_variable() {
    WebServer server = new WebServer(new FakeBackend(T0), settings().withHost("0.0.0.0"));
    assertThatThrownBy(server::start)
        .isInstanceOf(WebServerException.class)
        .hasMessageContaining("INTEGRITY_API_TOKEN")
        .hasMessageContaining("0.0.0.0");
    server.close();
  }

  @Test
  void a_taken_port_is_reported_with_host_and_port() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      WebServer server =
          new WebServer(new FakeBackend(T0), settings().withPort(taken.getLocalPort()));
      assertThatThrownBy(server::start)
          .isInstanceOf(WebServerException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
      server.close();
    }
  }

  @Test
  void on_loopback_the_dashboard_is_open_while_the_api_needs_the_token() {
    try (WebServer server =
            new WebServer(new FakeBackend(T0), settings().withApiToken(new Secret(TOKEN))).start();
        TestHttp http = new TestHttp(server.url())) {
      assertThat(server.url().toString()).startsWith("http://127.0.0.1:");
      TestHttp.Answer page = http.get("/", null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.contentType()).startsWith("text/html");
      assertThat(page.headers()).contains("Content-Security-Policy: default-src 'self'");
      assertThat(http.get("/api/runs", null).status()).isEqualTo(401);
      assertThat(http.get("/static/dashboard.js", null).status()).isEqualTo(200);
      assertThat(http.get(Dashboard.HTMX, null).status()).isEqualTo(200);
      assertThat(http.get(Dashboard.CHART_JS, null).status()).isEqualTo(200);
    }
  }

  @Test
  void off_loopback_the_dashboard_needs_the_token_as_a_basic_password() {
    try (WebServer server =
            new WebServer(
                    new FakeBackend(T0),
                    settings().withHost("0.0.0.0").withApiToken(new Secret(TOKEN)))
                .start();
        TestHttp http = new TestHttp(java.net.URI.create("http://127.0.0.1:" + server.port()))) {
      TestHttp.Answer anonymous = http.get("/", null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.headers()).contains("WWW-Authenticate: Basic");
      assertThat(http.get("/", basic("me", "wrong")).status()).isEqualTo(401);
      assertThat(http.get("/", basic("me", TOKEN)).status()).isEqualTo(200);
      assertThat(http.get("/schedules", "Bearer " + TOKEN).status()).isEqualTo(200);
      // The API itself takes only the bearer token.
      assertThat(http.get("/api/runs", basic("me", TOKEN)).status()).isEqualTo(401);
      assertThat(http.get("/healthz", null).status()).isEqualTo(200);
      for (TestHttp.Answer answer : http.answers()) {
        assertThat(answer.body() + answer.headers()).doesNotContain(TOKEN);
      }
    }
  }

  @Test
  void close_releases_the_port() throws IOException {
    WebServer server = new WebServer(new FakeBackend(T0), settings()).start();
    int port = server.port();
    server.close();
    server.close();
    try (ServerSocket again =
        new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void settings_mask_the_token() {
    assertThat(settings().withApiToken(new Secret(TOKEN)).toString())
        .doesNotContain(TOKEN)
        .contains("apiToken=****");
  }
}
