package dev.integrity.run;

/**
 * Called as a run enters each {@link RunStage}, on the thread doing that stage's work: a seam where
 * fault-injection tests and soaks throw ({@code OutOfMemoryError}, any {@code Error}) to prove that
 * whatever is thrown ends the entity or the run {@code error} and never a wrong success. Production
 * uses {@link #none()}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface RunProbe {
  /**
   * @param entity the entity being worked on; null for the run's own stages (schema, heartbeat,
   *     deadline, ending)
   */
  void at(RunStage stage, String entity);

  static RunProbe none() {
    return (stage, entity) -> {};
  }
}
