package dev.integrity.plan;

import dev.integrity.airtable.ListOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The order a run starts its tables in and how each is read: largest first by the last run's page
 * count (tables no run fetched yet after them, in the order asked, each read from its first page
 * first), each as one iteration or as K disjoint partitions read side by side. {@link #reason()}
 * says why, for the run's log. Immutable.
 */
public record FetchPlan(List<Table> tables, String reason) {
  public FetchPlan {
    tables = List.copyOf(tables);
  }

  /**
   * One entity's reads.
   *
   * @param last what the last run that fetched it saw, or null for none
   * @param partitions one (the whole table, no formula) or more, disjoint, covering the table
   * @param reason one line: the figures and the choice
   */
  public record Table(String entity, LastFetch last, List<Partition> partitions, String reason) {
    public Table {
      partitions = List.copyOf(partitions);
    }

    public boolean partitioned() {
      return partitions.size() > 1;
    }

    /**
     * True for a table no run has fetched: its first page is read alone first, and only if more
     * pages follow is it read as the partitions of {@link FetchPlanner#afterFirstPage}.
     */
    public boolean firstPageFirst() {
      return last == null;
    }

    /**
     * The list options of each partition, in order: the projected {@code fields} (null = all), the
     * entity's {@code view}, and its {@code filter} combined with the partition's formula.
     */
    public List<ListOptions> listOptions(List<String> fields, String view, String filter) {
      return partitions.stream()
          .map(p -> new ListOptions(fields, view, p.filterByFormula(filter)))
          .toList();
    }

    /**
     * As {@link #listOptions(List, String, String)}, each partition also leaving out the records of
     * {@code alreadyRead} that it selects: {@code AND(<its formula>,
     * NOT(OR(RECORD_ID()="rec…",…)))}. A run reads a table no run has fetched from its first page,
     * then the rest as partitions; this keeps that page's records from being read twice, so the
     * page costs no request more. Ids that are not plain letters and digits are not named (read
     * again, they are counted once all the same).
     */
    public List<ListOptions> listOptions(
        List<String> fields, String view, String filter, Collection<String> alreadyRead) {
      List<ListOptions> out = new ArrayList<>(partitions.size());
      for (Partition p : partitions) {
        List<String> ids =
            alreadyRead.stream()
                .filter(id -> PLAIN_ID.matcher(id).matches())
                .filter(id -> Partitions.indexOf(id, p.count()) == p.index())
                .toList();
        String formula = p.filterByFormula(filter);
        if (!ids.isEmpty()) {
          String none =
              ids.stream()
                  .map(id -> "RECORD_ID()=\"" + id + "\"")
                  .collect(Collectors.joining(",", "NOT(OR(", "))"));
          formula = formula == null ? none : "AND(" + formula + "," + none + ")";
        }
        out.add(new ListOptions(fields, view, formula));
      }
      return List.copyOf(out);
    }
  }

  /** Record ids a formula may name: Airtable's, nothing to quote. */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

  /** The entity names in the order they start. */
  public List<String> order() {
    return tables.stream().map(Table::entity).toList();
  }

  public Table table(String entity) {
    return tables.stream()
        .filter(t -> t.entity().equals(entity))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no plan for entity '" + entity + "'"));
  }
}
