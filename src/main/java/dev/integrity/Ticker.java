package dev.integrity;

/**
 * A monotonic time source for elapsed time and deadlines, injectable so tests can control time.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long nanoTime();

  static Ticker system() {
    return System::nanoTime;
  }
}
