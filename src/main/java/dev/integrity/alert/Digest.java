package dev.integrity.alert;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What one owner is told after a run: its entities' new {@code fail} issues, counted per check, the
 * first few with their Airtable links, and the run page filtered to them: one link for an owner
 * (the run page filters by owner), one per entity for the base's channels (their entities have no
 * owner to filter by). Issue text comes from Airtable: untrusted, each channel escapes it for its
 * format. Immutable and thread-safe.
 *
 * @param owner the owner's name, or null for the base's channels (entities without an owner)
 * @param total the new fail issues of the owner's entities in the run
 * @param perCheck counts per (entity, check), ordered by entity and check
 * @param first the first {@link #FIRST} issues in the order the run wrote them
 * @param runPages the run page filtered to the new unacknowledged fail issues: one, of the owner's
 *     entities, for an owner; one per entity for the base's channels
 */
public record Digest(
    String runId,
    String baseId,
    String owner,
    long total,
    List<PerCheck> perCheck,
    List<Item> first,
    List<RunPage> runPages) {
  /** How many issues a digest lists one by one. */
  public static final int FIRST = 5;

  public Digest {
    perCheck = List.copyOf(perCheck);
    first = List.copyOf(first);
    runPages = List.copyOf(runPages);
  }

  /** The new fail issues of one check of one entity. */
  public record PerCheck(String entity, String check, long count) {}

  /**
   * One issue.
   *
   * @param field the field, or null for record-level checks
   * @param url the record in Airtable (the issue row's url), or null when unknown
   */
  public record Item(
      String entity, String check, String recordId, String field, String message, String url) {}

  /**
   * The run page filtered to new unacknowledged fail issues ({@code count} of them): of one entity,
   * or of every entity of an owner.
   *
   * @param entity the entity, or null for an owner's page
   * @param owner the owner, or null for an entity's page
   */
  public record RunPage(
      @JsonInclude(JsonInclude.Include.NON_NULL) String entity,
      @JsonInclude(JsonInclude.Include.NON_NULL) String owner,
      long count,
      String url) {
    /** What the page shows the issues of, in words: the entity, or the owner's entities. */
    @JsonIgnore
    public String label() {
      return owner != null ? owner + "'s entities" : entity;
    }
  }
}
