package dev.integrity.airtable;

import dev.integrity.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the requests to one base (or one token) under a rate in any sliding second as the server
 * sees them, in two steps. {@link #reserve()} paces attempts before they start: each gets a slot
 * {@code pacingWindow / rate} after the previous one, and the caller waits for it outside the HTTP
 * call (so long waits never eat the request deadline). {@link #tryAdmitSend} runs at the moment the
 * request is written to an open connection, because only that instant is what the server counts:
 * connection setup (a TLS handshake, a cold start) delays some sends more than others. It refuses a
 * send while {@code rate} earlier sends could still arrive within {@code sendWindow} of it; a
 * send's latest possible arrival is its send time plus an allowance, which is larger on a fresh
 * connection that the server may take a while to start reading. The pacing window is a little
 * longer than the send window, so the second step mostly absorbs jitter. Smooth spacing rather than
 * bursts also suits a token-bucket server.
 *
 * <p>The rate adapts (contract, "Rate"): {@link #throttled} (a 429) locks every request out for the
 * given wait, and {@link RateAdaptation} decides the rate after it under a {@link RateRule}.
 * Airtable counts whole requests in a sliding second, so a rate of 2.5 admits 2 per window:
 * rounding up would draw the very 429 the halving is for. Below 1 the slots simply spread out. With
 * no rule the rate is fixed (the token limiter). Thread-safe.
 */
final class BaseRateLimiter {
  private final Ticker ticker;
  private final int ceiling;
  private final long pacingWindowNanos;
  private final long sendWindowNanos;
  private final Object lock = new Object();

  /** Guarded by lock; null for a fixed rate. */
  private final RateAdaptation adaptation;

  // Guarded by lock. nanoTime values are compared by difference only, as they may wrap.
  private long nextSlotNanos;
  private boolean reserved;
  private boolean locked;
  private long lockedUntilNanos;

  /** Latest possible arrival of each send that may still share a window with the next one. */
  private final List<Long> arrivals = new ArrayList<>();

  /** Requests waiting for a slot by priority ({@link #enqueue}), in arrival order. */
  private final Set<Waiter> waiters = new LinkedHashSet<>();

  /**
   * Fair turns ({@link #enqueue(SendPriority, Object)}): the turn each group was last served at.
   * Kept for every group ever seen (the bases of one token: a fixed, small set), because a group
   * that is forgotten when it has no waiter would come back as "never served" and jump the queue.
   */
  private final Map<Object, Long> lastServed = new HashMap<>();

  private long turns;

  /**
   * A request waiting for a slot of this limiter. Identity matters, not the fields: two waiters of
   * equal priority are two requests.
   */
  static final class Waiter {
    private final SendPriority priority;

    /** Whose turn this request takes (its base, at the token's limiter); null = no turns. */
    private final Object group;

    private Waiter(SendPriority priority, Object group) {
      this.priority = priority;
      this.group = group;
    }
  }

  /** A fixed-rate limiter (no adaptation). */
  BaseRateLimiter(int perSecond, Duration pacingWindow, Duration sendWindow, Ticker ticker) {
    this(perSecond, pacingWindow, sendWindow, null, ticker);
  }

  /**
   * @param rule how the rate follows the server's limit under the ceiling {@code perSecond}; null =
   *     fixed rate
   */
  BaseRateLimiter(
      int perSecond, Duration pacingWindow, Duration sendWindow, RateRule rule, Ticker ticker) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be >= 1: " + perSecond);
    }
    this.ticker = ticker;
    this.ceiling = perSecond;
    this.pacingWindowNanos = pacingWindow.toNanos();
    this.sendWindowNanos = sendWindow.toNanos();
    this.adaptation = rule == null ? null : new RateAdaptation(perSecond, rule, ticker.nanoTime());
  }

  /** Reserves the next attempt slot and returns how many nanoseconds to wait for it (0 = now). */
  long reserve() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long slot = reserved && nextSlotNanos - now > 0 ? nextSlotNanos : now;
      if (isLocked(now) && lockedUntilNanos - slot > 0) {
        slot = lockedUntilNanos;
      }
      reserved = true;
      nextSlotNanos = slot + intervalNanos(now);
      return slot - now;
    }
  }

  /**
   * Joins the requests waiting for a slot with {@code priority}; take the slot with {@link
   * #tryAcquire} and always {@link #leave} when giving up.
   */
  Waiter enqueue(SendPriority priority) {
    return enqueue(priority, null);
  }

  /**
   * As {@link #enqueue(SendPriority)}, taking turns with the other groups: at equal priority the
   * next slot goes to the waiter whose group was served longest ago (round-robin), so a group with
   * many waiting requests (a base reading several tables or partitions at once, at the token's
   * limiter) cannot crowd out a group with one. A grouped waiter is not woken at every slot but at
   * about its turn, so a hundred waiters cost a hundred wake-ups per round, not per slot.
   */
  Waiter enqueue(SendPriority priority, Object group) {
    synchronized (lock) {
      Waiter w = new Waiter(priority == null ? SendPriority.NONE : priority, group);
      waiters.add(w);
      return w;
    }
  }

  /**
   * Gives {@code waiter} the next slot if it is due now and no waiting request has a higher
   * priority (or the same one and came earlier): returns 0 and removes the waiter. Otherwise
   * returns how many nanoseconds to wait before asking again: until the next slot (or the lockout's
   * end), when the highest-priority waiter of that moment takes it. Slots are spaced as {@link
   * #reserve()} spaces them, and the two share one schedule.
   */
  long tryAcquire(Waiter waiter) {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long slot = reserved && nextSlotNanos - now > 0 ? nextSlotNanos : now;
      if (isLocked(now) && lockedUntilNanos - slot > 0) {
        slot = lockedUntilNanos;
      }
      if (waiter.group != null && first() != waiter) {
        // Each group ahead takes one slot before this one's turn (one more arriving only delays
        // it): wake then, not at every slot.
        return Math.max(1, Math.max(0, slot - now) + groupsAhead(waiter) * intervalNanos(now));
      }
      if (slot - now > 0) {
        return slot - now;
      }
      if (first() != waiter) {
        // Not ours: the first waiter takes it; look again one interval on (or sooner if it leaves).
        return Math.max(1, intervalNanos(now) / 4);
      }
      waiters.remove(waiter);
      if (waiter.group != null) {
        lastServed.put(waiter.group, ++turns);
      }
      // Take the slot that was due, not now: a waiter that woke late does not push every later
      // slot back (the send check still keeps the window as the server counts it).
      long due = reserved ? nextSlotNanos : now;
      long from = now - due < intervalNanos(now) ? due : now;
      reserved = true;
      nextSlotNanos = from + intervalNanos(now);
      return 0;
    }
  }

  /** Gives up waiting (cancelled, or the slot was taken); harmless after {@link #tryAcquire}. */
  void leave(Waiter waiter) {
    synchronized (lock) {
      waiters.remove(waiter);
    }
  }

  // Guarded by lock: the waiter the next slot goes to (priority, then turn, then arrival).
  private Waiter first() {
    Waiter best = null;
    long bestValue = 0;
    long bestTurn = 0;
    for (Waiter w : waiters) {
      long value = priorityOf(w);
      long turn = turnOf(w);
      if (best == null || value > bestValue || (value == bestValue && turn < bestTurn)) {
        best = w;
        bestValue = value;
        bestTurn = turn;
      }
    }
    return best;
  }

  // Guarded by lock: when the waiter's group was last served; 0 = never (ungrouped: always 0).
  private long turnOf(Waiter w) {
    return w.group == null ? 0 : lastServed.getOrDefault(w.group, 0L);
  }

  // Guarded by lock: the other groups whose waiters go before this waiter's group.
  private int groupsAhead(Waiter waiter) {
    long value = priorityOf(waiter);
    long turn = turnOf(waiter);
    Set<Object> ahead = new HashSet<>();
    boolean earlier = true; // waiters arrived before this one win ties
    for (Waiter w : waiters) {
      if (w == waiter) {
        earlier = false;
      }
      if (w.group == null || w.group.equals(waiter.group)) {
        continue;
      }
      long v = priorityOf(w);
      long t = turnOf(w);
      if (v > value || (v == value && (t < turn || (t == turn && earlier)))) {
        ahead.add(w.group);
      }
    }
    return ahead.size();
  }

  private static long priorityOf(Waiter w) {
    try {
      return w.priority.value();
    } catch (RuntimeException e) {
      return 0; // a broken priority only loses its precedence
    }
  }

  /**
   * Records a send now, arriving at the latest {@code allowance} later, and returns 0 when the
   * window has room and no lockout holds; otherwise records nothing and returns how many
   * nanoseconds to wait before asking again.
   */
  long tryAdmitSend(Duration allowance) {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long wait = sendWait(now);
      if (wait == 0) {
        arrivals.add(now + allowance.toNanos());
      }
      return wait;
    }
  }

  /**
   * Admits a send only when this limiter and {@code also} (the token's) both have room, recording
   * it in both or neither. Lock order is always this, then {@code also}: the token limiter is never
   * the outer one, so two bases cannot deadlock.
   */
  long tryAdmitSend(Duration allowance, BaseRateLimiter also) {
    if (also == null || also == this) {
      return tryAdmitSend(allowance);
    }
    synchronized (lock) {
      synchronized (also.lock) {
        long now = ticker.nanoTime();
        long wait = Math.max(sendWait(now), also.sendWait(also.ticker.nanoTime()));
        if (wait == 0) {
          arrivals.add(now + allowance.toNanos());
          also.arrivals.add(also.ticker.nanoTime() + allowance.toNanos());
        }
        return wait;
      }
    }
  }

  // Guarded by lock.
  private long sendWait(long now) {
    if (isLocked(now)) {
      return lockedUntilNanos - now;
    }
    // A send that arrived a whole window before this one can no longer share a window with it.
    arrivals.removeIf(arrival -> now - arrival >= sendWindowNanos);
    if (arrivals.size() >= perWindow(now)) {
      long earliest = arrivals.getFirst();
      for (long arrival : arrivals) {
        earliest = arrival - earliest < 0 ? arrival : earliest;
      }
      return Math.max(1, earliest + sendWindowNanos - now);
    }
    return 0;
  }

  /**
   * A 429: no request leaves before {@code wait} from now, and then at the rate {@link
   * RateAdaptation} gives. A 429 that lands during the lockout (a request already in flight when
   * the first arrived) only extends it: one lockout adapts the rate once. Returns what the 429
   * meant for the rate, for the log; empty when it landed in a lockout or the rate is fixed.
   */
  String throttled(Duration wait) {
    synchronized (lock) {
      long now = ticker.nanoTime();
      long until = now + wait.toNanos();
      if (isLocked(now)) {
        if (until - lockedUntilNanos > 0) {
          lockedUntilNanos = until;
          if (adaptation != null) {
            adaptation.lockedUntil(until);
          }
        }
        return "";
      }
      String meaning = adaptation == null ? "" : adaptation.throttled(now, until);
      locked = true;
      lockedUntilNanos = until;
      if (!reserved || until - nextSlotNanos > 0) {
        nextSlotNanos = until;
        reserved = true;
      }
      return meaning;
    }
  }

  /**
   * How full the send window is now: the sends that may still share a window with the next one, as
   * a share of what the window admits (1 = full). Says whose limit a 429 was more likely about.
   */
  double windowFill() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      arrivals.removeIf(arrival -> now - arrival >= sendWindowNanos);
      return arrivals.size() / (double) perWindow(now);
    }
  }

  /**
   * Holds every later slot back until {@code pause} from now, without changing the rate: a plain
   * pause, e.g. a server-imposed wait that is not a rate limit.
   */
  void pauseFor(Duration pause) {
    synchronized (lock) {
      long until = ticker.nanoTime() + pause.toNanos();
      if (!reserved || until - nextSlotNanos > 0) {
        nextSlotNanos = until;
        reserved = true;
      }
    }
  }

  /** Nanoseconds left of the current lockout, 0 when none. */
  long lockoutRemaining() {
    synchronized (lock) {
      long now = ticker.nanoTime();
      return isLocked(now) ? lockedUntilNanos - now : 0;
    }
  }

  /** The current rate in requests per second (after any growth due by now). */
  double rate() {
    synchronized (lock) {
      return rate(ticker.nanoTime());
    }
  }

  int ceiling() {
    return ceiling;
  }

  // Guarded by lock.
  private boolean isLocked(long now) {
    if (locked && lockedUntilNanos - now > 0) {
      return true;
    }
    locked = false;
    return false;
  }

  // Guarded by lock.
  private double rate(long now) {
    return adaptation == null ? ceiling : adaptation.rate(now);
  }

  // Guarded by lock.
  private int perWindow(long now) {
    double rate = rate(now);
    return rate >= 1 ? (int) Math.floor(rate) : 1;
  }

  // Guarded by lock.
  private long intervalNanos(long now) {
    return (long) (pacingWindowNanos / RateAdaptation.effective(rate(now)));
  }
}
