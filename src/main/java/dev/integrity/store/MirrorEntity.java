package dev.integrity.store;

import java.time.Instant;
import java.util.List;

/** What the mirror of one entity holds and when a full run last rebuilt it. Immutable. */
public record MirrorEntity(
    String baseId, String entity, String table, List<String> fields, Instant refreshedAt) {
  public MirrorEntity {
    fields = List.copyOf(fields);
  }
}
