package dev.integrity.run;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one run: its deadline, heartbeat interval and how long workers get to wind down after
 * the run ended. Immutable; validated at construction.
 */
public record RunSettings(Duration maxRunDuration, Duration heartbeatInterval, Duration windDown) {
  public RunSettings {
    Objects.requireNonNull(maxRunDuration, "maxRunDuration");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(windDown, "windDown");
    if (maxRunDuration.isNegative() || maxRunDuration.isZero()) {
      throw new IllegalArgumentException("MAX_RUN_DURATION_SECONDS must be positive");
    }
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("RUN_HEARTBEAT_INTERVAL_SECONDS must be positive");
    }
  }

  public static RunSettings of(Duration maxRunDuration, Duration heartbeatInterval) {
    return new RunSettings(maxRunDuration, heartbeatInterval, Duration.ofSeconds(5));
  }
}
