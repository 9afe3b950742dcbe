package dev.integrity.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record's change to a mirror; every kind applies idempotently (applying it twice leaves the
 * same mirror as once). Immutable.
 */
public sealed interface MirrorEdit {
  /** Replaces the record's values (creating it when absent). */
  record Put(Map<String, Object> fields) implements MirrorEdit {
    public Put {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  /** Merges values into the record (creating it when absent); a null value removes the field. */
  record Patch(Map<String, Object> fields) implements MirrorEdit {
    public Patch {
      fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
  }

  /** Removes the record (nothing when absent). */
  record Destroy() implements MirrorEdit {}
}
