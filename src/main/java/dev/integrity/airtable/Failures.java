package dev.integrity.airtable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one attempt came to (done, retry, give up) and words the error a person reads: what
 * failed, where (base, table, page), after how many attempts, and what to do about it. Every text
 * from the server is quoted bounded, printable and with the token masked. Stateless apart from its
 * settings; thread-safe.
 */
final class Failures {
  // The client's logger name is what users configure; it stays the same across the split.
  private static final Logger log = LoggerFactory.getLogger(AirtableClient.class);

  /** Longest error type quoted (Airtable's are upper-case words, under 50 characters). */
  private static final int TYPE_LIMIT = 80;

  /** Longest message of Airtable's envelope quoted (formula errors list field names). */
  private static final int MESSAGE_LIMIT = 300;

  private final AirtableSettings settings;
  private final Clock clock;
  private final HttpUrl root;
  private final AirtableJson json = new AirtableJson();

  Failures(AirtableSettings settings, Clock clock, HttpUrl root) {
    this.settings = settings;
    this.clock = clock;
    this.root = root;
  }

  /** A complete answer: 2xx is read by {@code reader}; anything else is classified by status. */
  <T> Outcome<T> classify(Where where, Response response, String body, BodyReader<T> reader) {
    int status = response.code();
    if (status >= 200 && status < 300) {
      try {
        return new Outcome.Ok<>(reader.read(body));
      } catch (AirtableJson.MalformedException e) {
        return malformed(where, body, e);
      }
    }
    return classifyStatus(where, response, body);
  }

  /**
   * A 200 we cannot read. Invalid JSON or a body cut short is transient (a proxy's page, a cut
   * connection) and retried like a 5xx; well-formed JSON of the wrong shape would come back the
   * same, so it is not.
   */
  private <T> Outcome<T> malformed(Where where, String body, AirtableJson.MalformedException e) {
    String problem = Texts.redact(e.getMessage(), settings.token());
    String snippet = Texts.snippet(body, settings.token());
    if (!e.unreadable()) {
      return new Outcome.Fatal<>(
          new AirtableResponseException(
              "Airtable answered 200 for "
                  + where.withOffset()
                  + " with a body we cannot read ("
                  + problem
                  + "); body starts: "
                  + snippet,
              where.baseId(),
              where.table(),
              where.page(),
              e.getCause()));
    }
    return new Outcome.Retryable<>(
        RetryEvent.Cause.UNREADABLE,
        "HTTP 200 with an unreadable body: " + problem,
        null,
        attempts ->
            new AirtableResponseException(
                "Airtable answered 200 for "
                    + where.withOffset()
                    + " with a body we cannot read ("
                    + problem
                    + ", "
                    + body.length()
                    + " characters) on "
                    + attempts
                    + (attempts == 1 ? " attempt" : " attempts")
                    + (attempts > 1 ? " (AIRTABLE_MAX_RETRIES=" + settings.maxRetries() + ")" : "")
                    + "; body starts: "
                    + (snippet.isEmpty() ? "(empty)" : snippet),
                where.baseId(),
                where.table(),
                where.page(),
                e.getCause()));
  }

