package dev.integrity.store;

import java.security.SecureRandom;

/**
 * Time-ordered run ids: {@code run_} + 10 base-32 characters of epoch millis + 8 of a sequence that
 * increases within one millisecond + 6 random ones against collisions across processes. Ids of one
 * generator sort in creation order. Thread-safe.
 */
final class RunIds {
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
  private static final long SEQUENCE_MASK = (1L << 40) - 1;

  private final SecureRandom random = new SecureRandom();
  private long lastMillis = -1;
  private long sequence;

  synchronized String next(long nowMillis) {
    long millis = nowMillis;
    if (millis <= lastMillis) {
      // Same millisecond, or the clock stepped back: stay monotonic.
      millis = lastMillis;
      sequence = (sequence + 1) & SEQUENCE_MASK;
    } else {
      lastMillis = millis;
      // Start low in the range so increments within one millisecond never wrap.
      sequence = random.nextLong() & (SEQUENCE_MASK >>> 1);
    }
    StringBuilder id = new StringBuilder(28).append("run_");
    encode(id, millis, 10);
    encode(id, sequence, 8);
    encode(id, random.nextInt(1 << 30), 6);
    return id.toString();
  }

  private static void encode(StringBuilder out, long value, int chars) {
    for (int i = chars - 1; i >= 0; i--) {
      out.append(ALPHABET[(int) ((value >>> (5 * i)) & 31)]);
    }
  }
}
