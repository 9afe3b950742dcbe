package dev.integrity.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a table into K disjoint partitions on the 4th character of the record id (ids are {@code
 * rec} + 14 characters of {@code 0-9A-Za-z}), as the contract's "Fetch plan" says: partition i &lt;
 * K-1 is {@code REGEX_MATCH(RECORD_ID(),"^rec[<range i>]")} over a contiguous range of that
 * alphabet, and the last is {@code NOT(REGEX_MATCH(RECORD_ID(),"^rec[<all earlier ranges>]"))}, so
 * an id of any shape (another alphabet, another prefix) falls in exactly one partition. Stateless.
 */
public final class Partitions {
  /** The alphabet of the 4th id character, in the order the ranges cut it. */
  static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** At most one partition per character of the alphabet. */
  public static final int MAX = ALPHABET.length();

  private Partitions() {}

  /** K partitions (1 = the whole table, no formula); K from 1 to {@link #MAX}. */
  public static List<Partition> of(int k) {
    if (k < 1 || k > MAX) {
      throw new IllegalArgumentException("partitions: k must be 1.." + MAX + ", got " + k);
    }
    if (k == 1) {
      return List.of(new Partition(0, 1, null));
    }
    List<Partition> result = new ArrayList<>(k);
    int start = 0;
    for (int i = 0; i < k - 1; i++) {
      // Ranges as equal as the alphabet allows: the first (MAX % k) take one character more.
      int size = MAX / k + (i < MAX % k ? 1 : 0);
      result.add(new Partition(i, k, match(charClass(start, start + size))));
      start += size;
    }
    result.add(new Partition(k - 1, k, "NOT(" + match(charClass(0, start)) + ")"));
    return List.copyOf(result);
  }

  /**
   * The index (from 0) of the partition of {@link #of(int) of(k)} whose formula selects {@code
   * recordId}: the range its 4th character falls in when it starts with {@code rec}, else the last,
   * as the formulas decide.
   */
  public static int indexOf(String recordId, int k) {
    if (k < 1 || k > MAX) {
      throw new IllegalArgumentException("partitions: k must be 1.." + MAX + ", got " + k);
    }
    if (recordId == null || recordId.length() < 4 || !recordId.startsWith("rec")) {
      return k - 1;
    }
    int position = ALPHABET.indexOf(recordId.charAt(3));
    if (position < 0) {
      return k - 1;
    }
    int start = 0;
    for (int i = 0; i < k - 1; i++) {
      int size = MAX / k + (i < MAX % k ? 1 : 0);
      if (position < start + size) {
        return i;
      }
      start += size;
    }
    return k - 1;
  }

  private static String match(String charClass) {
    return "REGEX_MATCH(RECORD_ID(),\"^rec[" + charClass + "]\")";
  }

  /**
   * The regex character class (without brackets) of alphabet positions [from, to): split where the
   * alphabet jumps in ASCII (after 9 and Z), since a class range is an ASCII range.
   */
  static String charClass(int from, int to) {
    StringBuilder out = new StringBuilder();
    int runStart = from;
    for (int i = from + 1; i <= to; i++) {
      boolean end = i == to || ALPHABET.charAt(i) != ALPHABET.charAt(i - 1) + 1;
      if (end) {
        char first = ALPHABET.charAt(runStart);
        char last = ALPHABET.charAt(i - 1);
        out.append(first);
        if (last != first) {
          out.append('-').append(last);
        }
        runStart = i;
      }
    }
    return out.toString();
  }
}
