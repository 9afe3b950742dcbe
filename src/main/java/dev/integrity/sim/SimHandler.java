package dev.integrity.sim;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's one Jetty handler: turns Jetty's request into an {@link HttpRequest} value, asks
 * {@link Api} for the reply and sends it, misbehaving where a fault says so. Jetty parses HTTP,
 * keeps connections alive and answers malformed requests; this class only decides the bytes and
 * their pace. It runs on virtual threads (see {@link AirtableSimulator}), so latency, trickles and
 * stalls block their thread instead of juggling callbacks. Thread-safe (no state per request).
 */
final class SimHandler extends Handler.Abstract {
  private static final Logger log = LoggerFactory.getLogger(SimHandler.class);

  /** The largest request body accepted; Airtable's own limit is far lower. */
  static final int MAX_BODY = 4 * 1024 * 1024;

  static final String SERVER = "integrity-airtable-simulator";

  private final AirtableSimulator.Settings settings;
  private final Supplier<Api> api;
  private final RequestJournal journal;
  private final Stopper stopper;
  private final Runnable onFailure;

  SimHandler(
      AirtableSimulator.Settings settings,
      Supplier<Api> api,
      RequestJournal journal,
      Stopper stopper,
      Runnable onFailure) {
    super(InvocationType.BLOCKING);
    this.settings = settings;
    this.api = api;
    this.journal = journal;
    this.stopper = stopper;
    this.onFailure = onFailure;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    try {
      HttpRequest req;
      try {
        req = value(request);
      } catch (BodyTooLarge e) {
        send(response, callback, Reply.json(413, errorBody("body too large")));
        return true;
      }
      serve(req, request, response, callback);
    } catch (IOException e) {
      if (!stopper.stopped()) {
        log.debug("a connection ended while answering: {}", e.toString());
      }
      callback.failed(e);
    } catch (RuntimeException e) {
      onFailure.run();
      log.error("the simulator failed serving {}", request.getHttpURI(), e);
      callback.failed(e);
    }
    return true;
  }

  private void serve(HttpRequest req, Request request, Response response, Callback callback)
      throws IOException {
    Api.Route route = Api.Route.of(req);
    RequestJournal.Slot slot = journal.arrive(req.method(), req.path(), route.table(), req.query());
    Reply reply;
    try {
      reply = api.get().handle(req, route, slot.arrivalNanos);
    } catch (RuntimeException e) {
      onFailure.run();
      log.error("simulator failed answering {} {}", req.method(), req.path(), e);
      reply =
          Reply.json(500, "{\"error\":{\"type\":\"SERVER_ERROR\",\"message\":\"simulator bug\"}}");
    }
    slot.status(reply.loggedStatus());
    slot.bodyBytes(
        switch (reply.delivery()) {
          case Reply.Delivery.Stall s -> 0;
          case Reply.Delivery.Reset r -> reply.body().length / 2;
          case Reply.Delivery.Normal n -> reply.body().length;
          case Reply.Delivery.Trickle t -> reply.body().length;
        });
    switch (reply.delivery()) {
      case Reply.Delivery.Stall s -> stall(request, callback);
      case Reply.Delivery.Normal n -> {
        if (stopper.pause(settings.latency())) {
          send(response, callback, reply);
        } else {
          abort(request, callback, false);
        }
      }
      case Reply.Delivery.Trickle t -> {
        if (stopper.pause(settings.latency())) {
          trickle(request, response, callback, reply, t.bytesPerSecond());
        } else {
          abort(request, callback, false);
        }
      }
      case Reply.Delivery.Reset r -> {
        if (stopper.pause(settings.latency())) {
          reset(request, response, callback, reply, r.pauseBeforeReset());
        } else {
          abort(request, callback, false);
        }
      }
    }
  }

