package dev.integrity.alert;

import dev.integrity.model.IssueRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers one owner's new fail issues of a run as they stream from the store: counts per check and
 * the first {@link Digest#FIRST}, never the whole list (a run may find a hundred thousand). Not
 * thread-safe; one per owner and run.
 */
final class DigestBuilder {
  private final String runId;
  private final String baseId;
  private final String owner;
  // entity -> check -> count, sorted so a digest reads the same run after run.
  private final Map<String, Map<String, Long>> counts = new TreeMap<>();
  private final List<Digest.Item> first = new ArrayList<>();
  private long total;

  DigestBuilder(String runId, String baseId, String owner) {
    this.runId = runId;
    this.baseId = baseId;
    this.owner = owner;
  }

  void add(IssueRow row) {
    total++;
    counts.computeIfAbsent(row.entity(), e -> new TreeMap<>()).merge(row.checkId(), 1L, Long::sum);
    if (first.size() < Digest.FIRST) {
      first.add(
          new Digest.Item(
              row.entity(),
              row.checkId(),
              row.recordId(),
              row.field(),
              row.message(),
              row.url() == null || row.url().isBlank() ? null : row.url()));
    }
  }

  /**
   * The digest: an owner's links once to the run page filtered to its entities; the base's
   * channels, whose entities have no owner to filter by, once per entity.
   */
  Digest build(Messages messages) {
    List<Digest.PerCheck> perCheck = new ArrayList<>();
    List<Digest.RunPage> pages = new ArrayList<>();
    counts.forEach(
        (entity, checks) -> {
          long n = 0;
          for (Map.Entry<String, Long> c : checks.entrySet()) {
            perCheck.add(new Digest.PerCheck(entity, c.getKey(), c.getValue()));
            n += c.getValue();
          }
          if (owner == null) {
            pages.add(new Digest.RunPage(entity, null, n, messages.runPage(runId, entity)));
          }
        });
    if (owner != null && total > 0) {
      pages.add(new Digest.RunPage(null, owner, total, messages.ownerRunPage(runId, owner)));
    }
    return new Digest(runId, baseId, owner, total, perCheck, first, pages);
  }
}