  private <T> Outcome<T> classifyStatus(Where where, Response response, String body) {
    int status = response.code();
    AirtableJson.ApiError error = json.error(body);
    // Airtable's type and message are quoted as untrusted text: printable, bounded, token masked.
    String type =
        error == null
            ? null
            : blankToNull(Texts.snippet(error.type(), settings.token(), TYPE_LIMIT));
    // Without a recognised envelope the body itself (an HTML page from a proxy, say) is quoted.
    String message =
        blankToNull(
            error == null
                ? Texts.snippet(body, settings.token())
                : Texts.snippet(error.message(), settings.token(), MESSAGE_LIMIT));
    String airtableSays = describe(status, type, message);
    ApiCall.Kind kind = ApiCall.Kind.of(response.request().url().pathSegments());
    String subject = subject(where, kind);
    String baseId = where.baseId();
    String table = where.table();
    int page = where.page();
    return switch (status) {
      case 401 ->
          new Outcome.Fatal<>(
              new AirtableAuthException(
                  "Airtable rejected the token for "
                      + subject
                      + " ("
                      + airtableSays
                      + "): set a valid personal access token in AIRTABLE_TOKEN",
                  baseId,
                  table,
                  page,
                  type,
                  message));
      case 403, 404 ->
          new Outcome.Fatal<>(
              new AirtableAccessException(
                  (status == 403 ? "Airtable denied access to " : "Airtable did not find ")
                      + subject
                      + " ("
                      + airtableSays
                      + "): "
                      + accessHint(where, kind),
                  baseId,
                  table,
                  page,
                  status,
                  type,
                  message));
      case 429 ->
          new Outcome.Retryable<>(
              RetryEvent.Cause.RATE_LIMITED,
              airtableSays,
              retryAfter(response),
              attempts ->
                  new AirtableRateLimitException(
                      "Airtable kept answering 429 (rate limited) for "
                          + subject
                          + " after "
                          + attempts
                          + " attempts (AIRTABLE_MAX_RETRIES="
                          + settings.maxRetries()
                          + "; last answer "
                          + airtableSays
                          + "): lower AIRTABLE_RATE_LIMIT_PER_SECOND or stop other clients of"
                          + " the base",
                      baseId,
                      table,
                      page,
                      attempts));
      case 500, 502, 503, 504 ->
          new Outcome.Retryable<>(
              RetryEvent.Cause.SERVER_ERROR,
              airtableSays,
              null,
              attempts -> serverError(where, subject, status, type, message, attempts));
      default -> {
        if (status >= 400 && status < 500) {
          yield new Outcome.Fatal<>(
              new AirtableRequestException(
                  "Airtable refused the request for "
                      + subject
                      + " ("
                      + airtableSays
                      + "): "
                      + (kind == ApiCall.Kind.LIST
                          ? "check the table, fields, view and formula in the config"
                          : "check the base id " + baseId + " and the config"),
                  baseId,
                  table,
                  page,
                  status,
                  type,
                  message));
        }
        yield new Outcome.Fatal<>(serverError(where, subject, status, type, message, 1));
      }
    };
  }

  /** What was asked for: "the schema of base appX", "table 'Classes' of base appX, page 3". */
  private static String subject(Where where, ApiCall.Kind kind) {
    return switch (kind) {
      case SCHEMA -> "the schema of " + where;
      case WEBHOOK, PAYLOADS ->
          where.table() == null ? "the webhooks of " + where : where.toString();
      case LIST, OTHER -> where.toString();
    };
  }

  /**
   * What a 403 or 404 may mean. Airtable answers both for a base or table that does not exist and
   * for one the token may not see (it does not tell the two apart), so the hint names the id, the
   * token's access to the base and the scope the call needs.
   */
  private static String accessHint(Where where, ApiCall.Kind kind) {
    String base = "the base id " + where.baseId();
    return switch (kind) {
      case SCHEMA ->
          base
              + " may be wrong, or the token may lack access to the base or the schema.bases:read"
              + " scope";
      case LIST ->
          base
              + (where.table() == null ? "" : " or the table '" + where.table() + "'")
              + " may be wrong, or the token may lack access to the base or the data.records:read"
              + " scope";
      case WEBHOOK, PAYLOADS ->
          base
              + " may be wrong, or the token may lack access to the base or the webhook:manage"
              + " scope";
      case OTHER ->
          base
              + (where.table() == null ? "" : " or the table '" + where.table() + "'")
              + " may be wrong, or the token may lack access to the base (scopes"
              + " data.records:read, schema.bases:read)";
    };
  }

  private AirtableServerException serverError(
      Where where, String subject, int status, String type, String message, int attempts) {
    return new AirtableServerException(
        "Airtable failed to answer the request for "
            + subject
            + " ("
            + describe(status, type, message)
            + ") after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + (attempts > 1 ? " (AIRTABLE_MAX_RETRIES=" + settings.maxRetries() + ")" : "")
            + ": Airtable or the network in between is failing; try again later",
        where.baseId(),
        where.table(),
        where.page(),
        status,
        attempts,
        type,
        message);
  }

