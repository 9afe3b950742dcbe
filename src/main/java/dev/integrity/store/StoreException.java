package dev.integrity.store;

import dev.integrity.IntegrityException;

/**
 * The store could not do what was asked (unreachable database, failed migration, failed statement);
 * the message names the operation and the database. Immutable once thrown.
 */
public class StoreException extends IntegrityException {
  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
