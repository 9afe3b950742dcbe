package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code similar}: near-duplicate records by normalised names, Jaro-Winkler, with blocking. */
class SimilarCheckTest {
  static final CheckSpec.Similar NAMES =
      new CheckSpec.Similar(List.of("First Name", "Last Name"), 0.9, List.of());

  private static AirtableRecord student(String id, String first, String last) {
    return rec(id, "First Name", first, "Last Name", last);
  }

  private static AirtableRecord student(String id, String first, String last, String born) {
    return rec(id, "First Name", first, "Last Name", last, "Birth Date", born);
  }

  @Test
  void planted_near_duplicates_are_found_and_distinct_names_are_not() {
    List<Issue> issues =
        run(
            engine(NAMES),
            student("recJon", "Jon", "Smith"),
            student("recJohn", "John", "Smith"),
            student("recAccent", "José", "Álvarez"),
            student("recPlain", "JOSE ", "alvarez"),
            student("recSwap", "Maria", "Garcia"),
            student("recSwapped", "Mraia", "Garcia"),
            student("recOther", "Wanda", "Okafor"),
            student("recOther2", "Peter", "Lindqvist"));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.checkId() + " " + i.field())
        .containsExactly(
            "recJon similar:First Name+Last Name First Name+Last Name",
            "recJohn similar:First Name+Last Name First Name+Last Name",
            "recAccent similar:First Name+Last Name First Name+Last Name",
            "recPlain similar:First Name+Last Name First Name+Last Name",
            "recSwap similar:First Name+Last Name First Name+Last Name",
            "recSwapped similar:First Name+Last Name First Name+Last Name");
    assertThat(issues.get(0).message())
        .isEqualTo("First Name+Last Name 'Jon Smith' is like recJohn 'John Smith' (0.96)");
    // Case, accents and spaces fold to the same text: a perfect score.
    assertThat(issues.get(2).message()).endsWith("recPlain 'JOSE alvarez' (1.00)");
  }

  @Test
  void same_fields_must_be_equal_for_records_to_be_near_duplicates() {
    CheckSpec.Similar spec =
        new CheckSpec.Similar(List.of("First Name", "Last Name"), 0.9, List.of("Birth Date"));

    List<Issue> issues =
        run(
            engine(spec),
            student("recA", "Jon", "Smith", "2010-04-01"),
            student("recB", "John", "Smith", "2010-04-01"),
            student("recC", "Jon", "Smith", "2011-09-30"),
            student("recD", "Jon", "Smith"),
            student("recE", "Jonn", "Smith"));

    // recC has no twin born the same day; recD and recE are both without a birth date: equal.
    assertThat(issues).extracting(Issue::recordId).containsExactly("recA", "recB", "recD", "recE");
    assertThat(issues.get(0).message()).contains("recB").doesNotContain("recC", "recD");
  }

  @Test
  void records_with_every_compared_field_empty_are_skipped() {
    List<Issue> issues =
        run(
            engine(NAMES),
            rec("recEmpty1"),
            rec("recEmpty2", "First Name", "", "Last Name", "  "),
            rec("recPunct", "First Name", "--"),
            student("recA", "Jon", "Smith"),
            rec("recHalf", "Last Name", "Smith"));

    assertThat(issues).isEmpty();
  }

  @Test
  void the_message_names_three_others_best_first_with_their_scores_and_counts_the_rest() {
    List<Issue> issues =
        run(
            engine(NAMES),
            student("recA", "Jonathan", "Smith"),
            student("recB", "Jonathan", "Smith"),
            student("recC", "Jonathon", "Smith"),
            student("recD", "Jonathan", "Smyth"),
            student("recE", "Jonatan", "Smith"));

    assertThat(issues).hasSize(5);
    assertThat(issues.getFirst().message())
        .matches(
            "First Name\\+Last Name 'Jonathan Smith' is like recB 'Jonathan Smith' \\(1\\.00\\),"
                + " rec[C-E] '[^']+' \\(0\\.9\\d\\), rec[C-E] '[^']+' \\(0\\.9\\d\\) and 1 more");
  }

  @Test
  void blocking_does_not_lose_a_typo_in_the_first_letter_among_many_records() {
    // Enough records sharing words and prefixes that the blocks are big and compared through
    // sorted neighbourhoods, not pair by pair.
    List<AirtableRecord> records = new ArrayList<>();
    Random random = new Random(7);
    String[] firsts = {"Jonathan", "Maria", "Liam", "Olivia", "Noah", "Emma", "Lucas", "Mia"};
    String letters = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < 3000; i++) {
      StringBuilder last = new StringBuilder("S");
      for (int k = 0; k < 6; k++) {
        last.append(letters.charAt(random.nextInt(letters.length())));
      }
      records.add(
          student(
              String.format("rec%05d", i), firsts[random.nextInt(firsts.length)], last.toString()));
    }
    records.add(student("recTrue", "Jonathan", "Kowalczyk"));
    records.add(student("recTypo", "Jonathan", "Gowalczyk")); // first letter of the surname
    records.add(student("recLone", "Bartholomew", "Quist"));
    records.add(student("recLoneTypo", "Vartholomew", "Quist")); // first letter of the first name
    records.add(rec("recSingle", "First Name", "Xylophonist"));
    records.add(rec("recSingleTypo", "First Name", "Zylophonist")); // one word, first letter
    Collections.shuffle(records, random);

    List<Issue> issues = run(engine(NAMES), records.toArray(AirtableRecord[]::new));

    assertThat(issues)
        .extracting(Issue::recordId)
        .contains("recTrue", "recTypo", "recLone", "recLoneTypo", "recSingle", "recSingleTypo");
    assertThat(issues)
        .filteredOn(i -> i.recordId().equals("recTypo"))
        .singleElement()
        .satisfies(i -> assertThat(i.message()).contains("recTrue 'Jonathan Kowalczyk'"));
  }

  @Test
  void the_same_records_in_another_order_give_the_same_issues() {
    List<AirtableRecord> records = new ArrayList<>();
    Random random = new Random(11);
    for (int i = 0; i < 400; i++) {
      String name = "Name" + (char) ('a' + random.nextInt(6)) + (char) ('a' + random.nextInt(6));
      records.add(student(String.format("rec%04d", i), name, "Berg"));
    }
    List<Issue> first = run(engine(NAMES), records.toArray(AirtableRecord[]::new));
    Collections.shuffle(records, random);
    List<Issue> second = run(engine(NAMES), records.toArray(AirtableRecord[]::new));

    assertThat(second).containsExactlyInAnyOrderElementsOf(first);
  }

  @Test
  void a_compared_or_same_field_the_table_lacks_is_a_schema_problem() {
    CheckSpec.Similar spec =
        new CheckSpec.Similar(List.of("First Name", "Last Name"), 0.9, List.of("Birth Date"));
    BaseSchema schema =
        new BaseSchema(
            "appTEST",
            List.of(
                new BaseSchema.TableSchema(
                    "tblThings",
                    "Things",
                    "fldFirst",
                    List.of(
                        new BaseSchema.FieldSchema(
                            "fldFirst", "First Name", "singleLineText", List.of(), null),
                        new BaseSchema.FieldSchema("fldBorn", "Born", "date", List.of(), null))),
                new BaseSchema.TableSchema("tblTeachers", "Teachers", "fldT", List.of())));

    assertThat(engine(spec).validateAgainst(schema))
        .extracting(CheckEngine.SchemaProblem::field)
        .containsExactly("Last Name", "Birth Date");
  }

  @Test
  void normalising_folds_case_accents_punctuation_and_spaces() {
    assertThat(NearDuplicates.normalize("  José-María  O'Brien Straße, Øst "))
        .isEqualTo("jose maria obrien strasse ost");
  }
}
