package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The send check at the moment a request is written ({@link Transport#sendWait}), on a fake ticker:
 * a full window is waited out there, a lockout is not (it would eat the request's deadline).
 */
class SendCheckTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter base =
      new BaseRateLimiter(
          5, Duration.ofMillis(1_060), Duration.ofMillis(1_050), RateRule.DEFAULT, now::get);
  private final BaseRateLimiter token =
      new BaseRateLimiter(50, Duration.ofMillis(1_080), Duration.ofMillis(1_080), now::get);

  @Test
  void a_full_window_is_a_short_wait_at_the_send_check() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(Transport.sendWait(base, token, Duration.ZERO)).isZero();
    }
    now.addAndGet(Duration.ofMillis(50).toNanos());

    assertThat(Duration.ofNanos(Transport.sendWait(base, token, Duration.ZERO)))
        .isEqualTo(Duration.ofMillis(1_000));
  }

  @Test
  void a_lockout_that_began_after_the_slot_was_taken_sends_nothing_and_is_waited_out_elsewhere() {
    base.throttled(Duration.ofSeconds(30));

    assertThatThrownBy(() -> Transport.sendWait(base, token, Duration.ZERO))
        .isInstanceOf(Transport.LockedOutBeforeSend.class);
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(base.windowFill()).as("nothing was counted as sent").isZero();
  }

  @Test
  void a_lockout_of_the_token_also_sends_nothing() {
    token.throttled(Duration.ofSeconds(30));

    assertThatThrownBy(() -> Transport.sendWait(base, token, Duration.ZERO))
        .isInstanceOf(Transport.LockedOutBeforeSend.class);
    assertThat(token.windowFill()).isZero();
  }
}
