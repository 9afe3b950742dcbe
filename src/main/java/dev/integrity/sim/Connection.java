package dev.integrity.sim;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one keep-alive connection: reads requests, asks {@link Api} for each reply and sends it,
 * misbehaving where a fault says so. Runs on one connection thread; not shared.
 */
final class Connection implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(400, "Bad Request"),
          Map.entry(401, "Unauthorized"),
          Map.entry(403, "Forbidden"),
          Map.entry(404, "Not Found"),
          Map.entry(413, "Payload Too Large"),
          Map.entry(414, "URI Too Long"),
          Map.entry(422, "Unprocessable Entity"),
          Map.entry(429, "Too Many Requests"),
          Map.entry(431, "Request Header Fields Too Large"),
          Map.entry(500, "Internal Server Error"),
          Map.entry(502, "Bad Gateway"),
          Map.entry(503, "Service Unavailable"),
          Map.entry(504, "Gateway Timeout"));

  private final Socket socket;
  private final AirtableSimulator.Settings settings;
  private final Api api;
  private final RequestJournal journal;
  private final Stopper stopper;
  private final Runnable onEnd;
  private final Runnable onFailure;

  Connection(
      Socket socket,
      AirtableSimulator.Settings settings,
      Api api,
      RequestJournal journal,
      Stopper stopper,
      Runnable onEnd,
      Runnable onFailure) {
    this.socket = socket;
    this.settings = settings;
    this.api = api;
    this.journal = journal;
    this.stopper = stopper;
    this.onEnd = onEnd;
    this.onFailure = onFailure;
  }

  static String reason(int status) {
    return REASONS.getOrDefault(status, status >= 500 ? "Server Error" : "Unknown");
  }

  @Override
  public void run() {
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
      var reader = new HttpRequest.Reader(socket.getInputStream());
      var out = new BufferedOutputStream(socket.getOutputStream(), 32 * 1024);
      boolean keepAlive = true;
      while (keepAlive && !stopper.stopped()) {
        HttpRequest req;
        try {
          req = reader.read();
        } catch (HttpRequest.BadRequest e) {
          byte[] body =
              ("{\"error\":{\"type\":\"INVALID_REQUEST_UNKNOWN\",\"message\":\""
                      + e.getMessage()
                      + "\"}}")
                  .getBytes(StandardCharsets.UTF_8);
          send(out, Reply.json(e.status, body), false);
          return;
        }
        if (req == null) {
          return;
        }
        keepAlive = serve(req, out);
      }
    } catch (SocketTimeoutException e) {
      log.debug("closing idle connection from {}", socket.getRemoteSocketAddress());
    } catch (IOException e) {
      if (!stopper.stopped()) {
        log.debug("connection from {} ended: {}", socket.getRemoteSocketAddress(), e.toString());
      }
    } catch (RuntimeException e) {
      onFailure.run();
      log.error("connection from {} failed", socket.getRemoteSocketAddress(), e);
    } finally {
      closeQuietly();
      onEnd.run();
    }
  }

  /** Answers one request; returns whether the connection stays open. */
  private boolean serve(HttpRequest req, OutputStream out) throws IOException {
    Api.Route route = Api.Route.of(req);
    RequestJournal.Slot slot = journal.arrive(req.method(), req.path(), route.table(), req.query());
    Reply reply;
    try {
      reply = api.handle(req, route, slot.arrivalNanos);
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
    boolean keepAlive = req.keepAlive();
    return switch (reply.delivery()) {
      case Reply.Delivery.Stall s -> stall();
      case Reply.Delivery.Normal n ->
          stopper.pause(settings.latency()) && send(out, reply, keepAlive);
      case Reply.Delivery.Trickle t ->
          stopper.pause(settings.latency()) && trickle(out, reply, t.bytesPerSecond(), keepAlive);
      case Reply.Delivery.Reset r ->
          stopper.pause(settings.latency()) && reset(out, reply, r.pauseBeforeReset());
    };
  }

  private boolean send(OutputStream out, Reply reply, boolean keepAlive) throws IOException {
    out.write(head(reply, keepAlive));
    out.write(reply.body());
    out.flush();
    return keepAlive;
  }

  /** Never answers: holds the socket until the client gives up or the simulator closes. */
  private boolean stall() throws IOException {
    socket.setSoTimeout(0);
    InputStream in = socket.getInputStream();
    byte[] sink = new byte[1024];
    while (!stopper.stopped() && in.read(sink) >= 0) {
      // discard whatever the client still sends
    }
    return false;
  }

  private boolean trickle(OutputStream out, Reply reply, int bytesPerSecond, boolean keepAlive)
      throws IOException {
    out.write(head(reply, keepAlive));
    out.flush();
    // Small rates go byte by byte; large ones in twentieths of a second so the pace stays smooth.
    int chunk = Math.max(1, bytesPerSecond / 20);
    Duration interval = Duration.ofNanos(chunk * 1_000_000_000L / bytesPerSecond);
    byte[] body = reply.body();
    for (int pos = 0; pos < body.length; pos += chunk) {
      if (pos > 0 && !stopper.pause(interval)) {
        return false;
      }
      out.write(body, pos, Math.min(chunk, body.length - pos));
      out.flush();
    }
    return keepAlive;
  }

  private boolean reset(OutputStream out, Reply reply, Duration pause) throws IOException {
    out.write(head(reply, false));
    out.write(reply.body(), 0, reply.body().length / 2);
    out.flush();
    stopper.pause(pause);
    socket.setSoLinger(true, 0); // close() now sends RST instead of FIN
    socket.close();
    return false;
  }

  private byte[] head(Reply reply, boolean keepAlive) {
    var sb = new StringBuilder(256);
    sb.append("HTTP/1.1 ")
        .append(reply.status())
        .append(' ')
        .append(reason(reply.status()))
        .append("\r\n");
    sb.append("Date: ")
        .append(
            DateTimeFormatter.RFC_1123_DATE_TIME.format(
                settings.clock().instant().atOffset(ZoneOffset.UTC)))
        .append("\r\n");
    sb.append("Server: integrity-airtable-simulator\r\n");
    sb.append("Content-Type: ").append(reply.contentType()).append("\r\n");
    sb.append("Content-Length: ").append(reply.body().length).append("\r\n");
    reply.headers().forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
    sb.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void closeQuietly() {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing a connection failed: {}", e.toString());
    }
  }
}
