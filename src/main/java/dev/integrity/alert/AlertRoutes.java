package dev.integrity.alert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which channels hear an alert and which per-base conditions are on, chosen by the alert's base. An
 * alert of a base served here goes to that base's channels only; an alert without a base (a pile-up
 * across bases) or of a base no config here names (a schedule of another process's base) has no
 * owner, so it goes to every channel once. Immutable and thread-safe.
 */
public final class AlertRoutes {
  private final Map<String, BaseAlerts> bases;
  private final BaseAlerts others;

  private AlertRoutes(Map<String, BaseAlerts> bases, BaseAlerts others) {
    this.bases = Collections.unmodifiableMap(new LinkedHashMap<>(bases));
    this.others = others;
  }

  /**
   * Each base's alerts to its own channels; alerts of no served base to every channel once (a
   * channel object shared by several bases counts once).
   *
   * @param bases by base id
   */
  public static AlertRoutes perBase(Map<String, BaseAlerts> bases) {
    Objects.requireNonNull(bases, "bases");
    Set<AlertChannel> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<AlertChannel> every = new ArrayList<>();
    for (BaseAlerts base : bases.values()) {
      for (AlertChannel channel : base.channels()) {
        if (seen.add(channel)) {
          every.add(channel);
        }
      }
    }
    return new AlertRoutes(bases, new BaseAlerts(every, false));
  }

  /** Every alert of every base to the same channels, with one switch for new fail issues. */
  public static AlertRoutes everywhere(BaseAlerts all) {
    return new AlertRoutes(Map.of(), Objects.requireNonNull(all, "all"));
  }

  /** The channels an alert of {@code baseId} (null: of no base) goes to, each once. */
  List<AlertChannel> channelsFor(String baseId) {
    return route(baseId).channels();
  }

  /** Whether a run of {@code baseId} with new {@code fail} issues raises an alert. */
  boolean onNewFailIssues(String baseId) {
    return route(baseId).onNewFailIssues();
  }

  private BaseAlerts route(String baseId) {
    BaseAlerts base = baseId == null ? null : bases.get(baseId);
    return base == null ? others : base;
  }
}
