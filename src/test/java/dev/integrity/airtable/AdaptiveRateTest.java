package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The base limiter's adaptation to 429s, on a fake ticker: lockout, halving, growth, probes. */
class AdaptiveRateTest {
  private static final Duration STEP = RateRule.DEFAULT.step();
  private static final Duration FIRST_PROBE = RateRule.DEFAULT.firstProbe();
  private static final Duration LOCKOUT = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter limiter =
      new BaseRateLimiter(
          5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RateRule.DEFAULT, now::get);

  private static long ms(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void a_429_locks_every_request_out_for_the_wait_then_halves_the_rate_when_nothing_held_before() {
    limiter.reserve();
    limiter.throttled(LOCKOUT);

    assertThat(limiter.lockoutRemaining()).isEqualTo(LOCKOUT.toNanos());
    assertThat(ms(limiter.tryAdmitSend(Duration.ZERO)))
        .as("no send during the lockout")
        .isEqualTo(30_000);
    assertThat(limiter.rate()).isEqualTo(2.5);
    // After the lockout, 2.5/s admits two whole requests a second: slots 500 ms apart.
    assertThat(ms(limiter.reserve())).isEqualTo(30_000);
    assertThat(ms(limiter.reserve())).isEqualTo(30_500);
    advance(LOCKOUT);
    assertThat(limiter.lockoutRemaining()).isZero();
    assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
    assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
    assertThat(limiter.tryAdmitSend(Duration.ZERO))
        .as("a third send within the second")
        .isPositive();
  }

  @Test
  void the_rate_grows_one_per_step_but_stays_below_the_rate_that_drew_the_429_until_a_probe() {
    limiter.throttled(LOCKOUT);
    limiter.throttled(Duration.ZERO); // lands inside the lockout: adapts nothing more
    assertThat(limiter.rate()).isEqualTo(2.5);

    advance(LOCKOUT);
    assertThat(limiter.rate()).as("the lockout itself earns no growth").isEqualTo(2.5);
    advance(STEP.minusSeconds(1));
    assertThat(limiter.rate()).isEqualTo(2.5);
    advance(Duration.ofSeconds(1));
    assertThat(limiter.rate()).isEqualTo(3.0);
    advance(STEP);
    assertThat(limiter.rate()).isEqualTo(4.0);
    advance(STEP.multipliedBy(10));
    assertThat(limiter.rate()).as("one below the 5/s that drew the 429").isEqualTo(4.0);

    advance(FIRST_PROBE.minus(STEP.multipliedBy(10)));
    assertThat(limiter.rate()).as("the probe, %s after 4/s began", FIRST_PROBE).isEqualTo(5.0);
  }

  @Test
  void a_429_above_a_rate_that_held_goes_back_to_that_rate_not_to_half() {
    limiter.throttled(LOCKOUT); // 5/s refused: 2.5
    advance(LOCKOUT.plus(STEP));
    assertThat(limiter.rate()).isEqualTo(3.0);

    limiter.throttled(LOCKOUT); // the server allows 2: 3 is refused on the climb

    assertThat(limiter.rate()).as("2/s held for a whole step").isEqualTo(2.0);
    advance(LOCKOUT.plus(STEP.multipliedBy(20)));
    assertThat(limiter.rate()).as("stays below the 3/s refused").isEqualTo(2.0);
  }

  @Test
  void each_refused_probe_doubles_the_wait_before_the_next_up_to_the_longest() {
    limiter.throttled(LOCKOUT);
    advance(LOCKOUT.plus(STEP));
    limiter.throttled(LOCKOUT); // 3 refused on the climb: hold 2
    advance(LOCKOUT);

    List<Long> probesAfterMinutes = new ArrayList<>();
    long heldSince = now.get();
    for (int probe = 0; probe < 4; probe++) {
      while (limiter.rate() < 3.0) {
        advance(Duration.ofSeconds(1));
      }
      probesAfterMinutes.add(Duration.ofNanos(now.get() - heldSince).toMinutes());
      limiter.throttled(LOCKOUT); // still 2/s on the server
      assertThat(limiter.rate()).isEqualTo(2.0);
      advance(LOCKOUT);
      heldSince = now.get();
    }

    assertThat(probesAfterMinutes).containsExactly(5L, 10L, 20L, 20L);
  }

  @Test
  void
      with_a_two_minute_probe_limit_a_rise_is_found_within_two_minutes_however_many_probes_failed() {
    AtomicLong clock = new AtomicLong(1_000_000_000L);
    BaseRateLimiter quick =
        new BaseRateLimiter(
            5,
            Duration.ofMillis(1_000),
            Duration.ofMillis(1_000),
            RateRule.probingWithin(Duration.ofMinutes(2)),
            clock::get);
    quick.throttled(LOCKOUT);
    clock.addAndGet(LOCKOUT.plus(STEP).toNanos());
    quick.throttled(LOCKOUT); // 3 refused on the climb: hold 2
    clock.addAndGet(LOCKOUT.toNanos());

    List<Long> probesAfterSeconds = new ArrayList<>();
    long heldSince = clock.get();
    for (int probe = 0; probe < 4; probe++) {
      while (quick.rate() < 3.0) {
        clock.addAndGet(Duration.ofSeconds(1).toNanos());
      }
      probesAfterSeconds.add(Duration.ofNanos(clock.get() - heldSince).toSeconds());
      quick.throttled(LOCKOUT); // still 2/s on the server
      clock.addAndGet(LOCKOUT.toNanos());
      heldSince = clock.get();
    }
    while (quick.rate() < 3.0) {
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
    }
    clock.addAndGet(STEP.multipliedBy(2).toNanos()); // the server now allows 5: the probe holds

    assertThat(probesAfterSeconds).containsExactly(120L, 120L, 120L, 120L);
    assertThat(quick.rate()).as("a probe that held, then two steps").isEqualTo(5.0);
  }

  @Test
  void
      the_longest_probe_wait_caps_the_first_and_the_drop_probe_and_the_default_is_twenty_minutes() {
    assertThat(RateRule.probingWithin(Duration.ofMinutes(2)))
        .isEqualTo(
            new RateRule(
                STEP, Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofMinutes(1)));
    assertThat(RateRule.probingWithin(Duration.ofSeconds(30)).dropProbe())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(RateRule.probingWithin(Duration.ofMinutes(20))).isEqualTo(RateRule.DEFAULT);
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> RateRule.probingWithin(Duration.ZERO))
        .withMessageContaining("longest");
  }

