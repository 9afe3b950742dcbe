package dev.integrity.alert;

import dev.integrity.config.AlertsConfig;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one base's config says about its alerts: the channels they go to, whether its runs with new
 * {@code fail} issues in entities without an owner raise one, how often a condition that stays open
 * is repeated, and the owners of its entities (whose alerts go to the owner's channels instead).
 * Immutable and thread-safe.
 *
 * @param owners by entity name; entities not in it have the base's channels
 */
public record BaseAlerts(
    List<AlertChannel> channels,
    boolean onNewFailIssues,
    Duration repeatAfter,
    Map<String, Owner> owners) {
  public BaseAlerts {
    channels = List.copyOf(channels);
    Objects.requireNonNull(repeatAfter, "repeatAfter");
    owners = Collections.unmodifiableMap(new LinkedHashMap<>(owners));
  }

  /** No owners, repeats every {@link AlertsConfig#DEFAULT_REPEAT_AFTER}. */
  public BaseAlerts(List<AlertChannel> channels, boolean onNewFailIssues) {
    this(channels, onNewFailIssues, AlertsConfig.DEFAULT_REPEAT_AFTER, Map.of());
  }

  /** Whether the end of a run needs its new fail issues: someone is to hear of them. */
  boolean wantsIssues() {
    return onNewFailIssues || !owners.isEmpty();
  }
}
