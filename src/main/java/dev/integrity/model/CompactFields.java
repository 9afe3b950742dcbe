package dev.integrity.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A record's fields as an unmodifiable map, stored as one array of values by position in the
 * table's shared {@link FieldKeys} (null = the field is empty, as Airtable leaves it out), in the
 * keys' order. The values are what the list-records API sends, decoded as before (String, Integer,
 * Long, Double, Boolean, List, Map), so checks and rules read it like any map. Immutable when its
 * values are.
 */
public final class CompactFields extends AbstractMap<String, Object> {
  private final FieldKeys keys;
  private final Object[] values;
  private final int size;

  /**
   * Fields of {@code values} by position in {@code keys}; the array is kept, not copied, and must
   * not change afterwards. It may be shorter than the keys (the missing ones are empty).
   */
  public CompactFields(FieldKeys keys, Object[] values) {
    if (values.length > keys.size()) {
      throw new IllegalArgumentException(
          values.length + " values for " + keys.size() + " keys " + keys);
    }
    this.keys = keys;
    this.values = values;
    int n = 0;
    for (Object v : values) {
      if (v != null) {
        n++;
      }
    }
    this.size = n;
  }

  @Override
  public Object get(Object key) {
    int i = keys.indexOf(key);
    return i < 0 || i >= values.length ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < values.length && values[i] == null) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < values.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (next >= values.length) {
              throw new NoSuchElementException();
            }
            int i = next;
            next = advance(i + 1);
            return new AbstractMap.SimpleImmutableEntry<>(keys.name(i), values[i]);
          }
        };
      }

      @Override
      public int size() {
        return size;
      }
    };
  }
}
