package dev.integrity.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.airtable.ListOptions;
import dev.integrity.model.AirtableRecord;
import dev.integrity.sim.Formula;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PartitionsTest {
  /** Characters ids are drawn from: Airtable's alphabet and others a real base never uses. */
  private static final String WIDE =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-./:~éß€ [](){}\"'\\";

  private static final Pattern PARTITION =
      Pattern.compile("REGEX_MATCH\\(RECORD_ID\\(\\),\"(.*)\"\\)");

  /** A reference evaluation with java.util.regex, independent of the simulator's parser. */
  private static boolean reference(String formula, String id) {
    boolean negated = formula.startsWith("NOT(");
    String inner = negated ? formula.substring(4, formula.length() - 1) : formula;
    Matcher m = PARTITION.matcher(inner);
    assertThat(m.matches()).as("partition formula shape: %s", formula).isTrue();
    boolean found = Pattern.compile(m.group(1)).matcher(id).find();
    return negated != found;
  }

  private static String randomId(Random random) {
    // Mostly Airtable-shaped ids, some with another prefix, length or alphabet.
    StringBuilder id = new StringBuilder();
    switch (random.nextInt(4)) {
      case 0, 1 -> id.append("rec");
      case 2 -> id.append(random.nextBoolean() ? "re" : "REC");
      default -> {}
    }
    String alphabet = random.nextInt(3) == 0 ? WIDE : Partitions.ALPHABET;
    int length = random.nextInt(5) == 0 ? random.nextInt(4) : 14;
    for (int i = 0; i < length; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  @Test
  void every_id_of_any_alphabet_falls_in_exactly_one_partition_for_every_k() {
    Random random = new Random(20261201L);
    for (int k = 2; k <= Partitions.MAX; k++) {
      List<Partition> partitions = Partitions.of(k);
      assertThat(partitions).hasSize(k);
      List<Formula> parsed = new ArrayList<>();
      for (Partition p : partitions) {
        parsed.add(Formula.parse(p.formula(), null));
      }
      for (int n = 0; n < 400; n++) {
        String id = randomId(random);
        AirtableRecord record = new AirtableRecord(id, Instant.EPOCH, Map.of());
        int simulated = 0;
        int referenced = 0;
        for (int i = 0; i < k; i++) {
          boolean sim = parsed.get(i).matches(record);
          boolean ref = reference(partitions.get(i).formula(), id);
          assertThat(sim).as("k=%d partition %d id %s", k, i, id).isEqualTo(ref);
          simulated += sim ? 1 : 0;
          referenced += ref ? 1 : 0;
        }
        assertThat(simulated).as("k=%d id %s", k, id).isEqualTo(1);
        assertThat(referenced).isEqualTo(1);
      }
    }
  }

  @Test
  void index_of_names_the_one_partition_whose_formula_selects_the_id() {
    Random random = new Random(20261204L);
    for (int k = 1; k <= Partitions.MAX; k++) {
      List<Partition> partitions = Partitions.of(k);
      for (int n = 0; n < 200; n++) {
        String id = randomId(random);
        AirtableRecord record = new AirtableRecord(id, Instant.EPOCH, Map.of());
        int index = Partitions.indexOf(id, k);
        for (Partition p : partitions) {
          boolean selects = p.formula() == null || Formula.parse(p.formula(), null).matches(record);
          assertThat(selects)
              .as("k=%d partition %d id %s", k, p.index(), id)
              .isEqualTo(p.index() == index);
        }
      }
    }
  }

  @Test
  void each_partition_leaves_out_the_records_already_read_that_it_selects() {
    FetchPlan.Table table =
        new FetchPlan.Table("t", null, Partitions.of(2), "two halves, after a first page");
    List<String> read =
        List.of("rec0aaaaaaaaaaaaa", "reczbbbbbbbbbbbbb", "recAccccccccccccc", "odd\"id");

    List<ListOptions> options = table.listOptions(null, "Grid", "{Name} != ''", read);

    assertThat(options.get(0).filterByFormula())
        .isEqualTo(
            "AND(AND({Name} != '',REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-U]\")),"
                + "NOT(OR(RECORD_ID()=\"rec0aaaaaaaaaaaaa\",RECORD_ID()=\"recAccccccccccccc\")))");
    assertThat(options.get(1).filterByFormula())
        .isEqualTo(
            "AND(AND({Name} != '',NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-U]\"))),"
                + "NOT(OR(RECORD_ID()=\"reczbbbbbbbbbbbbb\")))");
    assertThat(options).allSatisfy(o -> assertThat(o.view()).isEqualTo("Grid"));
    // Every formula parses, and selects no record already read.
    for (ListOptions o : options) {
      Formula f = Formula.parse(o.filterByFormula(), null);
      for (String id : read.subList(0, 3)) {
        assertThat(f.matches(new AirtableRecord(id, Instant.EPOCH, Map.of("Name", "x")))).isFalse();
      }
    }
  }

  @Test
  void every_fourth_character_of_the_alphabet_is_in_one_partition_before_the_last() {
    for (int k = 2; k <= Partitions.MAX; k++) {
      List<Partition> partitions = Partitions.of(k);
      for (char c : Partitions.ALPHABET.toCharArray()) {
        String id = "rec" + c + "0000000000000";
        long hits =
            partitions.subList(0, k - 1).stream().filter(p -> reference(p.formula(), id)).count();
        boolean last = reference(partitions.get(k - 1).formula(), id);
        assertThat(hits + (last ? 1 : 0)).as("k=%d char %s", k, c).isEqualTo(1);
      }
    }
  }

  @Test
  void the_formulas_are_exactly_in_the_contract_form() {
    assertThat(Partitions.of(2))
        .extracting(Partition::formula)
        .containsExactly(
            "REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-U]\")",
            "NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-U]\"))");
    assertThat(Partitions.of(4))
        .extracting(Partition::formula)
        .containsExactly(
            "REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-F]\")",
            "REGEX_MATCH(RECORD_ID(),\"^rec[G-V]\")",
            "REGEX_MATCH(RECORD_ID(),\"^rec[W-Za-k]\")",
            "NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Za-k]\"))");
  }

  @Test
  void one_partition_is_the_whole_table_without_a_formula() {
    Partition whole = Partitions.of(1).getFirst();

    assertThat(whole.formula()).isNull();
    assertThat(whole.filterByFormula(null)).isNull();
    assertThat(whole.filterByFormula("{Status} = 'Active'")).isEqualTo("{Status} = 'Active'");
  }

  @Test
  void with_an_entity_filter_each_partition_is_and_of_filter_and_partition() {
    String filter = "{Status} = 'Active'";
    List<String> formulas = Partitions.of(3).stream().map(p -> p.filterByFormula(filter)).toList();

    assertThat(formulas)
        .containsExactly(
            "AND({Status} = 'Active',REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-K]\"))",
            "AND({Status} = 'Active',REGEX_MATCH(RECORD_ID(),\"^rec[L-Za-f]\"))",
            "AND({Status} = 'Active',NOT(REGEX_MATCH(RECORD_ID(),\"^rec[0-9A-Za-f]\")))");
  }

  @Test
  void a_user_filter_with_partitions_selects_exactly_the_filtered_records_once() {
    Random random = new Random(7);
    String filter = "{Status} = 'Active'";
    List<Formula> parts =
        Partitions.of(5).stream().map(p -> Formula.parse(p.filterByFormula(filter), null)).toList();
    Formula alone = Formula.parse(filter, null);
    for (int n = 0; n < 2000; n++) {
      String status = random.nextBoolean() ? "Active" : "Archived";
      AirtableRecord r =
          new AirtableRecord(randomId(random), Instant.EPOCH, Map.of("Status", status));
      long hits = parts.stream().filter(f -> f.matches(r)).count();
      assertThat(hits).isEqualTo(alone.matches(r) ? 1 : 0);
    }
  }

  @Test
  void k_outside_one_to_the_alphabet_size_is_refused() {
    assertThatThrownBy(() -> Partitions.of(0)).hasMessageContaining("1..62");
    assertThatThrownBy(() -> Partitions.of(63)).hasMessageContaining("got 63");
  }
}
