package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The base limiter's adaptation to 429s, on a fake ticker: lockout, halving, growth. */
class AdaptiveRateTest {
  private static final Duration RECOVERY = Duration.ofSeconds(30);
  private static final Duration LOCKOUT = Duration.ofSeconds(30);

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter limiter =
      new BaseRateLimiter(
          5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RECOVERY, now::get);

  private static long ms(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void a_429_locks_every_request_out_for_the_wait_then_halves_the_rate() {
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
  void the_rate_grows_by_one_per_recovery_interval_without_a_429_up_to_the_ceiling() {
    limiter.throttled(LOCKOUT);
    limiter.throttled(Duration.ZERO); // lands inside the lockout: does not halve again
    assertThat(limiter.rate()).isEqualTo(2.5);

    advance(LOCKOUT);
    assertThat(limiter.rate()).as("the lockout itself earns no growth").isEqualTo(2.5);
    advance(RECOVERY.minusSeconds(1));
    assertThat(limiter.rate()).isEqualTo(2.5);
    advance(Duration.ofSeconds(1));
    assertThat(limiter.rate()).isEqualTo(3.5);
    advance(RECOVERY);
    assertThat(limiter.rate()).isEqualTo(4.5);
    advance(RECOVERY.multipliedBy(5));
    assertThat(limiter.rate()).as("never above the ceiling").isEqualTo(5.0);
  }

  @Test
  void a_second_429_after_the_lockout_halves_the_rate_it_had_grown_to() {
    limiter.throttled(LOCKOUT);
    advance(LOCKOUT.plus(RECOVERY));
    assertThat(limiter.rate()).isEqualTo(3.5);

    limiter.throttled(Duration.ofSeconds(10));

    assertThat(limiter.rate()).isEqualTo(1.75);
    assertThat(ms(limiter.lockoutRemaining())).isEqualTo(10_000);
    // 1.75/s: one whole request per second.
    assertThat(ms(limiter.reserve())).isEqualTo(10_000);
    assertThat(ms(limiter.reserve())).isEqualTo(11_000);
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

    assertThat(limiter.rate()).isEqualTo(BaseRateLimiter.MIN_RATE);
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
            5, Duration.ofMillis(1_000), Duration.ofMillis(1_000), RECOVERY, now::get);

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
