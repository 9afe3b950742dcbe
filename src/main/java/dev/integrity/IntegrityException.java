package dev.integrity;

/**
 * The one unchecked base exception of Integrity Runner; subclasses carry the fields a person needs
 * to act. Immutable once thrown.
 */
public class IntegrityException extends RuntimeException {
  public IntegrityException(String message) {
    super(message);
  }

  public IntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
