package dev.integrity.plan;

/**
 * One of the disjoint parts a table is read in: number {@code index} (from 0) of {@code count},
 * selected by {@code formula} (Airtable {@code filterByFormula} on the record id), or the whole
 * table when {@code formula} is null ({@code count} 1). Immutable.
 */
public record Partition(int index, int count, String formula) {
  public Partition {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("partition " + index + " of " + count);
    }
    if ((formula == null) != (count == 1)) {
      throw new IllegalArgumentException("a formula is needed exactly when there are partitions");
    }
  }

  /**
   * The {@code filterByFormula} that reads this partition of an entity with {@code entityFilter}
   * (null = none): {@code AND(<filter>,<partition>)} when both are set, else whichever is.
   */
  public String filterByFormula(String entityFilter) {
    if (entityFilter == null || entityFilter.isBlank()) {
      return formula;
    }
    if (formula == null) {
      return entityFilter;
    }
    return "AND(" + entityFilter + "," + formula + ")";
  }

  /** For logs: {@code 2/4} (1-based). */
  public String label() {
    return (index + 1) + "/" + count;
  }
}
