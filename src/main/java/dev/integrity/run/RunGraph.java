package dev.integrity.run;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.LinkedRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * A run as a small graph of per-entity tasks: each entity's fetch starts at once; its check starts
 * as soon as its own fetch and the fetches of the entities its {@code link} checks point to have
 * settled (fetched or failed: a failed target leaves the link check with its counts only). A rule
 * through {@code linked(r, "F")} needs a link check on F, so it waits for the same fetch; a failed
 * target leaves it not run. A link to an entity outside the run is no dependency. Immutable.
 *
 * @param targets per selected entity, the other selected entities its link checks point to
 * @param linked the selected entities some link check points to (their record ids are needed)
 * @param readByRules the selected entities some rule reads through {@code linked(r, …)} (their
 *     records are needed until the run ends, not only their ids); each is in {@code linked} too,
 *     since such a rule needs a link check on its field
 */
record RunGraph(Map<String, Set<String>> targets, Set<String> linked, Set<String> readByRules) {

  static RunGraph of(IntegrityConfig config, Collection<String> selected) {
    Map<String, Set<String>> targets = new LinkedHashMap<>();
    Set<String> linked = new LinkedHashSet<>();
    Set<String> readByRules = new LinkedHashSet<>();
    for (String name : selected) {
      EntityConfig entity = config.entities().get(name);
      Set<String> to = new LinkedHashSet<>();
      for (CheckSpec spec : entity.checks()) {
        if (spec instanceof CheckSpec.Link link && selected.contains(link.to())) {
          linked.add(link.to());
          if (!link.to().equals(name)) {
            to.add(link.to());
          }
        }
      }
      targets.put(name, Set.copyOf(to));
      for (String target : LinkedRules.targetsOf(entity)) {
        if (selected.contains(target)) {
          readByRules.add(target);
        }
      }
    }
    // Keep the config's order: fetches start in it.
    return new RunGraph(
        Collections.unmodifiableMap(targets),
        Collections.unmodifiableSet(linked),
        Collections.unmodifiableSet(readByRules));
  }

  /** Where a task's escaped {@code Throwable} goes: to the run's arbiter, never nowhere. */
  @FunctionalInterface
  interface Escapes {
    void escaped(String entity, RunStage stage, Throwable thrown);
  }

  /**
   * Starts every fetch on {@code pool} and chains each check, on {@code checkPool}, after its
   * dependencies. The tasks handle their own failures; anything that still escapes one (or a task
   * the pool refused) goes to {@code escapes}, so an {@code Error} on a worker is never lost
   * between the tasks and the run's ending. The future completes when every check task has run (or
   * been passed over).
   */
  CompletableFuture<Void> start(
      Executor pool,
      Executor checkPool,
      Consumer<String> fetch,
      Consumer<String> check,
      Escapes escapes) {
    Map<String, CompletableFuture<Void>> fetches = new LinkedHashMap<>();
    for (String name : targets.keySet()) {
      fetches.put(
          name,
          CompletableFuture.runAsync(() -> fetch.accept(name), pool)
              .exceptionally(e -> report(escapes, name, RunStage.FETCH, e)));
    }
    List<CompletableFuture<Void>> checks = new ArrayList<>();
    targets.forEach(
        (name, to) -> {
          List<CompletableFuture<Void>> deps = new ArrayList<>();
          deps.add(fetches.get(name));
          to.forEach(t -> deps.add(fetches.get(t)));
          checks.add(
              CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
                  .thenRunAsync(() -> check.accept(name), checkPool)
                  .exceptionally(e -> report(escapes, name, RunStage.CHECK, e)));
        });
    return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new));
  }

  private static Void report(Escapes escapes, String entity, RunStage stage, Throwable e) {
    Throwable cause =
        e instanceof java.util.concurrent.CompletionException && e.getCause() != null
            ? e.getCause()
            : e;
    escapes.escaped(entity, stage, cause);
    return null;
  }
}
