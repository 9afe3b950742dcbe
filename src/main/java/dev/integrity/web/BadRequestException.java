package dev.integrity.web;

import dev.integrity.IntegrityException;

/**
 * A request the service refuses as invalid; the API answers 400 with its message, so the message
 * must say what is wrong and must not contain secrets. Immutable.
 */
public class BadRequestException extends IntegrityException {
  public BadRequestException(String message) {
    super(message);
  }
}