  /** "HTTP 403 INVALID_PERMISSIONS: Invalid permissions", "HTTP 404 NOT_FOUND", "HTTP 500". */
  private static String describe(int status, String type, String message) {
    StringBuilder sb = new StringBuilder("HTTP ").append(status);
    if (type != null) {
      sb.append(' ').append(type);
    }
    if (message != null) {
      sb.append(": ").append(message);
    }
    return sb.toString();
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** An attempt that ended in an I/O failure: a deadline, a reset, a refused connection. */
  <T> Outcome<T> classify(Where where, IOException e, Duration after) {
    String detail = Texts.snippet(e.toString(), settings.token());
    String baseId = where.baseId();
    String table = where.table();
    int page = where.page();
    if (e instanceof InterruptedIOException) {
      String limit;
      Duration configured;
      if (e instanceof SocketTimeoutException) {
        // A socket timeout is either the connect or the read (silence) limit; OkHttp's own call
        // deadline surfaces as a plain InterruptedIOException("timeout") instead.
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("connect")) {
          limit = AirtableTimeoutException.CONNECT_LIMIT;
          configured = settings.connectTimeout();
        } else {
          limit = AirtableTimeoutException.READ_LIMIT;
          configured = settings.readTimeout();
        }
      } else {
        limit = AirtableTimeoutException.REQUEST_LIMIT;
        configured = settings.requestTimeout();
      }
      String summary = limit + " (" + Texts.duration(configured) + ") reached";
      return new Outcome.Retryable<>(
          RetryEvent.Cause.TIMEOUT,
          summary + " after " + Texts.duration(after),
          null,
          attempts ->
              new AirtableTimeoutException(
                  "Airtable request for "
                      + where
                      + " timed out: "
                      + summary
                      + " after "
                      + Texts.duration(after)
                      + " on attempt "
                      + attempts
                      + " of "
                      + (settings.maxRetries() + 1)
                      + "; raise "
                      + limit
                      + " or check the network and Airtable's status",
                  baseId,
                  table,
                  page,
                  limit,
                  after,
                  attempts,
                  e));
    }
    return new Outcome.Retryable<>(
        RetryEvent.Cause.NETWORK,
        detail,
        null,
        attempts ->
            new AirtableNetworkException(
                "Network failure talking to Airtable at "
                    + root.host()
                    + ":"
                    + root.port()
                    + " for "
                    + where
                    + " ("
                    + detail
                    + ") after "
                    + attempts
                    + (attempts == 1 ? " attempt" : " attempts")
                    + ": check AIRTABLE_BASE_URL and the network",
                baseId,
                table,
                page,
                attempts,
                e));
  }

  /** The offset kept expiring: the table cannot be read at this pace. */
  AirtableRequestException iteratorExhausted(
      Where where, int restarts, Duration elapsed, AirtableRequestException e) {
    return new AirtableRequestException(
        "Airtable's offset for "
            + where
            + " expired again (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE) after "
            + restarts
            + " restarts from page 1 over "
            + Texts.duration(elapsed)
            + ": the table is read too slowly for Airtable's iterator; fetch fewer tables at"
            + " once or raise maxIteratorRestarts",
        where.baseId(),
        where.table(),
        where.page(),
        e.status(),
        e.errorType(),
        e.errorMessage());
  }

  /**
   * How long a 429 asks us to wait: {@code Retry-After} in seconds or as an HTTP date (against the
   * injected clock; a date in the past means now); absent or unreadable means the configured wait.
   */
  Duration retryAfter(Response response) {
    String header = response.header("Retry-After");
    if (header == null || header.isBlank()) {
      return settings.rateLimitWait();
    }
    String value = header.trim();
    try {
      long seconds = Long.parseLong(value);
      if (seconds >= 0) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(clock.instant(), at.toInstant());
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeException notADate) {
        log.debug("Ignoring a Retry-After that is neither seconds nor an HTTP date: {}", value);
      }
    }
    return settings.rateLimitWait();
  }
}
