package dev.integrity.airtable;

import java.time.Duration;

/**
 * The adaptive rate of one base under {@link RateRule}: what the server allowed, what drew its last
 * 429, and when to try that again. Rates are compared as the server counts them: whole requests in
 * a sliding second ({@link #effective}), so 2.5/s is 2/s.
 *
 * <p>A 429 is one of three things. A <em>probe</em> refused (the rate had stepped up to the one
 * that drew the last 429): go back to the rate that held and wait twice as long before the next
 * probe. A <em>climb</em> refused (the rate grew above one that held, to one not tried before): go
 * back to the one that held and remember this one. Otherwise the limit <em>dropped</em> below a
 * rate that held, or nothing is known yet: halve, as the contract always did, and forget what held.
 * A probe that holds a whole step means the limit rose: forget the rate that drew the 429 and grow
 * on towards the ceiling.
 *
 * <p>Not thread-safe: the owning {@link BaseRateLimiter} guards every call with its lock. Times are
 * {@link dev.integrity.Ticker} nanos, compared by difference only.
 */
final class RateAdaptation {
  /** The rate never halves below this: one request every 4 s still makes progress. */
  static final double MIN_RATE = 0.25;

  private final int ceiling;
  private final long stepNanos;
  private final long firstProbeNanos;
  private final long maxProbeNanos;
  private final long dropProbeNanos;

  private double rate;

  /** When the current rate came into force (or its lockout ended); steps count from here. */
  private long sinceNanos;

  /** The highest effective rate that held a whole step without a 429; 0 = none since a drop. */
  private double held;

  /** The effective rate that drew the last 429 and has not held since; infinite = none. */
  private double refused = Double.POSITIVE_INFINITY;

  /**
   * The rate refused before the last drop (infinite = none): once the drop's rate holds again, the
   * rate stays below this one until its probe is due, as before the drop. A 429 at a rate that had
   * held is as often one busy second (a request counted late) as a lower limit; without this the
   * rate climbed straight back into the 429 it had learned.
   */
  private double above = Double.POSITIVE_INFINITY;

  /** How long the rate stays one below {@link #refused} before probing it. */
  private long probeWaitNanos;

  /** The current rate is a probe of {@link #refused}. */
  private boolean probing;

  RateAdaptation(int ceiling, RateRule rule, long nowNanos) {
    this.ceiling = ceiling;
    this.stepNanos = rule.step().toNanos();
    this.firstProbeNanos = rule.firstProbe().toNanos();
    this.maxProbeNanos = rule.maxProbe().toNanos();
    this.dropProbeNanos = rule.dropProbe().toNanos();
    this.rate = ceiling;
    this.sinceNanos = nowNanos;
    this.probeWaitNanos = firstProbeNanos;
  }

  /** The rate in force at {@code now}, after any growth or probe due by then. */
  double rate(long now) {
    advance(now);
    return rate;
  }

  /**
   * A 429 at {@code now} outside a lockout; the base sends again at {@code resumeAt}. Returns what
   * the 429 meant and what follows, for the log.
   */
  String throttled(long now, long resumeAt) {
    advance(now);
    double drew = effective(rate);
    String meaning;
    if (probing && held > 0) {
      probeWaitNanos = Math.min(maxProbeNanos, probeWaitNanos * 2);
      rate = held;
      meaning = "the server still refuses " + text(drew) + "/s";
    } else if (held > 0 && held < drew) {
      probeWaitNanos = firstProbeNanos;
      rate = held;
      meaning = "the server allows " + text(held) + "/s but not " + text(drew) + "/s";
    } else {
      probeWaitNanos = held > 0 ? dropProbeNanos : firstProbeNanos;
      if (held > 0 && refused > drew) {
        above = Math.min(above, refused);
      }
      rate = Math.max(MIN_RATE, rate / 2);
      held = 0;
      meaning = "the server's limit is below " + text(drew) + "/s: halved";
    }
    refused = drew;
    probing = false;
    // The lockout earns nothing: the next step counts from when the base may send again.
    sinceNanos = resumeAt;
    return meaning
        + "; "
        + text(drew)
        + "/s is tried again after "
        + Texts.duration(Duration.ofNanos(probeWaitNanos))
        + " at the rate below it";
  }

  /** A lockout was extended by another 429 that landed inside it: steps count from its new end. */
  void lockedUntil(long resumeAt) {
    if (resumeAt - sinceNanos > 0) {
      sinceNanos = resumeAt;
    }
  }

  private void advance(long now) {
    while (now - sinceNanos >= stepNanos) {
      // The current rate held a whole step without a 429.
      held = Math.max(held, effective(rate));
      if (probing) {
        // The probe held: the limit is at least this. What was refused before a drop is still
        // taken as refused, with a first probe's wait; above it (or with none) the rate grows on.
        probing = false;
        refused = effective(rate) < above ? above : Double.POSITIVE_INFINITY;
        above = Double.POSITIVE_INFINITY;
        probeWaitNanos = firstProbeNanos;
      }
      if (rate >= ceiling) {
        sinceNanos = now;
        return;
      }
      double next = Math.min(ceiling, rate >= 1 ? Math.floor(rate) + 1 : rate + 1);
      if (effective(next) < refused) {
        rate = next;
        sinceNanos += stepNanos;
      } else if (now - sinceNanos >= probeWaitNanos) {
        rate = next;
        sinceNanos += probeWaitNanos;
        probing = true;
      } else {
        return;
      }
    }
  }

  private static String text(double rate) {
    return rate == Math.floor(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  /** Requests the server counts per second at {@code rate}: whole ones, or the fraction below 1. */
  static double effective(double rate) {
    return rate >= 1 ? Math.floor(rate) : rate;
  }
}