  /** The request as {@link Api} reads it: raw (still percent-encoded) path and query. */
  private static HttpRequest value(Request request) throws BodyTooLarge, IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField f : request.getHeaders()) {
      headers.merge(f.getLowerCaseName(), f.getValue(), (a, b) -> a + ", " + b);
    }
    if (request.getLength() > MAX_BODY) {
      throw new BodyTooLarge();
    }
    byte[] body;
    try {
      body = Content.Source.asByteArrayAsync(request, MAX_BODY).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted reading the request body", e);
    } catch (ExecutionException e) {
      // asByteArrayAsync fails with IllegalArgumentException past maxSize (a chunked body).
      if (e.getCause() instanceof IllegalArgumentException) {
        throw new BodyTooLarge();
      }
      throw new IOException("reading the request body failed", e.getCause());
    }
    return new HttpRequest(
        request.getMethod(),
        request.getHttpURI().getPath(),
        request.getHttpURI().getQuery(),
        request.getConnectionMetaData().getProtocol(),
        headers,
        body);
  }

  private void headers(Response response, Reply reply) {
    response.setStatus(reply.status());
    HttpFields.Mutable h = response.getHeaders();
    h.put(
        HttpHeader.DATE,
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            settings.clock().instant().atOffset(ZoneOffset.UTC)));
    h.put(HttpHeader.SERVER, SERVER);
    h.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    h.put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    reply.headers().forEach(h::put);
  }

  private void send(Response response, Callback callback, Reply reply) {
    headers(response, reply);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /**
   * Never answers: holds the exchange until the simulator stops or the idle timeout passes, then
   * drops the connection without a byte, so a client that gave up does not pin a connection for
   * ever. Jetty's own idle timeout is told to look away: it would answer 500.
   */
  private void stall(Request request, Callback callback) {
    request.addIdleTimeoutListener(timeout -> false);
    stopper.pause(settings.idleTimeout());
    abort(request, callback, false);
  }

  private void trickle(
      Request request, Response response, Callback callback, Reply reply, int bytesPerSecond)
      throws IOException {
    headers(response, reply);
    // Small rates go byte by byte; large ones in twentieths of a second so the pace stays smooth.
    int chunk = Math.max(1, bytesPerSecond / 20);
    Duration interval = Duration.ofNanos(chunk * 1_000_000_000L / bytesPerSecond);
    byte[] body = reply.body();
    for (int pos = 0; pos < body.length; pos += chunk) {
      if (pos > 0 && !stopper.pause(interval)) {
        abort(request, callback, false);
        return;
      }
      write(response, ByteBuffer.wrap(body, pos, Math.min(chunk, body.length - pos)));
    }
    response.write(true, ByteBuffer.allocate(0), callback);
  }

  private void reset(
      Request request, Response response, Callback callback, Reply reply, Duration pause)
      throws IOException {
    headers(response, reply);
    write(response, ByteBuffer.wrap(reply.body(), 0, reply.body().length / 2));
    stopper.pause(pause);
    abort(request, callback, true);
  }

  /** Writes and flushes {@code bytes} before returning (the handler runs on a virtual thread). */
  private static void write(Response response, ByteBuffer bytes) throws IOException {
    try (Blocker.Callback done = Blocker.callback()) {
      response.write(false, bytes, done);
      done.block();
    }
  }

  /**
   * Ends the connection under the exchange at once, without completing the response: with {@code
   * reset} by an RST (SO_LINGER 0), otherwise by a plain close.
   */
  private static void abort(Request request, Callback callback, boolean reset) {
    EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
    if (reset && endPoint instanceof SocketChannelEndPoint socket) {
      try {
        socket.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
      } catch (IOException e) {
        log.debug("cannot set SO_LINGER for a reset: {}", e.toString());
      }
    }
    endPoint.close();
    callback.failed(new EofException(reset ? "reset by a fault" : "dropped by the simulator"));
  }

  static byte[] errorBody(String message) {
    return ("{\"error\":{\"type\":\"INVALID_REQUEST_UNKNOWN\",\"message\":\"" + message + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Jetty's error page for requests it refuses before they reach the handler (a malformed request
   * line, headers too large): Airtable's JSON error shape instead of Jetty's HTML.
   */
  static final class Errors implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Object message =
          request.getAttribute(org.eclipse.jetty.server.handler.ErrorHandler.ERROR_MESSAGE);
      String text =
          message == null
              ? "bad request"
              : message
                  .toString()
                  .replaceAll("[^A-Za-z0-9 .,:;_()/-]", " ")
                  .toLowerCase(Locale.ROOT);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, Reply.JSON);
      response.getHeaders().put(HttpHeader.SERVER, SERVER);
      response.write(true, ByteBuffer.wrap(errorBody(text)), callback);
      return true;
    }
  }

  private static final class BodyTooLarge extends Exception {
    BodyTooLarge() {
      super("body too large", null, false, false);
    }
  }
}
