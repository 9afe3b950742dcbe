package dev.integrity.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The field names of one table's fetched records, held once for all of them: a record's {@link
 * CompactFields} stores only its values, by position in these keys (issue 18: one map per record
 * cost more than the values). Immutable; {@link #with} makes a longer copy, so the keys a record
 * was built with never change under it. Thread-safe.
 */
public final class FieldKeys {
  // Past this many names a hash lookup beats comparing names one by one.
  private static final int LINEAR_MAX = 8;
  private static final FieldKeys NONE = new FieldKeys(new String[0]);

  private final String[] names;
  private final Map<String, Integer> index;

  private FieldKeys(String[] names) {
    this.names = names;
    if (names.length > LINEAR_MAX) {
      Map<String, Integer> m = HashMap.newHashMap(names.length);
      for (int i = 0; i < names.length; i++) {
        m.put(names[i], i);
      }
      this.index = m;
    } else {
      this.index = null;
    }
  }

  /** No names yet: the keys grow as records name fields ({@link #with}). */
  public static FieldKeys none() {
    return NONE;
  }

  /** These names, in this order (duplicates dropped). */
  public static FieldKeys of(List<String> names) {
    return new FieldKeys(names.stream().distinct().map(String::intern).toArray(String[]::new));
  }

  /** The position of {@code name}, or -1. */
  public int indexOf(Object name) {
    if (index != null) {
      Integer at = index.get(name);
      return at == null ? -1 : at;
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name) {
        return i;
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  /** These keys with {@code name} added at the end; the earlier positions stay the same. */
  public FieldKeys with(String name) {
    String[] more = Arrays.copyOf(names, names.length + 1);
    more[names.length] = name.intern();
    return new FieldKeys(more);
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  @Override
  public String toString() {
    return Arrays.toString(names);
  }
}
