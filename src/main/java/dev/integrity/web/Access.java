package dev.integrity.web;

import dev.integrity.Secret;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * Who may call what. With a token, every {@code /api} request needs {@code Authorization: Bearer};
 * dashboard pages are served without the token on a loopback bind, but need it (Bearer, or Basic
 * with the token as password so a browser can log in) on any other bind; the dashboard's own
 * actions (acknowledging, revoking: any method but GET) need it on every bind, as the API does.
 * Health, metrics, the OpenAPI document and static files are open. State-changing requests from
 * another origin are refused, so a web page cannot drive a token-less loopback server. Immutable
 * and thread-safe.
 */
final class Access {
  enum Zone {
    OPEN,
    API,
    DASHBOARD
  }

  private static final String BEARER = "bearer ";
  private static final String BASIC = "basic ";

  private final byte[] tokenDigest;
  private final boolean loopback;

  Access(Secret token, boolean loopback) {
    this.tokenDigest = token == null ? null : sha256(token.reveal());
    this.loopback = loopback;
  }

  static Zone zone(String path) {
    if (path.equals("/api") || path.startsWith("/api/")) {
      return Zone.API;
    }
    if (path.equals("/healthz")
        || path.equals("/readyz")
        || path.equals("/metrics")
        || path.equals("/openapi.json")
        || path.startsWith("/static/")
        || path.startsWith("/webjars/")
        || path.equals("/favicon.ico")) {
      return Zone.OPEN;
    }
    return Zone.DASHBOARD;
  }

  boolean tokenRequired() {
    return tokenDigest != null;
  }

  /** Throws the 401/403 the request deserves, or returns when it may go on. */
  void check(Context ctx) {
    refuseCrossOrigin(ctx);
    if (tokenDigest == null) {
      return;
    }
    switch (zone(ctx.path())) {
      case OPEN -> {}
      case API -> checkBearer(ctx.header("Authorization"));
      case DASHBOARD -> {
        if (!loopback) {
          checkDashboard(ctx.header("Authorization"));
        } else if (!readOnly(ctx.method())) {
          checkAction(ctx.header("Authorization"));
        }
      }
    }
  }

  private void checkBearer(String header) {
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new ApiException(
          401,
          "unauthorized",
          "this API needs a bearer token: send 'Authorization: Bearer <INTEGRITY_API_TOKEN>'",
          Map.of("WWW-Authenticate", "Bearer realm=\"integrity\""));
    }
    if (!matches(header.substring(BEARER.length()).trim())) {
      throw new ApiException(403, "forbidden", "the bearer token is not valid for this server");
    }
  }

  private void checkDashboard(String header) {
    if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      checkBearer(header);
      return;
    }
    if (header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      String password = basicPassword(header.substring(BASIC.length()).trim());
      if (password != null && matches(password)) {
        return;
      }
    }
    // 401 (not 403) for a wrong Basic password, so the browser asks again.
    throw new ApiException(
        401,
        "unauthorized",
        "the dashboard needs the API token: log in with any user name and INTEGRITY_API_TOKEN as"
            + " the password",
        Map.of("WWW-Authenticate", "Basic realm=\"integrity dashboard\", charset=\"UTF-8\""));
  }

  /**
   * A dashboard action on a loopback bind, where the pages need no login: the page sends the token
   * typed into it as a bearer header. No Basic challenge, so the browser does not pop up a login
   * for a page that never asked for one.
   */
  private void checkAction(String header) {
    if (header != null && header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      String password = basicPassword(header.substring(BASIC.length()).trim());
      if (password != null && matches(password)) {
        return;
      }
    }
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new ApiException(
          401,
          "unauthorized",
          "this action needs the API token: type INTEGRITY_API_TOKEN into the page's API token"
              + " field",
          Map.of("WWW-Authenticate", "Bearer realm=\"integrity\""));
    }
    checkBearer(header);
  }

  private static String basicPassword(String encoded) {
    try {
      String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : decoded.substring(colon + 1);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private boolean matches(String presented) {
    // Comparing fixed-length digests in constant time hides both content and length.
    return MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  private static boolean readOnly(HandlerType method) {
    return method.equals(HandlerType.GET)
        || method.equals(HandlerType.HEAD)
        || method.equals(HandlerType.OPTIONS);
  }

  private static void refuseCrossOrigin(Context ctx) {
    HandlerType method = ctx.method();
    if (readOnly(method)) {
      return;
    }
    String origin = ctx.header("Origin");
    if (origin == null) {
      return;
    }
    String host = ctx.header("Host");
    if (host == null || !host.equalsIgnoreCase(authority(origin))) {
      throw new ApiException(
          403,
          "cross_origin",
          "refusing a " + method + " from another origin; call the API directly, not from a page");
    }
  }

  private static String authority(String origin) {
    try {
      String authority = URI.create(origin.trim()).getRawAuthority();
      return authority == null ? "" : authority.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
