/**
 * The few types every package may use: the one unchecked base exception ({@link
 * dev.integrity.IntegrityException}), a secret that never prints ({@link dev.integrity.Secret}),
 * the monotonic time source tests can fake ({@link dev.integrity.Ticker}) and named thread
 * factories with bounded shutdown ({@link dev.integrity.Threads}).
 *
 * <p>May not touch: any feature package; every feature package may import it.
 */
package dev.integrity;
