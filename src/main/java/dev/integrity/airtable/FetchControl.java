package dev.integrity.airtable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;

/**
 * Cancellation handle shared by the fetches of one run: {@link #cancel} aborts their in-flight
 * calls and wakes every wait (retry back-off, rate limiter), and no request is sent afterwards.
 * Thread-safe.
 */
public final class FetchControl {
  private final AtomicReference<String> reason = new AtomicReference<>();
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
  private final Set<FetchControl> children = ConcurrentHashMap.newKeySet();

  /** HTTP attempts sent under this control and its children: a run's API calls (issue 19). */
  private final AtomicLong calls;

  private FetchControl(AtomicLong calls) {
    this.calls = calls;
  }

  public static FetchControl create() {
    return new FetchControl(new AtomicLong());
  }

  /**
   * The HTTP attempts sent to Airtable under this control and its children so far, retries
   * included: what Airtable's monthly call quota counts.
   */
  public long calls() {
    return calls.get();
  }

  /** One attempt is being sent. */
  void countCall() {
    calls.incrementAndGet();
  }

  /** Cancels every fetch using this control; later calls keep the first reason. */
  public void cancel(String reason) {
    String why = reason == null || reason.isBlank() ? "cancelled" : reason;
    if (!this.reason.compareAndSet(null, why)) {
      return;
    }
    cancelled.countDown();
    for (Call call : inFlight) {
      call.cancel();
    }
    for (FetchControl child : children) {
      child.cancel(why);
    }
  }

  /**
   * A control cancelled with this one (with its reason) or on its own, without cancelling this: the
   * partitions of one table stop together when one of them fails, and the run goes on. Adding
   * before checking closes the race with a concurrent cancel, as for calls.
   */
  public FetchControl child() {
    // A child's calls are its parent's: a partition's pages count for the run.
    FetchControl child = new FetchControl(calls);
    children.add(child);
    if (isCancelled()) {
      child.cancel(reason());
    }
    return child;
  }

  /** Forgets a child that has finished, so a long-lived control does not keep every one. */
  public void release(FetchControl child) {
    children.remove(child);
  }

  public boolean isCancelled() {
    return reason.get() != null;
  }

  /** The reason given to the first {@link #cancel}, or null while not cancelled. */
  public String reason() {
    return reason.get();
  }

  /**
   * Waits up to {@code nanos} unless cancelled first.
   *
   * @return true when cancelled (at once or during the wait)
   */
  boolean awaitCancel(long nanos) throws InterruptedException {
    if (nanos <= 0) {
      return isCancelled();
    }
    return cancelled.await(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Tracks a call so cancel can abort it. Adding before checking closes the race with a concurrent
   * cancel: either cancel sees the call or this sees the cancel.
   */
  void register(Call call) {
    inFlight.add(call);
    if (isCancelled()) {
      call.cancel();
    }
  }

  void unregister(Call call) {
    inFlight.remove(call);
  }
}
