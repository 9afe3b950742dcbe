package dev.integrity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's client of {@code integrity serve}'s REST API: POST /api/runs, GET a path, with the API
 * token. The serve's address is an argument of every call, not a field: a restart moves the serve
 * to a new port, and {@link SoakServe} (which owns the address) uses this client too. It counts the
 * POSTs whose answer was lost, since only it can tell a lost answer from a refused connection.
 */
final class SoakApi implements AutoCloseable {
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String token;
  private final AtomicInteger lostPosts = new AtomicInteger();

  SoakApi(String token) {
    this.token = token;
  }

  /** The answer to one POST /api/runs: a run id, or why not (status, -1 when none came). */
  record Post(String runId, int status) {}

  Post post(URI serve, String baseId) {
    String body = "{\"base\": \"" + baseId + "\"}";
    HttpRequest req =
        request(serve, "/api/runs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> res = send(req);
      if (res.statusCode() == 202) {
        return new Post(json.readTree(res.body()).path("id").asText(), 202);
      }
      return new Post(null, res.statusCode());
    } catch (ConnectException e) {
      return new Post(null, -1); // the serve is down: the request never arrived
    } catch (IOException e) {
      lostPosts.incrementAndGet(); // it may have arrived: its run may exist
      return new Post(null, -1);
    }
  }

  /** The status code of GET {@code path}. */
  int status(URI serve, String path) throws IOException {
    return get(serve, path).statusCode();
  }

  /** A response's body read as JSON. */
  JsonNode json(HttpResponse<String> res) throws IOException {
    return json.readTree(res.body());
  }

  HttpResponse<String> get(URI serve, String path) throws IOException {
    return send(request(serve, path).GET().build());
  }

  /** POSTs whose answer was lost (the serve died under it): their run may exist. */
  int lostPosts() {
    return lostPosts.get();
  }

  private HttpRequest.Builder request(URI serve, String path) {
    return HttpRequest.newBuilder(serve.resolve(path))
        .timeout(HTTP_TIMEOUT)
        .header("Authorization", "Bearer " + token);
  }

  private HttpResponse<String> send(HttpRequest req) throws IOException {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