  @Test
  void after_a_429_at_a_rate_that_held_the_rate_comes_back_but_not_above_the_rate_refused_before() {
    limiter.throttled(LOCKOUT);
    advance(LOCKOUT.plus(STEP));
    limiter.throttled(LOCKOUT); // 3 refused on the climb: hold 2
    advance(LOCKOUT.plus(STEP.multipliedBy(4)));
    assertThat(limiter.rate()).isEqualTo(2.0);

    limiter.throttled(LOCKOUT); // 2/s, which had held, drew a 429: one busy second, or a drop
    assertThat(limiter.rate()).isEqualTo(1.0);
    advance(LOCKOUT.plus(RateRule.DEFAULT.dropProbe()));
    assertThat(limiter.rate()).as("the drop probe").isEqualTo(2.0);
    advance(STEP);
    assertThat(limiter.rate()).as("2/s held again; 3/s is still taken as refused").isEqualTo(2.0);
    advance(FIRST_PROBE.minus(STEP).minus(Duration.ofSeconds(1)));
    assertThat(limiter.rate()).isEqualTo(2.0);
    advance(Duration.ofSeconds(1));
    assertThat(limiter.rate())
        .as("3/s probed a first probe's wait after the drop probe began")
        .isEqualTo(3.0);
  }

  @Test
  void a_drop_below_a_rate_that_never_drew_a_429_grows_back_to_the_ceiling_after_its_probe() {
    advance(STEP.multipliedBy(2)); // 5/s held
    limiter.throttled(LOCKOUT); // the limit dropped: 2.5
    advance(LOCKOUT.plus(STEP.multipliedBy(2)));
    assertThat(limiter.rate()).as("3, then 4: below the 5 refused").isEqualTo(4.0);
    advance(RateRule.DEFAULT.dropProbe());
    assertThat(limiter.rate()).as("the drop probe of 5").isEqualTo(5.0);
    advance(STEP.multipliedBy(3));
    assertThat(limiter.rate()).isEqualTo(5.0);
  }

  @Test
  void a_probe_that_holds_a_step_means_the_limit_rose_and_the_rate_grows_to_the_ceiling() {
    limiter.throttled(LOCKOUT);
    advance(LOCKOUT.plus(STEP));
    limiter.throttled(LOCKOUT); // hold 2, 3 refused
    advance(LOCKOUT.plus(FIRST_PROBE));
    assertThat(limiter.rate()).as("the probe").isEqualTo(3.0);

    advance(STEP);
    assertThat(limiter.rate()).isEqualTo(4.0);
    advance(STEP);
    assertThat(limiter.rate()).isEqualTo(5.0);
    advance(STEP.multipliedBy(10));
    assertThat(limiter.rate()).isEqualTo(5.0);
  }

