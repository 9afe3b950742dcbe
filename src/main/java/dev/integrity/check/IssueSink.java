package dev.integrity.check;

/**
 * Receives issues as the engine finds them, so a run never holds all its issues in memory. Called
 * on the thread that runs {@link CheckEngine#evaluate}; implementations need be thread-safe only if
 * they are shared between concurrent evaluations.
 */
@FunctionalInterface
public interface IssueSink {
  void accept(Issue issue);
}
