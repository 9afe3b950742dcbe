package dev.integrity.airtable;

import java.time.Duration;
import java.util.Objects;

/**
 * How a base's request rate follows the limit the server enforces below the configured ceiling
 * (contract, "Rate"): a multiplicative decrease when the limit drops, an additive increase of one
 * request per second every {@code step} without a 429, and a memory of the rate that drew the last
 * 429, which the rate stays one below and probes again only after {@code firstProbe}, doubling
 * after each probe the server refuses, up to {@code maxProbe}. Every failed probe costs the base
 * (and any other integration that uses it) Airtable's 30 s lockout, so probes are rare: that is the
 * price of noticing late that the limit rose again. Validated when built; immutable and
 * thread-safe.
 *
 * @param step how long the rate must hold without a 429 before it grows by one request per second;
 *     a rate that held this long counts as one the server allows
 * @param firstProbe how long the rate stays one below the rate that drew the last 429 before trying
 *     that rate again
 * @param maxProbe the longest wait between probes, however many were refused
 * @param dropProbe how long the rate stays one below a rate that had held and then drew a 429
 *     before trying it again
 */
public record RateRule(Duration step, Duration firstProbe, Duration maxProbe, Duration dropProbe) {
  /** The longest wait between probes by default: at most three refused probes an hour. */
  public static final Duration DEFAULT_LONGEST_PROBE_WAIT = Duration.ofMinutes(20);

  /** Growth every 5 s; the first probe after 5 minutes (1 after a drop), then 10 and at most 20. */
  public static final RateRule DEFAULT = probingWithin(DEFAULT_LONGEST_PROBE_WAIT);

  /**
   * The rule whose probes are never further apart than {@code longest}
   * (AIRTABLE_RATE_PROBE_MINUTES): growth every 5 s, the first probe after 5 minutes (1 after a
   * drop), doubling up to {@code longest}, each capped at {@code longest}. The one knob between two
   * goals that pull apart under Airtable's 30 s lockout: a limit that rose is reached within {@code
   * longest} (plus 5 s a step), and while it has not risen every probe is one more 429.
   */
  public static RateRule probingWithin(Duration longest) {
    positive("longest", longest);
    return new RateRule(
        Duration.ofSeconds(5),
        min(Duration.ofMinutes(5), longest),
        longest,
        min(Duration.ofMinutes(1), longest));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public RateRule {
    positive("step", step);
    positive("firstProbe", firstProbe);
    positive("maxProbe", maxProbe);
    positive("dropProbe", dropProbe);
    if (maxProbe.compareTo(firstProbe) < 0) {
      throw new IllegalArgumentException(
          "maxProbe (" + maxProbe + ") must not be shorter than firstProbe (" + firstProbe + ")");
    }
  }

  /** This rule with another growth step. */
  public RateRule withStep(Duration step) {
    return new RateRule(step, firstProbe, maxProbe, dropProbe);
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
