package dev.integrity.bench;

import dev.integrity.model.AirtableRecord;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Synthetic students (First Name, Last Name, Birth Date) with planted near-duplicates: a share of
 * the students gets one or two more records whose name has one edit (two for a fifth of them) of
 * one kind: a typo, two letters swapped, a letter dropped or doubled, accents, case and spacing, or
 * a typo in the first letter. Nicknames are out of scope. The originals have distinct names; which
 * records belong together is kept as the ground truth ({@link #cluster}). Deterministic per seed.
 */
final class PlantedStudents {
  static final String[] FIRST = {
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
    "Anthony",
    "Betty",
    "Mark",
    "Margaret",
    "Donald",
    "Sandra",
    "Steven",
    "Ashley",
    "Paul",
    "Kimberly",
    "Andrew",
    "Emily",
    "Joshua",
    "Donna",
    "Kenneth",
    "Michelle",
    "Kevin",
    "Carol",
    "Brian",
    "Amanda",
    "George",
    "Dorothy",
    "Timothy",
    "Melissa",
    "Ronald",
    "Deborah",
    "Jose",
    "Maria",
    "Luis",
    "Sofia",
    "Carlos",
    "Lucia",
    "Juan",
    "Valentina",
    "Ahmed",
    "Fatima",
    "Omar",
    "Aisha",
    "Wei",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Raj",
    "Priya",
    "Arjun",
    "Ananya",
    "Olga",
    "Ivan",
    "Anna",
    "Lars",
    "Ingrid",
    "Pierre",
    "Camille",
    "Hans",
    "Greta",
    "Giulia",
    "Marco",
    "Chiara",
    "Luca",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Mia",
    "Lucas",
    "Amelia",
    "Ethan",
    "Harper",
    "Aiden",
    "Chloe",
    "Zoe",
    "Leo",
    "Nora",
    "Kwame",
    "Amara",
    "Chidi",
    "Ngozi",
    "Tariq",
    "Leila",
    "Mateo",
    "Isabella",
    "Diego",
    "Camila",
    "Sven",
    "Freya",
    "Kofi"
  };

  private static final String[] SYLLABLES = {
    "an", "ber", "cal", "dor", "el", "fen", "gar", "hol", "is", "jan", "kov", "lin", "mar", "nel",
    "or", "pet", "quin", "ros", "sen", "tal", "ur", "var", "wen", "xan", "yor", "zel", "ba", "ci",
    "do", "fa", "go", "hu", "ki", "lo", "mu", "ne", "po", "ri", "sa", "tu"
  };

  /** The kinds of planted edit. */
  enum Edit {
    TYPO,
    SWAP,
    DROP,
    DOUBLE,
    ACCENTS,
    CASE_AND_SPACING,
    FIRST_LETTER
  }

  final List<AirtableRecord> records = new ArrayList<>();

  /** Each record's cluster: the index of its original; -1 for a student without a twin. */
  final Map<String, Integer> cluster = new HashMap<>();

  /** The kind of edit of each planted record. */
  final Map<String, Edit> editOf = new HashMap<>();

  private final Random random;

  /**
   * @param students how many distinct students
   * @param plantedShare the share of students that get near-duplicates (each one or, for a tenth,
   *     two)
   */
  PlantedStudents(int students, double plantedShare, long seed) {
    random = new Random(seed);
    Instant created = Instant.parse("2024-01-01T00:00:00Z");
    Set<String> names = new HashSet<>();
    int n = 0;
    List<Object[]> planted = new ArrayList<>();
    while (n < students) {
      String first = FIRST[random.nextInt(FIRST.length)];
      String last = lastName();
      if (!names.add((first + " " + last).toLowerCase(Locale.ROOT))) {
        continue;
      }
      String born = LocalDate.of(2008, 1, 1).plusDays(random.nextInt(4 * 365)).toString();
      String id = String.format("rec%08d", n);
      records.add(record(id, first, last, born, created));
      boolean twin = random.nextDouble() < plantedShare;
      cluster.put(id, twin ? n : -1);
      if (twin) {
        int copies = random.nextInt(10) == 0 ? 2 : 1;
        for (int c = 0; c < copies; c++) {
          planted.add(new Object[] {n, first, last, born});
        }
      }
      n++;
    }
    int p = 0;
    for (Object[] original : planted) {
      Edit edit = Edit.values()[random.nextInt(Edit.values().length)];
      String first = (String) original[1];
      String last = (String) original[2];
      int edits =
          edit == Edit.ACCENTS || edit == Edit.CASE_AND_SPACING || random.nextInt(5) > 0 ? 1 : 2;
      for (int e = 0; e < edits; e++) {
        if (random.nextBoolean()) {
          first = apply(edit, first);
        } else {
          last = apply(edit, last);
        }
      }
      String id = String.format("recP%07d", p++);
      records.add(record(id, first, last, (String) original[3], created));
      cluster.put(id, (Integer) original[0]);
      editOf.put(id, edit);
    }
    java.util.Collections.shuffle(records, random);
  }

  private String lastName() {
    return lastName(random);
  }

  /** A surname of two or three syllables. */
  String lastName(Random random) {
    int syllables = 2 + random.nextInt(2);
    StringBuilder out = new StringBuilder();
    for (int s = 0; s < syllables; s++) {
      out.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
    }
    return Character.toUpperCase(out.charAt(0)) + out.substring(1);
  }

  private static AirtableRecord record(
      String id, String first, String last, String born, Instant created) {
    Map<String, Object> fields = new HashMap<>();
    fields.put("First Name", first);
    fields.put("Last Name", last);
    fields.put("Birth Date", born);
    return new AirtableRecord(id, created, fields);
  }

  private String apply(Edit edit, String name) {
    if (name.length() < 2) {
      return name;
    }
    int at = 1 + random.nextInt(name.length() - 1);
    String letters = "abcdefghijklmnopqrstuvwxyz";
    return switch (edit) {
      case TYPO ->
          name.substring(0, at) + otherLetter(name.charAt(at), letters) + name.substring(at + 1);
      case SWAP ->
          at == name.length() - 1
              ? name.substring(0, at - 1) + name.charAt(at) + name.charAt(at - 1)
              : name.substring(0, at)
                  + name.charAt(at + 1)
                  + name.charAt(at)
                  + name.substring(at + 2);
      case DROP -> name.substring(0, at) + name.substring(at + 1);
      case DOUBLE -> name.substring(0, at) + name.charAt(at) + name.substring(at);
      case ACCENTS ->
          name.replace('e', 'é')
              .replace('a', 'á')
              .replace('o', 'ö')
              .replace('u', 'ü')
              .replace('i', 'í');
      case CASE_AND_SPACING ->
          random.nextBoolean()
              ? "  " + name.toUpperCase(Locale.ROOT) + " "
              : name.toLowerCase(Locale.ROOT) + "  ";
      case FIRST_LETTER ->
          Character.toUpperCase(otherLetter(Character.toLowerCase(name.charAt(0)), letters))
              + name.substring(1);
    };
  }

  private char otherLetter(char c, String letters) {
    char other;
    do {
      other = letters.charAt(random.nextInt(letters.length()));
    } while (other == Character.toLowerCase(c));
    return Character.isUpperCase(c) ? Character.toUpperCase(other) : other;
  }
}
