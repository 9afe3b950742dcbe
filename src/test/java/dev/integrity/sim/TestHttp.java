package dev.integrity.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Ticker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A plain OkHttp client against one simulator, for tests. */
final class TestHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  final AirtableSimulator sim;
  final OkHttpClient client;

  TestHttp(AirtableSimulator sim) {
    this(
        sim,
        new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(5))
            .callTimeout(Duration.ofSeconds(10))
            .build());
  }

  TestHttp(AirtableSimulator sim, OkHttpClient client) {
    this.sim = sim;
    this.client = client;
  }

  record Answer(int status, String body, Response response) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  Answer get(String pathAndQuery) {
    return call(request(pathAndQuery).get().build());
  }

  Answer post(String path, String json) {
    return call(
        request(path).post(RequestBody.create(json, MediaType.get("application/json"))).build());
  }

  Request.Builder request(String pathAndQuery) {
    return new Request.Builder()
        .url(sim.baseUrl() + pathAndQuery)
        .header("Authorization", "Bearer " + sim.token());
  }

  Answer call(Request request) {
    try (Response r = client.newCall(request).execute()) {
      return new Answer(r.code(), r.body().string(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String listPath(String table) {
    return "/v0/" + sim.dataset().baseId() + "/" + table;
  }

  /** A ticker tests move by hand. */
  static final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
      return now.get();
    }

    void advance(Duration d) {
      now.addAndGet(d.toNanos());
    }
  }
}
