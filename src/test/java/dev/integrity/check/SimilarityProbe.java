package dev.integrity.check;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For the benchmarks: the near-duplicates of each record id as the check finds them (with blocking)
 * or as scoring every pair would. Stateless.
 */
public final class SimilarityProbe {
  private SimilarityProbe() {}

  /** Record id to the ids of its near-duplicates, with blocking ({@code exhaustive} false). */
  public static Map<String, Set<String>> pairs(
      CheckSpec.Similar spec, List<AirtableRecord> records, boolean exhaustive) {
    NearDuplicates finder = new NearDuplicates(spec, "bench", records);
    List<NearDuplicates.Match>[] matches = exhaustive ? finder.findByEveryPair() : finder.find();
    Map<String, Set<String>> out = new HashMap<>();
    for (int i = 0; i < matches.length; i++) {
      if (matches[i] != null) {
        Set<String> others = new HashSet<>();
        for (NearDuplicates.Match m : matches[i]) {
          others.add(records.get(m.other()).id());
        }
        out.put(records.get(i).id(), others);
      }
    }
    return out;
  }
}
