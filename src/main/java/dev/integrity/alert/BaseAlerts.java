package dev.integrity.alert;

import java.util.List;

/**
 * What one base's config says about its alerts: the channels they go to and whether its runs with
 * new {@code fail} issues raise one. Immutable and thread-safe.
 */
public record BaseAlerts(List<AlertChannel> channels, boolean onNewFailIssues) {
  public BaseAlerts {
    channels = List.copyOf(channels);
  }
}
