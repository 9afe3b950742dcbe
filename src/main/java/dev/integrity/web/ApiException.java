package dev.integrity.web;

import dev.integrity.IntegrityException;
import java.util.Map;

/**
 * A request the server answers with an error status and a {@code {"error":{code,message}}} body;
 * the message is shown to the client, so it must never contain secrets. Immutable.
 */
final class ApiException extends IntegrityException {
  private final int status;
  private final String code;
  private final Map<String, String> headers;

  ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  ApiException(int status, String code, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = Map.copyOf(headers);
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Map<String, String> headers() {
    return headers;
  }
}
