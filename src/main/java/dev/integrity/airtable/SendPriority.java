package dev.integrity.airtable;

/**
 * How urgent a list request is when it waits for a slot of its base: when a slot opens, the base's
 * limiter gives it to the waiting request with the highest value (ties in arrival order). A run
 * passes the pages its table has left, so the table that would otherwise finish last never waits
 * while a smaller one sends. Read again at every slot, so it may change while a request waits; must
 * be quick and thread-safe.
 */
@FunctionalInterface
public interface SendPriority {
  /** Higher goes first. */
  long value();

  /** Every request alike: slots go in arrival order. */
  SendPriority NONE = () -> 0;
}
