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
    String type = error == null ? null : error.type();
    // Without a recognised envelope the body itself (an HTML page from a proxy, say) is quoted.
    String quoted = Texts.snippet(error == null ? body : error.message(), settings.token());
    String message = quoted.isEmpty() ? null : quoted;
    String airtableSays = describe(status, type, message);
    String baseId = where.baseId();
    String table = where.table();
    int page = where.page();
    return switch (status) {
      case 401 ->
          new Outcome.Fatal<>(
              new AirtableAuthException(
                  "Airtable rejected the token for "
                      + where
                      + " ("
                      + airtableSays
                      + "): set a valid personal access token in AIRTABLE_TOKEN",
                  baseId,
                  table,
                  page));
      case 403, 404 ->
          new Outcome.Fatal<>(
              new AirtableAccessException(
                  "Airtable denied access to "
                      + where
                      + " ("
                      + airtableSays
                      + "): check that base "
                      + baseId
                      + (table == null ? "" : " and table '" + table + "'")
                      + " exist and that the token has access to the base"
                      + " (scopes data.records:read, schema.bases:read)",
                  baseId,
                  table,
                  page,
                  status));
      case 429 ->
          new Outcome.Retryable<>(
              RetryEvent.Cause.RATE_LIMITED,
              airtableSays,
              retryAfter(response),
              attempts ->
                  new AirtableRateLimitException(
                      "Airtable kept answering 429 (rate limited) for "
                          + where
                          + " after "
                          + attempts
                          + " attempts (AIRTABLE_MAX_RETRIES="
                          + settings.maxRetries()
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
              attempts -> serverError(where, status, airtableSays, attempts));
      default -> {
        if (status >= 400 && status < 500) {
          yield new Outcome.Fatal<>(
              new AirtableRequestException(
                  "Airtable refused the request for "
                      + where
                      + " ("
                      + airtableSays
                      + "): check the table, fields, view and formula in the config",
                  baseId,
                  table,
                  page,
                  status,
                  type,
                  message));
        }
        yield new Outcome.Fatal<>(serverError(where, status, airtableSays, 1));
      }
    };
  }

  private AirtableServerException serverError(
      Where where, int status, String airtableSays, int attempts) {
    return new AirtableServerException(
        "Airtable failed to answer "
            + where
            + " ("
            + airtableSays
            + ") after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + (attempts > 1 ? " (AIRTABLE_MAX_RETRIES=" + settings.maxRetries() + ")" : "")
            + ": Airtable or the network in between is failing; try again later",
        where.baseId(),
        where.table(),
        where.page(),
        status,
        attempts);
  }

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
