package dev.integrity.alert;

import java.util.List;

/**
 * What one owner is told after a run: its entities' new {@code fail} issues, counted per check, the
 * first few with their Airtable links, and links to the run page filtered to them (the run page
 * filters one entity at a time, so one link per entity). Issue text comes from Airtable: untrusted,
 * each channel escapes it for its format. Immutable and thread-safe.
 *
 * @param owner the owner's name, or null for the base's channels (entities without an owner)
 * @param total the new fail issues of the owner's entities in the run
 * @param perCheck counts per (entity, check), ordered by entity and check
 * @param first the first {@link #FIRST} issues in the order the run wrote them
 * @param runPages per entity, the run page filtered to its new fail issues
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

  /** The run page filtered to one entity's new fail issues ({@code count} of them). */
  public record RunPage(String entity, long count, String url) {}
}
