package dev.integrity.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which channels hear an alert, which per-base conditions are on and how often they repeat, chosen
 * by the alert's base and, for alerts about an entity, its owner. An alert of a base served here
 * goes to that base's channels, or to the owner's when it is about entities with an owner; an alert
 * without a base (a pile-up across bases) or of a base no config here names (a schedule of another
 * process's base) has no owner, so it goes to every base channel once. Immutable and thread-safe.
 */
public final class AlertRoutes {
  private final Map<String, BaseAlerts> bases;
  private final BaseAlerts others;

  private AlertRoutes(Map<String, BaseAlerts> bases, BaseAlerts others) {
    this.bases = Collections.unmodifiableMap(new LinkedHashMap<>(bases));
    this.others = others;
  }

  /**
   * Each base's alerts to its own channels; alerts of no served base to every base channel once (a
   * channel object shared by several bases counts once), repeated as often as the most frequent
   * base's {@code repeatAfter}.
   *
   * @param bases by base id
   */
  public static AlertRoutes perBase(Map<String, BaseAlerts> bases) {
    Objects.requireNonNull(bases, "bases");
    Set<AlertChannel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<AlertChannel> every = new ArrayList<>();
    Duration repeat = null;
    for (BaseAlerts base : bases.values()) {
      for (AlertChannel channel : base.channels()) {
        if (seen.add(channel)) {
          every.add(channel);
        }
      }
      if (repeat == null || base.repeatAfter().compareTo(repeat) < 0) {
        repeat = base.repeatAfter();
      }
    }
    BaseAlerts others =
        repeat == null
            ? new BaseAlerts(every, false)
            : new BaseAlerts(every, false, repeat, Map.of());
    return new AlertRoutes(bases, others);
  }

  /** Every alert of every base to the same channels, with one switch for new fail issues. */
  public static AlertRoutes everywhere(BaseAlerts all) {
    return new AlertRoutes(Map.of(), Objects.requireNonNull(all, "all"));
  }

  /** The channels an alert of {@code baseId} (null: of no base) goes to, each once. */
  List<AlertChannel> channelsFor(String baseId) {
    return route(baseId).channels();
  }

  /**
   * The channels of an alert of {@code baseId} about the entities of {@code owner}: the owner's, or
   * the base's when {@code owner} is null or not one of the base's owners.
   */
  List<AlertChannel> channelsFor(String baseId, String owner) {
    BaseAlerts base = route(baseId);
    if (owner != null) {
      for (Owner o : base.owners().values()) {
        if (o.name().equals(owner)) {
          return o.channels();
        }
      }
    }
    return base.channels();
  }

  /** Whether a run of {@code baseId} with new {@code fail} issues raises a base alert. */
  boolean onNewFailIssues(String baseId) {
    return route(baseId).onNewFailIssues();
  }

  /** Whether the end of a run of {@code baseId} needs its new fail issues. */
  boolean wantsIssues(String baseId) {
    return route(baseId).wantsIssues();
  }

  /** The owner's name of an entity of {@code baseId}, or null when its alerts go to the base. */
  String ownerOf(String baseId, String entity) {
    Owner owner = route(baseId).owners().get(entity);
    return owner == null ? null : owner.name();
  }

  /** The names of the owners of {@code baseId}'s entities, in config order, each once. */
  Set<String> owners(String baseId) {
    Set<String> names = new LinkedHashSet<>();
    route(baseId).owners().values().forEach(o -> names.add(o.name()));
    return names;
  }

  /** The entities of {@code baseId} that {@code owner} owns. */
  Set<String> entitiesOf(String baseId, String owner) {
    Set<String> entities = new LinkedHashSet<>();
    route(baseId)
        .owners()
        .forEach(
            (entity, o) -> {
              if (o.name().equals(owner)) {
                entities.add(entity);
              }
            });
    return entities;
  }

  /** How often an open condition of {@code baseId} (null: of no base) is repeated. */
  Duration repeatAfter(String baseId) {
    return route(baseId).repeatAfter();
  }

  private BaseAlerts route(String baseId) {
    BaseAlerts base = baseId == null ? null : bases.get(baseId);
    return base == null ? others : base;
  }
}
