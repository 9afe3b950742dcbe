package dev.integrity.sim;

import dev.integrity.IntegrityException;

/**
 * The simulator could not start or a dataset could not be built or loaded; the message names the
 * file, table or record at fault. Immutable.
 */
public class SimulatorException extends IntegrityException {
  public SimulatorException(String message) {
    super(message);
  }

  public SimulatorException(String message, Throwable cause) {
    super(message, cause);
  }
}