  @Test
  void a_429_at_a_rate_that_had_held_means_the_limit_dropped_and_halves_it() {
    advance(Duration.ofMinutes(2)); // 5/s held

    limiter.throttled(LOCKOUT);

    assertThat(limiter.rate()).isEqualTo(2.5);
    advance(LOCKOUT.plus(STEP));
    assertThat(limiter.rate()).isEqualTo(3.0);
    limiter.throttled(LOCKOUT);
    assertThat(limiter.rate()).as("back to what held since the drop").isEqualTo(2.0);
  }

  @Test
  void a_rate_that_had_held_and_then_drew_a_429_is_probed_again_after_a_minute_not_five() {
    advance(Duration.ofMinutes(2)); // 5/s held: the next 429 may be a busy second, not a new limit
    limiter.throttled(LOCKOUT);
    advance(LOCKOUT.plus(STEP.multipliedBy(2)));
    assertThat(limiter.rate()).as("climbed back to one below 5/s").isEqualTo(4.0);

    advance(RateRule.DEFAULT.dropProbe().minus(Duration.ofSeconds(1)));
    assertThat(limiter.rate()).isEqualTo(4.0);
    advance(Duration.ofSeconds(1));
    assertThat(limiter.rate()).isEqualTo(5.0);
  }

  @Test
  void a_429_that_extends_the_lockout_moves_the_next_step_to_its_new_end() {
    limiter.throttled(LOCKOUT);
    advance(Duration.ofSeconds(20));
    limiter.throttled(LOCKOUT); // in flight when the first came: the lockout now ends at 50 s

    advance(Duration.ofSeconds(30).plus(STEP).minusSeconds(1));
    assertThat(limiter.rate()).isEqualTo(2.5);
    advance(Duration.ofSeconds(1));
    assertThat(limiter.rate()).isEqualTo(3.0);
  }

  @Test
  void a_slot_reserved_before_the_429_is_inside_the_lockout_and_a_new_one_comes_after_it() {
    limiter.reserve();
    long queued = limiter.reserve(); // some fetch waits for this slot, 200 ms away
    assertThat(ms(queued)).isEqualTo(200);

    limiter.throttled(LOCKOUT);
    advance(Duration.ofNanos(queued));

    assertThat(limiter.lockoutRemaining()).as("the waiter sees the lockout").isPositive();
    assertThat(ms(limiter.reserve())).isEqualTo(30_000 - 200);
  }

  @Test
  void the_rate_never_halves_below_the_floor() {
    for (int i = 0; i < 10; i++) {
      limiter.throttled(Duration.ofSeconds(1));
      advance(Duration.ofSeconds(1));
    }

    assertThat(limiter.rate()).isEqualTo(RateAdaptation.MIN_RATE);
    limiter.reserve();
    assertThat(ms(limiter.reserve())).as("one request every 4 s").isEqualTo(4_000);
  }

  @Test
  void a_fixed_rate_limiter_ignores_time_and_keeps_its_rate() {
    BaseRateLimiter fixed =
        new BaseRateLimiter(3, Duration.ofMillis(900), Duration.ofMillis(1_000), now::get);
    advance(Duration.ofMinutes(5));

    assertThat(fixed.rate()).isEqualTo(3.0);
    assertThat(ms(fixed.reserve())).isZero();
    assertThat(ms(fixed.reserve())).isEqualTo(300);
  }

  @Test
  void a_send_needs_room_in_both_the_base_and_the_token_limiter_and_counts_in_both() {
    BaseRateLimiter token =
        new BaseRateLimiter(2, Duration.ofMillis(1_000), Duration.ofMillis(1_000), now::get);
    BaseRateLimiter otherBase =
        new BaseRateLimiter(
            5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RateRule.DEFAULT, now::get);

    assertThat(limiter.tryAdmitSend(Duration.ZERO, token)).isZero();
    assertThat(otherBase.tryAdmitSend(Duration.ZERO, token)).isZero();
    advance(Duration.ofMillis(100));

    assertThat(ms(otherBase.tryAdmitSend(Duration.ZERO, token)))
        .as("the token's 2/s is used up by the two bases together")
        .isEqualTo(900);
    assertThat(ms(limiter.tryAdmitSend(Duration.ZERO, token))).isEqualTo(900);
    advance(Duration.ofMillis(900));
    assertThat(limiter.tryAdmitSend(Duration.ZERO, token)).isZero();
  }
}
