package dev.integrity.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A real HTTP client for tests that keeps every answer, so tests can search them for secrets. */
final class TestHttp implements AutoCloseable {
  static final MediaType JSON = MediaType.get("application/json");

  /** One answer: status, headers as text, body. */
  record Answer(int status, String contentType, String headers, String body) {}

  private final OkHttpClient client =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(5))
          .readTimeout(Duration.ofSeconds(5))
          .callTimeout(Duration.ofSeconds(10))
          .retryOnConnectionFailure(false)
          .build();
  private final URI root;
  private final List<Answer> answers = new CopyOnWriteArrayList<>();

  TestHttp(URI root) {
    this.root = root;
  }

  Answer get(String path, String authorization) {
    return send("GET", path, null, authorization, null);
  }

  Answer send(String method, String path, String body, String authorization, String origin) {
    Request.Builder request = new Request.Builder().url(root.resolve(path).toString());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (origin != null) {
      request.header("Origin", origin);
    }
    RequestBody requestBody =
        body == null
            ? (method.equals("GET") || method.equals("DELETE")
                ? null
                : RequestBody.create(new byte[0], JSON))
            : RequestBody.create(body, JSON);
    request.method(method, requestBody);
    return execute(client, request.build(), method + " " + path);
  }

  /** POSTs a body without Content-Length (chunked), as a streaming client would. */
  Answer postChunked(String path, byte[] body, String authorization) {
    RequestBody chunked =
        new RequestBody() {
          @Override
          public MediaType contentType() {
            return JSON;
          }

          @Override
          public long contentLength() {
            return -1;
          }

          @Override
          public void writeTo(okio.BufferedSink sink) throws IOException {
            sink.write(body);
          }
        };
    Request.Builder request =
        new Request.Builder().url(root.resolve(path).toString()).post(chunked);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return execute(client, request.build(), "POST " + path);
  }

  /**
   * POSTs a form (application/x-www-form-urlencoded) as a browser does, with extra headers (e.g.
   * {@code Accept}, {@code HX-Request}, {@code Authorization}); redirects are not followed, so the
   * answer is the 303 itself.
   */
  Answer postForm(
      String path, java.util.Map<String, String> fields, java.util.Map<String, String> headers) {
    okhttp3.FormBody.Builder form = new okhttp3.FormBody.Builder();
    fields.forEach(form::add);
    Request.Builder request =
        new Request.Builder().url(root.resolve(path).toString()).post(form.build());
    headers.forEach(request::header);
    OkHttpClient noRedirects = client.newBuilder().followRedirects(false).build();
    return execute(noRedirects, request.build(), "POST " + path);
  }

  /** Sends the request, records the answer and returns it; {@code what} names it in a failure. */
  private Answer execute(OkHttpClient with, Request request, String what) {
    try (Response response = with.newCall(request).execute()) {
      Answer answer =
          new Answer(
              response.code(),
              response.header("Content-Type"),
              response.headers().toString(),
              response.body().string());
      answers.add(answer);
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(what + " failed", e);
    }
  }

  List<Answer> answers() {
    return List.copyOf(answers);
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
