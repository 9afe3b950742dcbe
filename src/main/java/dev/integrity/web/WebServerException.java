package dev.integrity.web;

import dev.integrity.IntegrityException;

/** The web server cannot start on {@code host:port}; the message says why. Immutable. */
public class WebServerException extends IntegrityException {
  private final String host;
  private final int port;

  public WebServerException(String host, int port, String message, Throwable cause) {
    super(message, cause);
    this.host = host;
    this.port = port;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
