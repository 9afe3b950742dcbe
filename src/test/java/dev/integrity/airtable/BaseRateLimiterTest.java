package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BaseRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter limiter =
      new BaseRateLimiter(5, Duration.ofMillis(1_030), Duration.ofMillis(1_015), now::get);

  private static long ms(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }

  private void advance(long millis) {
    now.addAndGet(Duration.ofMillis(millis).toNanos());
  }

  @Test
  void the_first_slot_is_immediate_and_later_ones_are_spaced_by_a_fifth_of_the_pacing_window() {
    assertThat(ms(limiter.reserve())).isZero();
    assertThat(ms(limiter.reserve())).isEqualTo(206);
    assertThat(ms(limiter.reserve())).isEqualTo(412);
  }

  @Test
  void any_six_consecutive_slots_span_more_than_a_second() {
    long[] slots = new long[20];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = now.get() + limiter.reserve();
      advance(37);
    }
    for (int i = 0; i + 5 < slots.length; i++) {
      assertThat(slots[i + 5] - slots[i]).isGreaterThan(Duration.ofSeconds(1).toNanos());
    }
  }

  @Test
  void an_idle_limiter_does_not_bank_slots_for_a_burst() {
    limiter.reserve();
    advance(10_000);

    assertThat(ms(limiter.reserve())).isZero();
    assertThat(ms(limiter.reserve())).isEqualTo(206);
  }

  @Test
  void a_pause_holds_back_every_later_slot() {
    limiter.reserve();
    limiter.pauseFor(Duration.ofSeconds(30));

    assertThat(ms(limiter.reserve())).isEqualTo(30_000);
    assertThat(ms(limiter.reserve())).isEqualTo(30_206);
  }

  @Test
  void a_pause_shorter_than_the_queue_changes_nothing() {
    for (int i = 0; i < 10; i++) {
      limiter.reserve();
    }
    limiter.pauseFor(Duration.ofMillis(100));

    assertThat(ms(limiter.reserve())).isEqualTo(2_060);
  }

  @Test
  void five_sends_pass_at_once_and_a_sixth_waits_until_the_first_leaves_the_window() {
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
      advance(100);
    }

    assertThat(ms(limiter.tryAdmitSend(Duration.ZERO))).isEqualTo(1_015 - 500);
    advance(515);
    assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
    assertThat(ms(limiter.tryAdmitSend(Duration.ZERO))).isEqualTo(100);
  }

  @Test
  void a_send_that_may_arrive_late_holds_back_the_sends_that_follow_by_as_much() {
    assertThat(limiter.tryAdmitSend(Duration.ofMillis(300))).isZero();
    advance(400);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
      advance(100);
    }
    advance(400);

    // At 1200 ms the first send, sent at 0, would be out of the window; as it may have arrived at
    // 300 ms, a sixth send waits until 300 + 1015 ms.
    assertThat(ms(limiter.tryAdmitSend(Duration.ZERO))).isEqualTo(115);
  }

  @Test
  void without_an_allowance_the_same_sends_pass_at_once() {
    assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
    advance(400);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
      advance(100);
    }
    advance(400);

    assertThat(limiter.tryAdmitSend(Duration.ZERO)).isZero();
  }

  @Test
  void sends_delayed_unevenly_after_their_slots_are_still_kept_apart() {
    // A slow first connection sends late; later sends on open connections go at their slots.
    long[] sent = new long[12];
    long[] delays = {120, 90, 60, 30, 0, 0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < sent.length; i++) {
      advance(ms(limiter.reserve()));
      long slot = now.get();
      now.set(Math.max(slot + Duration.ofMillis(delays[i]).toNanos(), now.get()));
      long wait;
      while ((wait = limiter.tryAdmitSend(Duration.ZERO)) > 0) {
        now.addAndGet(wait);
      }
      sent[i] = now.get();
      now.set(slot);
    }
    for (int i = 0; i + 5 < sent.length; i++) {
      assertThat(sent[i + 5] - sent[i]).isGreaterThanOrEqualTo(Duration.ofMillis(1_015).toNanos());
    }
  }

  @Test
  void a_slot_goes_to_the_waiting_request_with_the_highest_priority() {
    BaseRateLimiter.Waiter small = limiter.enqueue(() -> 2);
    BaseRateLimiter.Waiter big = limiter.enqueue(() -> 10);

    assertThat(limiter.tryAcquire(small)).isPositive();
    assertThat(limiter.tryAcquire(big)).isZero();
    assertThat(ms(limiter.tryAcquire(small))).isEqualTo(206);
    advance(206);
    assertThat(limiter.tryAcquire(small)).isZero();
  }

  @Test
  void a_priority_is_read_again_at_every_slot() {
    java.util.concurrent.atomic.AtomicLong pagesLeft =
        new java.util.concurrent.atomic.AtomicLong(9);
    BaseRateLimiter.Waiter other = limiter.enqueue(() -> 5);
    BaseRateLimiter.Waiter changing = limiter.enqueue(pagesLeft::get);
    assertThat(limiter.tryAcquire(changing)).isZero();
    changing = limiter.enqueue(pagesLeft::get);
    pagesLeft.set(1);
    advance(206);

    assertThat(limiter.tryAcquire(changing)).isPositive();
    assertThat(limiter.tryAcquire(other)).isZero();
  }

  @Test
  void equal_priorities_take_slots_in_arrival_order_and_a_waiter_that_leaves_passes_its_turn() {
    BaseRateLimiter.Waiter first = limiter.enqueue(SendPriority.NONE);
    BaseRateLimiter.Waiter second = limiter.enqueue(SendPriority.NONE);
    BaseRateLimiter.Waiter third = limiter.enqueue(SendPriority.NONE);

    assertThat(limiter.tryAcquire(second)).isPositive();
    assertThat(limiter.tryAcquire(first)).isZero();
    advance(206);
    limiter.leave(second);
    assertThat(limiter.tryAcquire(third)).isZero();
  }

  @Test
  void no_slot_is_given_to_any_priority_during_a_lockout() {
    BaseRateLimiter.Waiter big = limiter.enqueue(() -> 100);
    limiter.throttled(Duration.ofSeconds(30));

    assertThat(ms(limiter.tryAcquire(big))).isEqualTo(30_000);
    advance(30_000);
    assertThat(limiter.tryAcquire(big)).isZero();
  }
}
