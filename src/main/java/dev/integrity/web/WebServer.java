package dev.integrity.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of {@code serve}: REST API, dashboard, health and metrics on one port. Binds
 * 127.0.0.1 by default and refuses any other address without an API token. Start once, close once;
 * thread-safe.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final int MAX_THREADS = 32;
  private static final int MIN_THREADS = 4;
  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private final WebBackend backend;
  private final WebSettings settings;
  private final ObjectMapper mapper = Json.mapper();
  private Javalin app;
  private boolean closed;

  public WebServer(WebBackend backend, WebSettings settings) {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Binds and starts serving.
   *
   * @throws WebServerException when the host is not loopback and no API token is set (naming {@code
   *     INTEGRITY_API_TOKEN}), or the address cannot be bound
   */
  public synchronized WebServer start() {
    if (app != null || closed) {
      throw new IllegalStateException("a WebServer starts once");
    }
    boolean loopback = isLoopback(settings.host());
    if (!loopback && settings.apiToken() == null) {
      throw new WebServerException(
          settings.host(),
          settings.port(),
          "refusing to serve on "
              + settings.host()
              + ":"
              + settings.port()
              + " without an API token: set INTEGRITY_API_TOKEN, or bind 127.0.0.1",
          null);
    }
    Access access = new Access(settings.apiToken(), loopback);
    ApiRoutes api = new ApiRoutes(backend, mapper, settings.maxRequestBytes(), settings.clock());
    Dashboard dashboard =
        new Dashboard(
            backend, mapper, settings.clock(), settings.refreshInterval(), access.tokenRequired());
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
    threads.setName("integrity-web");
    Javalin javalin =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.jetty.threadPool = threads;
              config.jetty.modifyServer(
                  server -> server.setStopTimeout(settings.stopTimeout().toMillis()));
              config.http.maxRequestSize = settings.maxRequestBytes();
              config.http.prefer405over404 = true;
              config.jsonMapper(new JavalinJackson(mapper, false));
              config.staticFiles.enableWebjars();
              config.staticFiles.add(
                  files -> {
                    files.hostedPath = "/static";
                    files.directory = "/web/static";
                    files.location = Location.CLASSPATH;
                  });
              config.requestLogger.http(
                  (ctx, ms) ->
                      log.debug(
                          "{} {} -> {} in {} ms",
                          ctx.method(),
                          ctx.path(),
                          ctx.status().getCode(),
                          ms.longValue()));
              config.routes.before(
                  ctx -> {
                    securityHeaders(ctx);
                    access.check(ctx);
                  });
              api.register(config.routes);
              dashboard.register(config.routes);
              config.routes.exception(ApiException.class, (e, ctx) -> respond(ctx, dashboard, e));
              config.routes.exception(
                  HttpResponseException.class,
                  (e, ctx) ->
                      respond(
                          ctx,
                          dashboard,
                          new ApiException(
                              e.getStatus(), codeOf(e.getStatus()), describe(e, ctx))));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    String ref = UUID.randomUUID().toString().substring(0, 8);
                    log.error("request {} {} failed (ref {})", ctx.method(), ctx.path(), ref, e);
                    respond(
                        ctx,
                        dashboard,
                        new ApiException(
                            500,
                            "internal",
                            "the server failed to answer; see its log for ref " + ref));
                  });
            });
    try {
      javalin.start(settings.host(), settings.port());
    } catch (RuntimeException e) {
      javalin.stop();
      throw new WebServerException(
          settings.host(),
          settings.port(),
          "cannot serve on " + settings.host() + ":" + settings.port() + ": " + e.getMessage(),
          e);
    }
    for (Connector connector : javalin.jettyServer().server().getConnectors()) {
      if (connector instanceof AbstractConnector c) {
        c.setIdleTimeout(settings.idleTimeout().toMillis());
      }
    }
    app = javalin;
    log.info(
        "serving the API and dashboard on {} (API token {})",
        url(),
        access.tokenRequired() ? "required" : "not set: loopback only");
    return this;
  }

  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the server has not started");
    }
    return app.port();
  }

  /** The root URL, e.g. {@code http://127.0.0.1:8080/}. */
  public synchronized URI url() {
    String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
    return URI.create("http://" + host + ":" + port() + "/");
  }

  /** Stops accepting, waits up to the stop timeout for requests in flight, releases the port. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (app != null) {
      app.stop();
      log.info("web server stopped");
    }
  }

  static boolean isLoopback(String host) {
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static void securityHeaders(Context ctx) {
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("Cache-Control", "no-store");
  }

  private void respond(Context ctx, Dashboard dashboard, ApiException e) {
    for (Map.Entry<String, String> header : e.headers().entrySet()) {
      ctx.header(header.getKey(), header.getValue());
    }
    ctx.status(e.status());
    String accept = ctx.header("Accept");
    boolean browserPage =
        Access.zone(ctx.path()) == Access.Zone.DASHBOARD
            && !ctx.path().startsWith("/fragments/")
            && accept != null
            && accept.contains("text/html");
    if (browserPage) {
      ctx.html(dashboard.errorPage(e.status(), e.getMessage()));
    } else {
      ctx.json(Json.error(e.code(), e.getMessage()));
    }
  }

  private static String describe(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404 -> "no such resource: " + ctx.method() + " " + ctx.path();
      case 405 -> ctx.method() + " is not allowed on " + ctx.path();
      case 413 -> "the request body is too large";
      default -> e.getMessage() == null ? "request failed" : e.getMessage();
    };
  }

  private static String codeOf(int status) {
    return switch (status) {
      case 400 -> "bad_request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 409 -> "conflict";
      case 413 -> "payload_too_large";
      default -> status >= 500 ? "internal" : "error";
    };
  }
}
