package dev.integrity.run;

import dev.integrity.model.EntityStatus;
import dev.integrity.model.RunStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The entities of one run in the config's order: what an ending does to each, and how the run
 * describes a partial result. The set is fixed at construction; each entity guards its own state.
 * Thread-safe.
 */
final class RunEntities {
  private final Map<String, EntityState> byName;
  private final Consumer<EntityState> persist;

  /**
   * @param persist saves an entity's changed state (store and listeners); must not throw
   */
  RunEntities(List<EntityState> entities, Consumer<EntityState> persist) {
    Map<String, EntityState> map = new LinkedHashMap<>();
    entities.forEach(e -> map.put(e.name, e));
    this.byName = Collections.unmodifiableMap(map);
    this.persist = persist;
  }

  EntityState get(String name) {
    return byName.get(name);
  }

  Collection<String> names() {
    return byName.keySet();
  }

  Collection<EntityState> all() {
    return byName.values();
  }

  boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** Whether an entity's fetch or check failed, so the run ends {@code error}. */
  boolean anyFailed() {
    return byName.values().stream().anyMatch(EntityState::failed);
  }

  /** Whether every planned entity was checked: the only way a run may end {@code succeeded}. */
  boolean allChecked() {
    return byName.values().stream().allMatch(EntityState::isChecked);
  }

  /** Ends whatever is still pending or fetching as the run's ending says; checked ones stay. */
  void settle(RunStatus status, String headline) {
    String why = headline == null ? "the run ended" : headline;
    for (EntityState e : byName.values()) {
      boolean changed =
          switch (status) {
            case TIMEOUT ->
                e.fail(
                        EntityStatus.TIMEOUT,
                        "cut off by the run's deadline after " + e.progressText())
                    || e.skip("not started before the run's deadline");
            case CANCELLED ->
                e.fail(EntityStatus.SKIPPED, "cancelled: " + e.progressText() + " so far")
                    || e.skip("cancelled before it started");
            case ERROR ->
                e.fail(EntityStatus.SKIPPED, "stopped: " + why) || e.skip("not started: " + why);
            case QUEUED, RUNNING, SUCCEEDED -> false;
          };
      if (changed) {
        persist.accept(e);
      }
    }
  }

  /**
   * The run's stored message once settled: the headline, then for a partial run which entities were
   * checked and how the others ended ("checked 3 of 4 entities; students: error: HTTP 500 …").
   */
  String message(RunStatus status, String headline) {
    return switch (status) {
      case SUCCEEDED -> null;
      case CANCELLED, QUEUED, RUNNING -> headline;
      case ERROR, TIMEOUT -> {
        if (headline != null && checked() == 0 && status == RunStatus.ERROR) {
          yield headline; // failed before any entity was checked: the headline says it all
        }
        List<String> parts = new ArrayList<>();
        if (headline != null) {
          parts.add(headline);
        }
        parts.add("checked " + checked() + " of " + byName.size() + " entities");
        byName.values().stream()
            .map(EntityState::unchecked)
            .filter(Objects::nonNull)
            .forEach(parts::add);
        yield String.join("; ", parts);
      }
    };
  }

  private long checked() {
    return byName.values().stream().filter(EntityState::isChecked).count();
  }
}
