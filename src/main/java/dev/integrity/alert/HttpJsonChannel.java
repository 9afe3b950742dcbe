package dev.integrity.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.Secret;
import dev.integrity.common.JsonMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts alerts as JSON to a webhook URL (a secret: its path is the credential). Thread-safe: the
 * OkHttp client is, and nothing else changes.
 */
final class HttpJsonChannel implements AlertChannel {
  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final ObjectMapper MAPPER = JsonMapper.create();

  private final String name;
  private final Secret url;
  private final OkHttpClient client;
  private final ChannelTimeouts timeouts;
  private final Function<AlertMessage, Object> payload;

  private HttpJsonChannel(
      String name,
      Secret url,
      OkHttpClient client,
      ChannelTimeouts timeouts,
      Function<AlertMessage, Object> payload) {
    this.name = name;
    this.url = Objects.requireNonNull(url, "url");
    this.client =
        client
            .newBuilder()
            .connectTimeout(timeouts.httpConnect())
            .readTimeout(timeouts.httpRead())
            .writeTimeout(timeouts.httpRead())
            .callTimeout(timeouts.httpCall())
            // A redirect could carry the message (and our secret path) elsewhere.
            .followRedirects(false)
            .build();
    this.timeouts = timeouts;
    this.payload = payload;
  }

  /** Slack incoming webhook: Block Kit sections and a text fallback ({@link SlackPayload}). */
  static HttpJsonChannel slack(Secret url, OkHttpClient client, ChannelTimeouts timeouts) {
    return new HttpJsonChannel("slack", url, client, timeouts, SlackPayload::of);
  }

  /** Generic JSON webhook: the {@link AlertMessage} itself. */
  static HttpJsonChannel webhook(Secret url, OkHttpClient client, ChannelTimeouts timeouts) {
    return new HttpJsonChannel("webhook", url, client, timeouts, m -> m);
  }

  static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode an alert as JSON: " + e.getOriginalMessage());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void send(AlertMessage message) {
    Request request;
    try {
      request =
          new Request.Builder()
              .url(url.reveal())
              .post(RequestBody.create(toJson(payload.apply(message)), JSON))
              .build();
    } catch (IllegalArgumentException e) {
      throw new AlertDeliveryException(name, "the webhook URL is not a valid http(s) URL");
    }
    try (Response response = client.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new AlertDeliveryException(
            name, "the webhook answered HTTP " + response.code() + " (" + host() + ")");
      }
    } catch (InterruptedIOException e) {
      throw new AlertDeliveryException(
          name,
          "no answer from "
              + host()
              + " within the deadlines (connect "
              + timeouts.httpConnect()
              + ", read "
              + timeouts.httpRead()
              + ", call "
              + timeouts.httpCall()
              + "): "
              + AlertDeliveryException.describe(e, url.reveal()));
    } catch (IOException e) {
      throw new AlertDeliveryException(
          name,
          "cannot post to " + host() + ": " + AlertDeliveryException.describe(e, url.reveal()));
    }
  }

  /** Host and port only: the path of a webhook URL is its credential. */
  private String host() {
    try {
      URI uri = URI.create(url.reveal());
      return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    } catch (IllegalArgumentException e) {
      return "the webhook";
    }
  }

  @Override
  public String toString() {
    return "HttpJsonChannel[" + name + " -> " + host() + "]";
  }
}
