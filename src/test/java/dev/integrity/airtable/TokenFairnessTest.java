package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The token's limiter shared by many bases: at equal priority the bases take turns, whatever how
 * many requests each has waiting. Driven by a fake ticker: each simulated request asks for its slot
 * when the limiter told it to, and asks again for the next one once served (constant demand).
 */
class TokenFairnessTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final BaseRateLimiter token =
      new BaseRateLimiter(
          50,
          AirtableRateLimits.TOKEN_PACING_WINDOW,
          AirtableRateLimits.TOKEN_SEND_WINDOW,
          now::get);

  /** A simulated request: its base, its place in the limiter, and when it asks next. */
  private final class Request {
    final String base;
    final BaseRateLimiter.Waiter waiter;
    long askAt;

    Request(String base) {
      this.base = base;
      this.waiter = token.enqueue(SendPriority.NONE, base);
      this.askAt = now.get();
    }
  }

  private final List<Request> waiting = new ArrayList<>();
  private final List<String> served = new ArrayList<>();
  private int asks;

  /** Runs until {@code slots} requests were served; each served one is replaced by one more. */
  private void serve(int slots) {
    while (served.size() < slots) {
      long next = waiting.stream().mapToLong(r -> r.askAt).min().orElseThrow();
      if (next - now.get() > 0) {
        now.set(next);
      }
      for (Request r : List.copyOf(waiting)) {
        if (r.askAt - now.get() > 0) {
          continue;
        }
        asks++;
        long wait = token.tryAcquire(r.waiter);
        if (wait == 0) {
          served.add(r.base);
          waiting.remove(r);
          waiting.add(new Request(r.base));
        } else {
          r.askAt = now.get() + wait;
        }
      }
    }
  }

  private void waitingRequests(String base, int count) {
    for (int i = 0; i < count; i++) {
      waiting.add(new Request(base));
    }
  }

  @Test
  void aBaseWithOneRequestWaitingIsServedSecondBehindABaseWithFive() {
    waitingRequests("appMany", 5);
    waitingRequests("appOne", 1);

    serve(4);

    assertThat(served).containsExactly("appMany", "appOne", "appMany", "appOne");
  }

  @Test
  void basesWithOneToTenRequestsWaitingEachGetTheSameShareOfTheToken() {
    for (int b = 1; b <= 10; b++) {
      waitingRequests("app" + b, b);
    }

    serve(1_000);

    Map<String, Integer> perBase = new HashMap<>();
    served.forEach(base -> perBase.merge(base, 1, Integer::sum));
    assertThat(perBase).hasSize(10);
    assertThat(perBase.values()).allSatisfy(n -> assertThat(n).isBetween(99, 101));
  }

  @Test
  void theTokenStillGivesItsFullRateToAHundredBasesTakingTurns() {
    for (int b = 1; b <= 100; b++) {
      waitingRequests("app" + b, 1 + b % 3);
    }
    long start = now.get();

    serve(500);

    // 500 slots at 50 per 1.08 s pacing window: 10.8 s, not a slot lost to turn-taking.
    long elapsed = now.get() - start;
    assertThat(Duration.ofNanos(elapsed)).isLessThan(Duration.ofMillis(10_800));
    Map<String, Integer> perBase = new HashMap<>();
    served.forEach(base -> perBase.merge(base, 1, Integer::sum));
    assertThat(perBase.values()).allSatisfy(n -> assertThat(n).isEqualTo(5));
    // Waiters wake at about their turn, not at every slot: a few asks per slot, not a hundred.
    assertThat(asks).isLessThan(500 * 5);
  }

  @Test
  void ungroupedWaitersAtTheBaseKeepArrivalOrderAtEqualPriority() {
    BaseRateLimiter base =
        new BaseRateLimiter(
            5, AirtableRateLimits.PACING_WINDOW, AirtableRateLimits.SEND_WINDOW, now::get);
    BaseRateLimiter.Waiter first = base.enqueue(SendPriority.NONE);
    BaseRateLimiter.Waiter second = base.enqueue(SendPriority.NONE);

    assertThat(base.tryAcquire(second)).isPositive();
    assertThat(base.tryAcquire(first)).isZero();
  }
}
